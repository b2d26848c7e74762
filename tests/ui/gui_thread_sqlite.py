"""A fixture that fails a UI test in which UI code touched SQLite on the GUI thread.

Every SQL statement is watched: those run through SQLAlchemy (any engine, its
``before_cursor_execute`` event), those on any ``sqlite3`` connection opened during the test
(a trace callback), and every read session opened on a :class:`LocalStore`. One that runs on
the main thread (the GUI thread in pytest-qt) with a frame of the ``ui`` package on its
stack is a violation: a widget, a slot or a model read the database while the event loop
waited. The test's own checks (a test reading the store to verify) have no ``ui`` frame and
pass, and so does opening the console (``ConsoleSession.__init__``: start-up, before any
window).

Use it with ``pytestmark = pytest.mark.usefixtures("no_sqlite_on_gui_thread")`` after
importing it into the test module.
"""

from __future__ import annotations

import sqlite3
import threading
import traceback
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

import ui
from console.store.local import LocalStore

UI_ROOT = Path(ui.__file__).resolve().parent
START_UP = {(UI_ROOT / "session.py", "__init__")}  # opens (and migrates) the store


class GuiThreadSqlite:
    """Collects where UI code touched SQLite on the GUI thread."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def check(self, what: str) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        stack = traceback.extract_stack()[:-1]
        ui_frames = [f for f in stack if Path(f.filename).resolve().is_relative_to(UI_ROOT)]
        if not ui_frames:
            return
        if any((Path(f.filename).resolve(), f.name) in START_UP for f in stack):
            return
        where = ui_frames[-1]
        self.violations.append(
            f"{what.strip()[:80]!r} on the GUI thread, from {where.filename}:{where.lineno} "
            f"({where.name})"
        )


@contextmanager
def sqlite_watched(monkeypatch: pytest.MonkeyPatch) -> Iterator[GuiThreadSqlite]:
    """Watch every SQLite statement and store session while the block runs."""
    watch = GuiThreadSqlite()

    def before_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        watch.check(statement)

    def traced(connect: Callable[..., sqlite3.Connection]) -> Callable[..., sqlite3.Connection]:
        def connect_traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
            connection = connect(*args, **kwargs)
            connection.set_trace_callback(watch.check)
            return connection

        return connect_traced

    original_session = LocalStore.session

    def watched_session(store: LocalStore) -> AbstractContextManager[Any]:
        watch.check("LocalStore.session()")
        return original_session(store)

    event.listen(Engine, "before_cursor_execute", before_execute)
    with monkeypatch.context() as patch:
        patch.setattr(sqlite3, "connect", traced(sqlite3.connect))
        patch.setattr(sqlite3.dbapi2, "connect", traced(sqlite3.dbapi2.connect))
        patch.setattr(LocalStore, "session", watched_session)
        try:
            yield watch
        finally:
            event.remove(Engine, "before_cursor_execute", before_execute)


@pytest.fixture
def no_sqlite_on_gui_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[GuiThreadSqlite]:
    with sqlite_watched(monkeypatch) as watch:
        yield watch
    assert not watch.violations, "SQLite on the GUI thread:\n" + "\n".join(
        dict.fromkeys(watch.violations)
    )
