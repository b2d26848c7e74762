"""Rendering the demo clips reports each rendered second, also from worker processes, and
stops within about a second of video when the program closes (issue #20)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from console.sim.clip_cache import clip_path, missing_clips, render_missing

URLS = [
    "sim://highway?seed=7&width=320&height=180",
    "sim://intersection?seed=8&width=320&height=180",
]
pytestmark = pytest.mark.slow  # renders up to a minute of small video per scene


def test_worker_processes_report_every_rendered_second_and_each_end_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROADWATCH_CACHE_DIR", str(tmp_path))
    updates: list[tuple[str, int, int]] = []
    render_missing(URLS, lambda url, done, total: updates.append((url, done, total)), workers=2)
    for url in URLS:
        mine = [(done, total) for u, done, total in updates if u == url]
        assert (10, 600) in mine  # the first rendered second, from the worker process
        assert sum(done == total for done, total in mine) == 1  # its end, once
        assert mine[-1][0] == mine[-1][1]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_stop_ends_rendering_within_a_second_of_video_and_keeps_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setenv("ROADWATCH_CACHE_DIR", str(tmp_path))
    stop = threading.Event()
    updates: list[tuple[str, int, int]] = []

    def progress(url: str, done: int, total: int) -> None:
        updates.append((url, done, total))
        if not stop.is_set():
            stopped_at.append(time.monotonic())
            stop.set()  # the console closes as soon as rendering has begun

    stopped_at: list[float] = []
    render_missing(URLS, progress, workers=workers, stop=stop)
    assert time.monotonic() - stopped_at[0] < 2.0  # back at the stop, not after whole clips
    assert updates and all(done < total for _, done, total in updates)
    assert missing_clips(URLS) == URLS
    # Worker processes end on their own at their next rendered second and tidy up.
    folder = clip_path(URLS[0]).parent
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(folder.iterdir()):
        time.sleep(0.1)
    assert list(folder.iterdir()) == []  # no half-rendered work folder left
