"""UI tests run offscreen, fail on Qt warnings (pyproject: qt_log_level_fail), and fail when a
test leaves a thread running: a Python thread, a QThread or a QThreadPool task."""

from __future__ import annotations

import os
import threading
import traceback
import weakref
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

THREAD_GRACE_MS = 2000  # a thread told to stop at the end of a test may take a moment


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
    """Python threads and QThreadPool tasks started by the test have ended after it."""
    before = set(threading.enumerate())
    yield
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(THREAD_GRACE_MS)
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    for thread in leftover:
        thread.join(timeout=THREAD_GRACE_MS / 1000)
    still = [t.name for t in leftover if t.is_alive()]
    assert not still, f"test left threads running: {still}"
    assert QThreadPool.globalInstance().activeThreadCount() == 0


@pytest.fixture(autouse=True)
def no_dangling_qthreads(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every QThread the test started has finished after it (napari's dangling_qthreads).

    QThread.start is wrapped to remember each started thread and where it was started, so the
    failure names the line to look at.
    """
    from PySide6.QtCore import QThread

    started: weakref.WeakKeyDictionary[QThread, str] = weakref.WeakKeyDictionary()
    original_start = QThread.start

    def recording_start(self: QThread, *args: object, **kwargs: object) -> None:
        stack = traceback.extract_stack()[:-1]
        ours = [f for f in stack if not f.filename.startswith("<") and "packages" not in f.filename]
        started[self] = "".join(traceback.format_list(ours[-6:]))
        original_start(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(QThread, "start", recording_start)
    yield
    running = [
        where
        for thread, where in list(started.items())
        if thread.isRunning() and not thread.wait(THREAD_GRACE_MS)
    ]
    if running:
        pytest.fail("test left QThreads running, started at:\n" + "\n".join(running), False)
