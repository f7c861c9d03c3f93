"""First-run set-up: the service, the practitioner, and an offer of demo data."""

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
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.forms import FieldErrors


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
        self.errors.add_row(form, self.tr("&Service name"), "service_name", self.service_name)
        self.errors.add_row(form, self.tr("Your &name"), "practitioner_name",
                            self.practitioner_name)
        self.errors.add_row(form, self.tr("&Job title"), "job_title", self.job_title)
        self.errors.add_row(form, self.tr("&Phone"), "phone", self.phone)
        layout.addLayout(form)
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
        self.resize(560, 380)

    @property
    def wants_demo(self) -> bool:
        return self.demo.isChecked()

    def accept(self) -> None:
        data = setup.SetupInput(
            service_name=self.service_name.text(),
            practitioner_name=self.practitioner_name.text(),
            job_title=self.job_title.text(),
            phone=self.phone.text(),
        )
        try:
            setup.complete_first_run(self.ctx, data)
        except ValidationError as exc:
            orphans = self.errors.show(exc)
            self.general_error.setText("\n".join(orphans))
            self.general_error.setVisible(bool(orphans))
            return
        super().accept()
