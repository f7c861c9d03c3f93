"""Report a service as closed or wrong, for the directory team to check."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from wellbeing_desktop.services import directory
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.directory import ServiceDetail
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.forms import FieldErrors
from wellbeing_desktop.ui.operations import write


class ReportWrongDialog(RememberingDialog):
    geometry_key = "directory_report_wrong"

    def __init__(self, ctx: AppContext, detail: ServiceDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx, self.detail = ctx, detail
        self.setWindowTitle("Report a service as wrong")
        self.setMinimumWidth(480)
        col = QVBoxLayout(self)
        intro = QLabel(f"What is wrong with <b>{detail.name}</b>? The directory team will check "
                       "and correct it.")
        intro.setWordWrap(True)
        col.addWidget(intro)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.reason = QLineEdit(detail.reported_wrong_reason)
        self.reason.setPlaceholderText("For example: closed, phone number not in use, moved")
        self.errors.add_row(form, "&What is wrong", "reason", self.reason)
        col.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Report")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)

    def save(self) -> None:
        def ok(_changed: object) -> None:
            self.accept()

        write(directory.report_wrong, self.ctx, self.detail.id, self.reason.text()) \
            .fields(self.errors).parent(self).on_success(ok).start()
