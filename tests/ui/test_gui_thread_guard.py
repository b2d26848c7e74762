"""The GUI-thread SQLite guard sees UI code reading the store, and only that."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from console.store.local import LocalStore
from tests.ui.gui_thread_sqlite import UI_ROOT, sqlite_watched

# A function whose frames look like UI code (its file name lies in the ui package).
PRETEND_WIDGET = compile(
    "def read_in_a_slot(store):\n"
    "    with store.session() as session:\n"
    "        return session.execute(select_one).scalar_one()\n"
    "\n"
    "def ask_the_reader(store):\n"
    "    return store.reader.submit(lambda session: session.execute(select_one).scalar_one())\n",
    str(UI_ROOT / "pretend_widget.py"),
    "exec",
)


def pretend_widget() -> dict[str, Any]:
    namespace: dict[str, Any] = {"select_one": text("SELECT 1")}
    exec(PRETEND_WIDGET, namespace)
    return namespace


def test_a_read_from_ui_code_on_the_gui_thread_is_caught(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    widget = pretend_widget()
    with LocalStore.open(tmp_path / "db.sqlite3") as store, sqlite_watched(monkeypatch) as watch:
        assert widget["read_in_a_slot"](store) == 1
        assert any("pretend_widget.py" in v for v in watch.violations)
        assert any("SELECT 1" in v for v in watch.violations)


def test_reads_off_the_gui_thread_and_the_tests_own_checks_pass(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    widget = pretend_widget()
    with LocalStore.open(tmp_path / "db.sqlite3") as store, sqlite_watched(monkeypatch) as watch:
        assert widget["ask_the_reader"](store).result(10) == 1  # the store's reader thread
        worker = threading.Thread(target=widget["read_in_a_slot"], args=(store,))
        worker.start()
        worker.join(10)
        with store.session() as session:  # the test itself, checking the store
            assert session.execute(text("SELECT 1")).scalar_one() == 1
        assert watch.violations == []
