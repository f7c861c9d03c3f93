"""Forgotten passphrase: set a new one with the recovery key (the one printed when the
records were protected), and sign in. The command line's `wellbeing recover` does the same;
a practitioner at the sign-in should never need it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from wellbeing_desktop.services.settings import Settings
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.forms import FieldErrors, scrolling
from wellbeing_desktop.ui.operations import write


def _recover(data_dir: str, key: str, username: str, new: str, repeat: str,
             settings: Settings) -> Any:
    from wellbeing_desktop.services import auth
    from wellbeing_desktop.services.errors import FieldProblem, ValidationError

    if new != repeat:
        raise ValidationError([FieldProblem("confirm_passphrase",
                                            "The two new passphrases are not the same.")])
    return auth.recover(data_dir, key, username, new, settings=settings)


class RecoverDialog(RememberingDialog):
    """Emits `signed_in(ctx)` and closes when the new passphrase is set."""

    geometry_key = "recover"
    signed_in = Signal(object)

    def __init__(self, data_dir: Path | str, settings: Settings, username: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, settings)
        self.data_dir, self.settings = str(data_dir), settings
        self.setWindowTitle(self.tr("Set a new passphrase"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "Type the recovery key exactly as it was printed or written down when the records "
            "were protected (capital letters and dashes), and choose a new passphrase. "
            "If nobody has the recovery key, a supervisor can set a new passphrase for you "
            "in Settings, Security."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.username = QLineEdit(username)
        self.key = QLineEdit()
        self.key.setPlaceholderText("ABCD-EFGH-…")
        self.new = QLineEdit()
        self.repeat = QLineEdit()
        for edit in (self.new, self.repeat):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors.add_row(form, self.tr("&Username"), "username", self.username)
        self.errors.add_row(form, self.tr("&Recovery key"), "recovery_key", self.key)
        self.errors.add_row(form, self.tr("&New passphrase"), "new_passphrase", self.new)
        self.errors.add_row(form, self.tr("Type it a&gain"), "confirm_passphrase", self.repeat)
        layout.addWidget(scrolling(form), 1)
        self.general = QLabel("")
        self.general.setObjectName("fieldError")
        self.general.setWordWrap(True)
        self.general.setVisible(False)
        layout.addWidget(self.general)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setText(self.tr("&Set passphrase and sign in"))
        self.save_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.key if username else self.username).setFocus()
        self.resize(520, 380)

    def accept(self) -> None:
        self.errors.clear()
        self.general.setVisible(False)
        self.buttons.setEnabled(False)
        (write(_recover, self.data_dir, self.key.text().strip(), self.username.text().strip(),
               self.new.text(), self.repeat.text(), self.settings)
         .on_success(self._done).on_error(self._failed).start())

    def _done(self, ctx: Any) -> None:
        self.buttons.setEnabled(True)
        self.new.clear()
        self.repeat.clear()
        self.signed_in.emit(ctx)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        from wellbeing_desktop.services.errors import ValidationError, WellbeingError

        self.buttons.setEnabled(True)
        if isinstance(exc, ValidationError):
            orphans = self.errors.show(exc)
            self.general.setText("\n".join(orphans))
            self.general.setVisible(bool(orphans))
        elif isinstance(exc, WellbeingError):
            self.general.setText(str(exc))
            self.general.setVisible(True)
        else:
            from wellbeing_desktop.ui.dialogs.errors import show_error

            show_error(self, exc, self.tr("Could not set the new passphrase"))
