"""The team's own details about a service: needs it helps with, self-referral, notes."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.domain.needs import NEEDS_DOMAINS
from wellbeing_desktop.services import directory
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.directory import LocalDetails, ServiceDetail
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.forms import FieldErrors
from wellbeing_desktop.ui.operations import write

SELF_REFERRAL = [("Not known", None), ("Yes", True), ("No", False)]


class LocalDetailsDialog(RememberingDialog):
    geometry_key = "directory_notes"

    def __init__(self, ctx: AppContext, detail: ServiceDetail,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx, self.detail = ctx, detail
        self.setWindowTitle(f"Notes: {detail.name}")
        col = QVBoxLayout(self)
        needs_box = QGroupBox("&Helps with (needs domains)")
        grid = QGridLayout(needs_box)
        self.needs: dict[str, QCheckBox] = {}
        for i, domain in enumerate(NEEDS_DOMAINS):
            box = QCheckBox(domain.label)
            box.setChecked(domain.code in detail.needs)
            grid.addWidget(box, i // 3, i % 3)
            self.needs[domain.code] = box
        col.addWidget(needs_box)
        self.needs_error = QLabel("")
        self.needs_error.setObjectName("fieldError")
        self.needs_error.setVisible(False)
        col.addWidget(self.needs_error)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.self_referral = QComboBox()
        for label, value in SELF_REFERRAL:
            self.self_referral.addItem(label, value)
        self.self_referral.setCurrentIndex(
            next(i for i, (_l, v) in enumerate(SELF_REFERRAL) if v == detail.self_referral))
        self.how = QPlainTextEdit(detail.how_to_refer)
        self.how.setTabChangesFocus(True)
        self.how.setFixedHeight(70)
        self.notes = QPlainTextEdit(detail.practitioner_notes)
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(90)
        self.errors.add_row(form, "Accepts &self-referral", "self_referral", self.self_referral)
        self.errors.add_row(form, "How to &refer", "how_to_refer", self.how)
        self.errors.add_row(form, "Team &notes", "practitioner_notes", self.notes)
        col.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        self._initial = self.values()

    def values(self) -> LocalDetails:
        return LocalDetails(
            needs=tuple(code for code, box in self.needs.items() if box.isChecked()),
            self_referral=self.self_referral.currentData(),
            how_to_refer=self.how.toPlainText(),
            practitioner_notes=self.notes.toPlainText(),
        )

    def save(self) -> None:
        values = self.values()

        def ok(_changed: object) -> None:
            self.accept()

        write(directory.save_local_details, self.ctx, self.detail.id, values) \
            .on_success(ok).on_error(self._failed).start()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            orphans = self.errors.show(exc)
            message = exc.for_field("needs")
            self.needs_error.setText(message or "")
            self.needs_error.setVisible(bool(message))
            rest = [o for o in orphans if o != message]
            if rest:
                QMessageBox.warning(self, "Check the details", "\n".join(rest))
            return
        from wellbeing_desktop.ui.dialogs.errors import show_error

        show_error(self, exc)

    def reject(self) -> None:
        if self.values() != self._initial and self.isVisible():
            answer = QMessageBox.question(
                self, "Discard changes?", "Discard the changes to these notes?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()
