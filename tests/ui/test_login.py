from __future__ import annotations

import time
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from console.security.accounts import Accounts, LockoutPolicy
from console.security.audit import AuditLog
from console.security.roles import Role
from console.store.local import LocalStore
from tests.conftest import PlantedSecrets
from ui.admin.lock_screen import IdleLock, LockScreen
from ui.admin.login import LoginDialog

PASSWORD = "operator-pass-01"
ADMIN_PASSWORD = "admin-pass-0001"


@pytest.fixture
def accounts(store: LocalStore, planted_secrets: PlantedSecrets) -> Accounts:
    accounts = Accounts(
        store,
        AuditLog(store, "console-7"),
        LockoutPolicy(max_failures=2, lock_for=timedelta(minutes=5)),
        hasher=PasswordHasher(time_cost=1, memory_cost=8192),
    )
    accounts.create_first_admin("admin", planted_secrets.add(ADMIN_PASSWORD))
    admin = accounts.login("admin", ADMIN_PASSWORD)
    accounts.create_user(admin, "op", planted_secrets.add(PASSWORD), Role.OPERATOR)
    return accounts


def type_and_login(qtbot: QtBot, dialog: LoginDialog, name: str, password: str) -> None:
    dialog.username.setText(name)
    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)


def test_login_refuses_a_wrong_password_then_accepts_the_right_one(
    qtbot: QtBot, accounts: Accounts
) -> None:
    dialog = LoginDialog(accounts)
    qtbot.addWidget(dialog)
    dialog.show()
    type_and_login(qtbot, dialog, "op", "not-the-password")
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.session is None
    assert dialog.message.text() == "Wrong user name or password."
    assert dialog.password.text() == ""  # never left in the field
    type_and_login(qtbot, dialog, "op", PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.session is not None and dialog.session.user.role is Role.OPERATOR


def test_login_says_when_the_account_is_locked(qtbot: QtBot, accounts: Accounts) -> None:
    dialog = LoginDialog(accounts)
    qtbot.addWidget(dialog)
    for _ in range(2):
        type_and_login(qtbot, dialog, "op", "not-the-password")
    type_and_login(qtbot, dialog, "op", PASSWORD)
    assert "locked" in dialog.message.text() and dialog.session is None
    type_and_login(qtbot, dialog, "", "")
    assert dialog.message.text() == "Enter your user name and password."


def test_idle_session_shows_the_lock_screen_and_the_password_unlocks_it(
    qtbot: QtBot, accounts: Accounts
) -> None:
    session = accounts.login("op", PASSWORD)
    session.idle_timeout_s = 0.1
    watcher = IdleLock(session, check_ms=20)
    try:
        with qtbot.waitSignal(watcher.locked, timeout=2000):
            time.sleep(0.15)
        assert session.locked
        screen = LockScreen(accounts, session)
        qtbot.addWidget(screen)
        qtbot.keyClicks(screen.password, "wrong-password")
        qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
        assert screen.message.text() == "Wrong password." and session.locked
        qtbot.keyClicks(screen.password, PASSWORD)
        qtbot.mouseClick(screen.unlock_button, Qt.MouseButton.LeftButton)
        assert screen.result() == QDialog.DialogCode.Accepted and not session.locked
    finally:
        watcher.stop()


def test_log_out_from_the_lock_screen_ends_the_session(qtbot: QtBot, accounts: Accounts) -> None:
    session = accounts.login("op", PASSWORD)
    session.lock()
    screen = LockScreen(accounts, session)
    qtbot.addWidget(screen)
    qtbot.mouseClick(screen.logout_button, Qt.MouseButton.LeftButton)
    assert screen.result() == QDialog.DialogCode.Rejected and session.ended
