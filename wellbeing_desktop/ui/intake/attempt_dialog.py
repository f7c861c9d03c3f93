"""Record a contact attempt in two keystrokes: the dialog opens on today, a phone call and "no
answer" (the commonest case), so A then Enter records it; a digit picks another outcome and
saves at once (1 no answer … 6 sent), and the note is there for anything else."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.domain import intake
from wellbeing_desktop.services import contact_attempts
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.operations import write


class AttemptDialog(RememberingDialog):
    # A RememberingDialog for its room for wrapped text (the hint was cut off at 150 %).
    geometry_key = "contact_attempt"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID, name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx, self.client_id = ctx, client_id
        self.saved = False
        self.setWindowTitle(f"Contact attempt: {name}")
        col = QVBoxLayout(self)
        hint = QLabel("Enter records it. Or press a number for the outcome: "
                      + ", ".join(f"{i} {label.lower()}"
                                  for i, (_, label) in enumerate(intake.OUTCOMES, start=1)))
        hint.setWordWrap(True)
        hint.setObjectName("muted")
        col.addWidget(hint)
        form = QFormLayout()
        self.when = QDateEdit(QDate.currentDate())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("dd/MM/yyyy")
        self.method = QComboBox()
        for code, label in intake.METHODS:
            self.method.addItem(label, code)
        self.outcome = QComboBox()
        for code, label in intake.OUTCOMES:
            self.outcome.addItem(label, code)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Optional: number tried, who answered…")
        for text, widget in (("&Date", self.when), ("&How", self.method),
                             ("&Outcome", self.outcome), ("&Note", self.note)):
            caption = QLabel(text)
            caption.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            form.addRow(caption, widget)
        col.addLayout(form)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        col.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        col.addWidget(buttons)
        for watched in (self.method, self.outcome, self.save_button):
            watched.installEventFilter(self)
        self.outcome.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        # A digit on the choices (not in the note or the date) picks the outcome and saves.
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            text = event.text()
            if text.isdigit() and 1 <= int(text) <= len(intake.OUTCOMES):
                self.outcome.setCurrentIndex(int(text) - 1)
                self.save()
                return True
        return super().eventFilter(watched, event)

    def data(self) -> contact_attempts.AttemptInput:
        picked = self.when.date()
        return contact_attempts.AttemptInput(
            method=self.method.currentData(), outcome=self.outcome.currentData(),
            note=self.note.text(), attempted_on=date(picked.year(), picked.month(), picked.day()))

    def save(self) -> None:
        self.save_button.setEnabled(False)
        (write(contact_attempts.record, self.ctx, self.client_id, self.data())
         .on_success(self._saved).on_error(self._failed)
         .on_done(lambda: self.save_button.setEnabled(True)).start())

    def _saved(self, result: contact_attempts.Recorded) -> None:
        self.saved = True
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.error.setText("\n".join(p.message for p in exc.problems))
        else:
            self.error.setText(f"The attempt could not be saved: {exc}")
        self.error.setVisible(True)
        self.error.setFocus(Qt.FocusReason.OtherFocusReason)
