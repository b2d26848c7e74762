"""First start of a new installation: the operator in charge creates the administrator.

There is no default account or password; IT may also run ``roadwatch user create-admin``
or a provisioning file before the first start.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console.security.accounts import AccountError, Accounts


class FirstAdminDialog(QDialog):
    def __init__(self, accounts: Accounts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accounts = accounts
        self.setWindowTitle(self.tr("Create the administrator"))
        self.setModal(True)
        intro = QLabel(
            self.tr(
                "This console has no user yet. Create the administrator account; the "
                "administrator then adds operators, supervisors and trainers."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setObjectName("repeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Repeat the password"), self.repeat)
        self.message = QLabel(self)
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.create_account)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(460, 260)

    def create_account(self) -> None:
        if self.password.text() != self.repeat.text():
            self.message.setText(self.tr("The two passwords differ."))
            return
        try:
            self.accounts.create_first_admin(self.username.text().strip(), self.password.text())
        except AccountError as error:
            self.message.setText(self.tr("Cannot create the account: %1").replace("%1", str(error)))
            return
        self.accept()
