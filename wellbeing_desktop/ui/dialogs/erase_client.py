"""Erasing a client's record (supervisors only), in two steps.

Step 1 explains what erasure does (the tombstone) and asks why; step 2 asks the supervisor
to type the client's family name before "Erase permanently" becomes available."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services import privacy
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, FieldProblem, ValidationError
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.forms import FieldErrors
from wellbeing_desktop.ui.operations import write

EXPLANATION = (
    "<p><b>What erasure does</b></p>"
    "<ul>"
    "<li>Every personal detail of this person is blanked: their name, contact details, notes, "
    "plans, measures, sessions and letters, in every part of the record.</li>"
    "<li>The records are then marked as deleted. What stays is a <b>tombstone</b>: the record "
    "identifiers and dates only, with nothing that says who the person was or what was "
    "written.</li>"
    "<li>The tombstone goes to central records with the next export, so the copies there are "
    "erased too.</li>"
    "<li>The audit log keeps its entries (identifiers only, no content), including this "
    "erasure.</li>"
    "<li>This cannot be undone from within the app. Only a backup taken before today still "
    "holds the details.</li>"
    "</ul>"
    "<p>Erase only when the person has a right to erasure and no legal duty to keep the "
    "record applies (for adult mental health records the usual period is 20 years).</p>"
)


class EraseClientDialog(RememberingDialog):
    """Emits `erased(Changed)` once the service has erased the record."""

    geometry_key = "erase_client"
    erased = Signal(object)

    def __init__(self, ctx: AppContext, client_id: uuid.UUID, family_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx, self.client_id = ctx, client_id
        self.confirm_word = family_name.strip() or "ERASE"
        self.setWindowTitle("Erase this client's record")
        self.setObjectName("eraseClient")
        col = QVBoxLayout(self)
        self.steps = QStackedWidget()
        col.addWidget(self.steps)

        # step 1: what it does, and why --------------------------------------------------
        first = QWidget()
        c1 = QVBoxLayout(first)
        step1 = QLabel("Step 1 of 2: what happens")
        step1.setObjectName("cardTitle")
        c1.addWidget(step1)
        explain = QLabel(EXPLANATION)
        explain.setWordWrap(True)
        c1.addWidget(explain)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. erasure request received 24 Nov, confirmed by phone")
        self.errors.add_row(form, "&Why is it being erased?", "reason", self.reason)
        c1.addLayout(form)
        c1.addStretch(1)
        row1 = QHBoxLayout()
        row1.addStretch(1)
        # Ctrl+Enter never presses anything here (ui/keys.py): it cannot be undone.
        self.setProperty("consequential", True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.reject)
        self.continue_button = QPushButton("&Continue…")
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self.go_on)
        row1.addWidget(self.cancel_button)
        row1.addWidget(self.continue_button)
        c1.addLayout(row1)
        self.steps.addWidget(first)

        # step 2: type the name to confirm ------------------------------------------------
        second = QWidget()
        c2 = QVBoxLayout(second)
        step2 = QLabel("Step 2 of 2: confirm")
        step2.setObjectName("cardTitle")
        c2.addWidget(step2)
        warn = QLabel("This cannot be undone. To confirm, type the client's family name "
                      f"exactly as it is on the record: <b>{_escape(self.confirm_word)}</b>")
        warn.setWordWrap(True)
        c2.addWidget(warn)
        form2 = QFormLayout()
        self.confirm = QLineEdit()
        label = QLabel("&Family name")
        label.setBuddy(self.confirm)
        self.confirm.setAccessibleName("Type the family name to confirm")
        form2.addRow(label, self.confirm)
        c2.addLayout(form2)
        self.problem = QLabel("")
        self.problem.setObjectName("fieldError")
        self.problem.setWordWrap(True)
        self.problem.setVisible(False)
        c2.addWidget(self.problem)
        c2.addStretch(1)
        row2 = QHBoxLayout()
        self.back_button = QPushButton("&Back")
        self.back_button.clicked.connect(lambda: self.steps.setCurrentIndex(0))
        self.erase_button = QPushButton("&Erase permanently")
        self.erase_button.setObjectName("danger")
        self.erase_button.setEnabled(False)
        self.erase_button.clicked.connect(self.erase)
        self.confirm.textChanged.connect(self._typed)
        row2.addWidget(self.back_button)
        row2.addStretch(1)
        row2.addWidget(self.erase_button)
        c2.addLayout(row2)
        self.steps.addWidget(second)
        self.resize(620, 520)

    def go_on(self) -> None:
        self.errors.clear()
        if not self.reason.text().strip():
            self.errors.show(ValidationError([FieldProblem(
                "reason", "Record why the client is being erased.")]))
            return
        self.steps.setCurrentIndex(1)
        self.confirm.setFocus()

    def _typed(self, text: str) -> None:
        self.erase_button.setEnabled(text.strip().casefold() == self.confirm_word.casefold())

    def erase(self) -> None:
        if not self.erase_button.isEnabled():
            return
        self.erase_button.setEnabled(False)
        self.back_button.setEnabled(False)
        (write(privacy.erase, self.ctx, self.client_id, self.reason.text()).quiet()
         .on_success(self._done).on_error(self._failed).start())

    def _done(self, changed: Changed) -> None:
        self.erased.emit(changed)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.back_button.setEnabled(True)
        self._typed(self.confirm.text())
        if isinstance(exc, ValidationError) and not self.errors.show(exc):
            self.steps.setCurrentIndex(0)  # the reason: shown under its field
            return
        self.problem.setText(f"The record was not erased: {exc}")
        self.problem.setVisible(True)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
