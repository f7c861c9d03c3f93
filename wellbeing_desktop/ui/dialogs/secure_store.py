"""Encrypt records set up before passphrases existed: choose a username and passphrase."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.forms import FieldErrors
from wellbeing_desktop.ui.operations import write


class SecureStoreDialog(RememberingDialog):
    geometry_key = "secure_store"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx = ctx
        self.recovery_key = ""
        self.setObjectName("secureStoreDialog")
        self.setWindowTitle(self.tr("Protect your records"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "<h2>Protect these records with a passphrase</h2><p>This computer's records are "
            "not encrypted yet. Choose a username and passphrase for {name}. The records are "
            "then encrypted, and from now on everyone signs in.</p>").format(name=ctx.actor.name))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.username = QLineEdit()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors.add_row(form, self.tr("&Username"), "username", self.username)
        self.errors.add_row(form, self.tr("&Passphrase"), "passphrase", self.passphrase)
        self.errors.add_row(form, self.tr("&Repeat passphrase"), "confirm_passphrase", self.confirm)
        layout.addLayout(form)
        self.general_error = QLabel("")
        self.general_error.setObjectName("fieldError")
        self.general_error.setVisible(False)
        layout.addWidget(self.general_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Encrypt records"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("&Later"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 360)

    def accept(self) -> None:
        from wellbeing_desktop.services import auth

        self.general_error.setVisible(False)
        # Encrypting rewrites the whole file: on the write pool, never on the GUI thread.
        (write(auth.secure_store, self.ctx, self.username.text().strip(),
               self.passphrase.text(), self.confirm.text())
         .fields(self.errors, other=self._other).parent(self).on_success(self._done).start())

    def _other(self, text: str) -> None:
        self.general_error.setText(text)
        self.general_error.setVisible(True)

    def _done(self, recovery_key: str) -> None:
        self.recovery_key = recovery_key
        self.passphrase.clear()
        self.confirm.clear()
        super().accept()
