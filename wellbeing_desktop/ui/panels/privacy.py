"""The client record's Privacy tab: subject access export, corrections by amendment with
their history, and (supervisors only) erasure leaving a tombstone."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services import permissions, privacy
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, Entity, ValidationError
from wellbeing_desktop.services.files import atomic_write
from wellbeing_desktop.ui.bus import bus
from wellbeing_desktop.ui.forms import FieldErrors
from wellbeing_desktop.ui.operations import read, write
from wellbeing_desktop.ui.pages.base import card
from wellbeing_desktop.ui.panels.base import ClientPanel

HISTORY_COLUMNS = ("When", "Detail", "Was", "Now", "Reason", "By")
SUPERVISOR_ONLY = "Only a supervisor can {what}. Ask your supervisor if the person has asked for this."


class _Note(QLabel):
    """A muted line that takes no room while it has nothing to say."""

    def __init__(self) -> None:
        super().__init__("")
        self.setObjectName("muted")
        self.setWordWrap(True)
        self.setVisible(False)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self.setVisible(bool(text))


def _note() -> QLabel:
    return _Note()


@dataclass(frozen=True)
class Exported:
    pdf: Path
    json: Path


def export_subject_access(ctx: AppContext, client_id: uuid.UUID, folder: Path) -> Exported:
    """Worker side: build the export (audited by the service) and write both files."""
    sar = privacy.subject_access(ctx, client_id)
    stem = f"{sar.file_stem}-{date.today().isoformat()}"
    done = Exported(folder / f"{stem}.pdf", folder / f"{stem}.json")
    for path, data in ((done.pdf, sar.pdf_bytes), (done.json, sar.json_bytes)):
        atomic_write(path, data)
    return done


class PrivacyPanel(ClientPanel):
    watches = frozenset({Entity.CLIENT, Entity.AMENDMENT})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: privacy.PrivacyView | None = None
        self._loading = 0
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.col = QVBoxLayout(body)
        scroll.setWidget(body)
        self.layout_.addWidget(scroll)
        self._build_access()
        self._build_amend()
        self._build_history()
        self._build_erase()
        self.col.addStretch(1)

    # ---- building ----------------------------------------------------------------------
    def _build_access(self) -> None:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        text = QLabel("Everything held about this person, for a subject access request: a "
                      "readable PDF and a complete JSON file, with the audit entries about "
                      "them. The export is recorded in the audit log.")
        text.setWordWrap(True)
        row = QHBoxLayout()
        self.export_button = QPushButton("E&xport everything held…")
        self.export_button.clicked.connect(self.export)
        row.addWidget(self.export_button)
        row.addStretch(1)
        self.export_note = _note()
        col.addWidget(text)
        col.addLayout(row)
        col.addWidget(self.export_note)
        frame, _ = card("Subject access (right of access)", box)
        self.col.addWidget(frame)

    def _build_amend(self) -> None:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        text = QLabel("A correction changes the record and keeps what it said before, why it "
                      "changed, who changed it and when.")
        text.setWordWrap(True)
        col.addWidget(text)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.field = QComboBox()
        for key in privacy.AMENDABLE:
            self.field.addItem(privacy.FIELD_LABELS.get(key, key), key)
        self.current = QLabel("—")
        self.current.setWordWrap(True)
        self.new_value = QLineEdit()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("e.g. spelling confirmed with the person")
        self.errors.add_row(form, "&Detail", "field", self.field)
        current_label = QLabel("It says now")
        current_label.setBuddy(self.current)
        form.addRow(current_label, self.current)
        self.errors.add_row(form, "Correct &value", "new_value", self.new_value)
        self.errors.add_row(form, "&Reason", "reason", self.reason)
        col.addLayout(form)
        row = QHBoxLayout()
        self.amend_button = QPushButton("Record the c&orrection")
        self.amend_button.setObjectName("primary")
        self.amend_button.clicked.connect(self.amend)
        self.reason.returnPressed.connect(self.amend)
        row.addWidget(self.amend_button)
        row.addStretch(1)
        col.addLayout(row)
        self.amend_note = _note()
        col.addWidget(self.amend_note)
        self.field.currentIndexChanged.connect(self._show_current)
        frame, _ = card("Correct a detail (right to rectification)", box)
        self.col.addWidget(frame)

    def _build_history(self) -> None:
        self.history = QTableWidget(0, len(HISTORY_COLUMNS))
        self.history.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.history.setHorizontalHeaderLabels(list(HISTORY_COLUMNS))
        self.history.setAccessibleName("Corrections made, newest first")
        self.history.verticalHeader().setVisible(False)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.history.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.history.setMinimumHeight(150)
        self.history_empty = _note()
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.history)
        col.addWidget(self.history_empty)
        frame, _ = card("Corrections made", box)
        self.col.addWidget(frame)

    def _build_erase(self) -> None:
        box = QWidget()
        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        text = QLabel("Erasure blanks every personal detail of this person and marks the "
                      "records deleted. A tombstone (identifiers and dates, no content) goes to "
                      "central records with the next export so their copy is erased too. It "
                      "cannot be undone.")
        text.setWordWrap(True)
        row = QHBoxLayout()
        self.erase_button = QPushButton("&Erase this client's record…")
        self.erase_button.setObjectName("danger")
        self.erase_button.clicked.connect(self.start_erase)
        row.addWidget(self.erase_button)
        row.addStretch(1)
        self.erase_note = _note()
        col.addWidget(text)
        col.addLayout(row)
        col.addWidget(self.erase_note)
        frame, _ = card("Erase (supervisors only)", box)
        self.col.addWidget(frame)

    # ---- loading -----------------------------------------------------------------------
    def is_loading(self) -> bool:
        return self._loading > 0

    def refresh(self) -> None:
        if self.ctx is None or self.client_id is None:
            return
        self._apply_permissions(self.ctx)
        self._loading += 1
        (read(privacy.privacy_view, self.ctx, self.client_id).on_success(self._show)
         .on_error(self._load_failed).on_done(self._done).start())

    def _done(self) -> None:
        self._loading -= 1

    def _apply_permissions(self, ctx: AppContext) -> None:
        can_export = permissions.allowed(ctx.actor, "privacy.subject_access")
        self.export_button.setEnabled(can_export)
        if not can_export:
            self.export_note.setText(SUPERVISOR_ONLY.format(
                what="export everything held about a client"))
        can_erase = permissions.allowed(ctx.actor, "client.erase")
        self.erase_button.setEnabled(can_erase)
        self.erase_note.setText("" if can_erase else SUPERVISOR_ONLY.format(
            what="erase a client's record"))

    def _show(self, view: privacy.PrivacyView) -> None:
        self.view = view
        self._show_current()
        self.history.setRowCount(len(view.history))
        for r, item in enumerate(view.history):
            values = (item.at.astimezone().strftime("%d %b %Y %H:%M"), item.field_label,
                      item.old_value or "(blank)", item.new_value or "(blank)", item.reason,
                      item.by)
            for c, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setToolTip(value)
                self.history.setItem(r, c, cell)
        self.history.resizeColumnsToContents()
        self.history.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.history_empty.setText("" if view.history else "No corrections have been made.")
        self.history_empty.setVisible(not view.history)

    def _show_current(self) -> None:
        if self.view is None:
            return
        value = self.view.current.get(self.field.currentData(), "")
        self.current.setText(value or "(blank)")

    def _load_failed(self, exc: BaseException) -> None:
        self.amend_note.setText(f"The privacy details could not be loaded: {exc}")

    # ---- subject access ----------------------------------------------------------------
    def export(self) -> None:
        if self.ctx is None or self.client_id is None:
            return
        folder = QFileDialog.getExistingDirectory(
            self, "Choose where to save the subject access export")
        if not folder:
            return
        self.export_button.setEnabled(False)
        self.export_note.setText("Gathering everything held…")
        self._loading += 1
        (write(export_subject_access, self.ctx, self.client_id, Path(folder))
         .on_success(self._exported).on_error(self._export_failed)
         .on_done(self._export_done).start())

    def _export_done(self) -> None:
        self._loading -= 1
        if self.ctx is not None:
            self.export_button.setEnabled(
                permissions.allowed(self.ctx.actor, "privacy.subject_access"))

    def _exported(self, done: Exported) -> None:
        self.export_note.setText(f"Saved {done.pdf.name} and {done.json.name} in "
                                 f"{done.pdf.parent}. The export is in the audit log.")

    def _export_failed(self, exc: BaseException) -> None:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        self.export_note.setText(f"Nothing was exported: {reason}")

    # ---- amendment ---------------------------------------------------------------------
    def amend(self) -> None:
        if self.ctx is None or self.client_id is None:
            return
        self.errors.clear()
        self.amend_note.setText("")
        data = privacy.AmendInput(self.client_id, self.field.currentData(),
                                  self.new_value.text().strip(), self.reason.text())
        self.amend_button.setEnabled(False)
        (write(privacy.amend, self.ctx, data).on_success(self._amended)
         .on_error(self._amend_failed)
         .on_done(lambda: self.amend_button.setEnabled(True)).start())

    def _amended(self, changed: Changed) -> None:
        label = self.field.currentText()
        self.new_value.clear()
        self.reason.clear()
        self.amend_note.setText(f"{label} corrected; the previous value is kept below.")

    def _amend_failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            orphans = self.errors.show(exc)
            self.amend_note.setText("\n".join(orphans))
        else:
            self.amend_note.setText(f"The correction was not saved: {exc}")

    # ---- erasure -----------------------------------------------------------------------
    def start_erase(self) -> Any:
        from wellbeing_desktop.ui.dialogs.erase_client import EraseClientDialog

        if self.ctx is None or self.client_id is None or self.view is None:
            return None
        if not permissions.allowed(self.ctx.actor, "client.erase"):
            return None
        dialog = EraseClientDialog(self.ctx, self.client_id, self.view.last_name, self)
        dialog.erased.connect(self._erased)
        dialog.open()
        return dialog

    def _erased(self, changed: Changed) -> None:
        # The record no longer exists: close its window before the change is announced, so
        # nothing tries to load it again.
        record = self.window()
        if record is not self:
            record.close()
        bus().announce(changed)
