"""First-run set-up: the service, the supervisor's account and passphrase (the records are
then encrypted), and an offer of demo data. The recovery key is shown after it closes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services import setup
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.forms import FieldErrors
from wellbeing_desktop.ui.operations import write


class FirstRunDialog(RememberingDialog):
    geometry_key = "first_run"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Welcome to Wellbeing Desktop"))
        self.setObjectName("firstRunDialog")
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "<h2>Set up this computer</h2>"
            "<p>Tell us the name of your service and your own name. They appear on the plans "
            "and letters you print. You can change them later in Settings.</p>"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.service_name = QLineEdit()
        self.service_name.setPlaceholderText("e.g. Kingsmere Talking Therapies: Health and Wellbeing")
        self.practitioner_name = QLineEdit()
        self.job_title = QLineEdit("Health and Wellbeing Practitioner")
        self.phone = QLineEdit()
        self.phone.setPlaceholderText(self.tr("The number people can call you on"))
        self.errors.add_row(form, self.tr("Service na&me"), "service_name", self.service_name)
        self.errors.add_row(form, self.tr("Your &name"), "practitioner_name",
                            self.practitioner_name)
        self.errors.add_row(form, self.tr("&Job title"), "job_title", self.job_title)
        self.errors.add_row(form, self.tr("&Phone"), "phone", self.phone)
        self.username = QLineEdit()
        self.username.setPlaceholderText(self.tr("e.g. hprice (used to sign in)"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("At least 10 characters; a few words"))
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.errors.add_row(form, self.tr("&Username"), "username", self.username)
        self.errors.add_row(form, self.tr("P&assphrase"), "passphrase", self.passphrase)
        self.errors.add_row(form, self.tr("&Repeat passphrase"), "confirm_passphrase",
                            self.confirm)
        layout.addLayout(form)
        note = QLabel(self.tr("You are the supervisor for this computer. Your passphrase "
                              "encrypts the records; you will be shown a recovery key next."))
        note.setObjectName("muted")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.demo = QCheckBox(self.tr(
            "&Load demo data (a fictional town, for training and trying the app)"))
        layout.addWidget(self.demo)
        self.general_error = QLabel("")
        self.general_error.setObjectName("fieldError")
        self.general_error.setVisible(False)
        layout.addWidget(self.general_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Start"))
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.recovery_key = ""
        self.resize(560, 520)

    @property
    def wants_demo(self) -> bool:
        return self.demo.isChecked()

    def accept(self) -> None:
        data = setup.SetupInput(
            service_name=self.service_name.text(),
            practitioner_name=self.practitioner_name.text(),
            job_title=self.job_title.text(),
            phone=self.phone.text(),
            username=self.username.text().strip(),
            passphrase=self.passphrase.text(),
            confirm_passphrase=self.confirm.text(),
            require_passphrase=True,
        )
        self.general_error.setVisible(False)
        (write(setup.first_run, self.ctx, data).fields(self.errors, other=self._other)
         .parent(self).on_success(self._done).start())

    def _other(self, text: str) -> None:
        self.general_error.setText(text)
        self.general_error.setVisible(True)

    def _done(self, result: setup.FirstRunResult) -> None:
        self.recovery_key = result.recovery_key
        self.passphrase.clear()
        self.confirm.clear()
        super().accept()
