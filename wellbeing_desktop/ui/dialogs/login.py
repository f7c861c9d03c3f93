"""Sign in: shown over the (empty) main window before any record is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services.settings import Settings
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.operations import write


def _login(data_dir: str, username: str, passphrase: str, settings: Settings) -> Any:
    from wellbeing_desktop.services import auth

    ctx = auth.login(data_dir, username, passphrase, settings=settings)
    # Import the pages off the GUI thread, as the unencrypted start does.
    from wellbeing_desktop.ui.main_window import PAGE_SPECS

    for _key, _title, module, _cls in PAGE_SPECS:
        __import__(f"wellbeing_desktop.ui.pages.{module}")
    return ctx


class LoginDialog(RememberingDialog):
    """Emits `signed_in(ctx)` and closes on success; wrong details show inline."""

    geometry_key = "login"
    signed_in = Signal(object)

    def __init__(self, data_dir: Path | str, settings: Settings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, settings)
        self.data_dir = str(data_dir)
        self.settings = settings
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("Sign in to Wellbeing Desktop"))
        layout = QVBoxLayout(self)
        service = settings.get("service_name") or self.tr("Health and Wellbeing")
        intro = QLabel(f"<h2>{self.tr('Sign in')}</h2><p>{service}</p>")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.username = QLineEdit(str(settings.section("security").get("last_username") or ""))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        for text, widget in ((self.tr("&Username"), self.username),
                             (self.tr("&Passphrase"), self.passphrase)):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            form.addRow(label, widget)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout.addWidget(self.error)
        hint = QLabel(self.tr("Forgotten your passphrase? A supervisor can set a new one, or use "
                              "the recovery key with <i>wellbeing recover</i>."))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Sign in"))
        self.buttons.accepted.connect(self.accept)
        layout.addWidget(self.buttons)
        (self.passphrase if self.username.text() else self.username).setFocus()
        self.resize(420, 280)

    def reject(self) -> None:
        """Escape does not dismiss the sign-in: there is nothing to show without it."""

    def accept(self) -> None:
        if not self.username.text().strip() or not self.passphrase.text():
            self._show_error(self.tr("Enter your username and passphrase."))
            return
        self.buttons.setEnabled(False)
        self.error.setVisible(False)
        username = self.username.text().strip()
        (write(_login, self.data_dir, username, self.passphrase.text(), self.settings)
         .on_success(self._succeeded).on_error(self._failed).start())

    def _succeeded(self, ctx: Any) -> None:
        self.settings.section("security")["last_username"] = self.username.text().strip()
        self.passphrase.clear()
        self.signed_in.emit(ctx)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        from wellbeing_desktop.services.errors import WellbeingError

        self.buttons.setEnabled(True)
        self.passphrase.clear()
        self.passphrase.setFocus()
        if isinstance(exc, WellbeingError):
            self._show_error(str(exc))
        else:
            from wellbeing_desktop.ui.dialogs.errors import show_error

            show_error(self, exc, self.tr("Could not sign in"))

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(True)
