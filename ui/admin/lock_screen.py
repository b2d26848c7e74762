"""Screen lock: an idle session locks, and only its user's password (or logging out) goes on.

``IdleLock`` watches the application's keyboard and mouse input (as the session's activity)
and checks the core session every few seconds; once the core says the session is idle it
shows :class:`LockScreen` over the main window.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console.security.accounts import AccountLockedError, Accounts, AuthenticationError
from console.security.audit import AuditAction
from console.security.roles import UserSession

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class LockScreen(QDialog):
    """Modal: ``Accepted`` once unlocked, ``Rejected`` when the user chose to log out."""

    def __init__(
        self, accounts: Accounts, session: UserSession, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.session = session
        accounts.audit.record(session.username, AuditAction.SESSION_LOCKED)
        self.setWindowTitle(self.tr("Session locked"))
        self.setModal(True)
        title = QLabel(
            self.tr("The session of %1 is locked.").replace("%1", session.username), self
        )
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("Password"))
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(self)
        self.unlock_button = buttons.addButton(
            self.tr("Unlock"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.logout_button = buttons.addButton(
            self.tr("Log out"), QDialogButtonBox.ButtonRole.RejectRole
        )
        buttons.accepted.connect(self.try_unlock)
        buttons.rejected.connect(self.log_out)
        layout = QVBoxLayout(self)
        for widget in (title, self.password, self.message, buttons):
            layout.addWidget(widget)

    def try_unlock(self) -> None:
        password = self.password.text()
        self.password.clear()
        try:
            self.accounts.unlock(self.session, password)
        except AccountLockedError:
            self.message.setText(self.tr("Too many failed attempts: the account is locked."))
            return
        except AuthenticationError:
            self.message.setText(self.tr("Wrong password."))
            return
        self.accept()

    def log_out(self) -> None:
        self.accounts.logout(self.session, "logged out from the lock screen")
        self.reject()


class IdleLock(QObject):
    """Counts user input as activity and emits :attr:`locked` when the session went idle."""

    locked = Signal()

    def __init__(self, session: UserSession, check_ms: int = 5000, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self._timer = QTimer(self)
        self._timer.setInterval(check_ms)
        self._timer.timeout.connect(self.check)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self.session.touch()
        return False

    def check(self) -> None:
        if not self.session.locked and self.session.is_idle():
            self.session.lock()
            self.locked.emit()

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
