"""UI tests run offscreen, fail on Qt warnings, and fail when a test leaves a thread running."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def private_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own settings and data folders (no state leaks between tests)."""
    monkeypatch.setenv("ROADWATCH_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("ROADWATCH_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def source_language_after_each_test() -> Iterator[None]:
    """A test that switched the interface to Vietnamese must not change the next test's."""
    yield
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if isinstance(app, QApplication):
        from ui.i18n import install_translator

        install_translator(app, "en")


@pytest.fixture(autouse=True)
def no_dangling_threads() -> Iterator[None]:
    before = set(threading.enumerate())
    yield
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(2000)
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for thread in leftover:
        thread.join(timeout=2)
    still = [t.name for t in leftover if t.is_alive()]
    assert not still, f"test left threads running: {still}"
    assert QThreadPool.globalInstance().activeThreadCount() == 0
