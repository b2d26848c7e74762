"""Background threads (evidence, store, sync) run at a lower CPU priority than analysis."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from console.evidence.writer import EvidenceFiles, EvidenceWriter
from console.thread_priority import BACKGROUND_NICE, lower_this_thread
from tests.conftest import require


@pytest.fixture(autouse=True)
def on_linux() -> None:
    require(sys.platform.startswith("linux"), "threads have their own nice values on Linux only")


def nice_of(thread: threading.Thread) -> int:
    assert thread.native_id is not None
    return os.getpriority(os.PRIO_PROCESS, thread.native_id)


def test_a_thread_lowers_only_its_own_priority() -> None:
    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    seen: list[int] = []

    def background() -> None:
        assert lower_this_thread()
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    thread = threading.Thread(target=background)
    thread.start()
    thread.join()
    assert seen == [min(19, before + BACKGROUND_NICE)]
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before


def test_the_evidence_writer_runs_below_the_analysis(tmp_path: Path) -> None:
    writer = EvidenceWriter(EvidenceFiles(tmp_path))
    writer.start()
    try:
        main = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        deadline = 100
        while nice_of(writer) == main and deadline:
            threading.Event().wait(0.01)
            deadline -= 1
        assert nice_of(writer) == min(19, main + BACKGROUND_NICE)
    finally:
        writer.stop()
