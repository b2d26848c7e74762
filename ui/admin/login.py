"""The login dialog: user name and password, checked by the core (Argon2, lockout, audit)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.security.accounts import AccountLockedError, Accounts, AuthenticationError
from console.security.roles import UserSession


class LoginDialog(QDialog):
    """Modal login; after ``exec()`` returns Accepted, :attr:`session` is the logged-in user."""

    def __init__(self, accounts: Accounts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.session: UserSession | None = None
        self.setWindowTitle(self.tr("Log in to %1").replace("%1", APP_NAME))
        self.setModal(True)
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.username.setMaxLength(64)
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMaxLength(1024)
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #e05555;")
        self.buttons = QDialogButtonBox(self)
        self.login_button = self.buttons.addButton(
            self.tr("Log in"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(self.tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def try_login(self) -> None:
        name, password = self.username.text().strip(), self.password.text()
        self.password.clear()
        if not name or not password:
            self.message.setText(self.tr("Enter your user name and password."))
            return
        try:
            self.session = self.accounts.login(name, password)
        except AccountLockedError:
            self.message.setText(
                self.tr(
                    "This account is locked after repeated failed logins. "
                    "Try again later or ask an administrator."
                )
            )
            return
        except AuthenticationError:
            self.message.setText(self.tr("Wrong user name or password."))
            self.password.setFocus()
            return
        self.accept()
