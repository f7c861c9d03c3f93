"""Sign in: shown over the (empty) main window before any record is read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
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
    quit_requested = Signal()

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
        # Plain words and a button, never a command: the recovery key printed when the
        # records were protected, or a supervisor.
        hint = QLabel(self.tr("Forgotten your passphrase? Use the recovery key that was printed "
                              "when the records were protected to set a new one, or ask a "
                              "supervisor to set one for you."))
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.forgot_button = QPushButton(self.tr("I &forgot my passphrase…"))
        self.forgot_button.setAutoDefault(False)
        self.forgot_button.clicked.connect(self.recover)
        layout.addWidget(self.forgot_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(self.tr("&Sign in"))
        # Quit (and Escape) close the app: without signing in there is nothing to show.
        self.quit_button = self.buttons.addButton(self.tr("&Quit"),
                                                  QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.recovery: Any = None   # the recovery dialog, while open
        (self.passphrase if self.username.text() else self.username).setFocus()
        self.resize(440, 340)

    def reject(self) -> None:
        """Quit or Escape: the dialog closes and `quit_requested` asks the app to quit."""
        super().reject()
        self.quit_requested.emit()

    def recover(self) -> None:
        from wellbeing_desktop.ui.dialogs.recover import RecoverDialog

        self.recovery = RecoverDialog(self.data_dir, self.settings, self.username.text().strip(),
                                      self)
        self.recovery.signed_in.connect(self._recovered)
        self.recovery.open()

    def _recovered(self, ctx: Any) -> None:
        self.signed_in.emit(ctx)
        super().accept()

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
