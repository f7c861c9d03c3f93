"""Merge two records of the same person. Choose the other record (possible duplicates are
listed; any record can be found by search), choose which one is kept, read what will move,
confirm. The other record is closed (marked as merged into the kept one), never erased."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.domain import nhs_number
from wellbeing_desktop.services import clients
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.ui.bus import bus
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.dialogs.errors import show_error
from wellbeing_desktop.ui.operations import Op, read, write


def describe(c: clients.ClientSummary) -> str:
    parts = [c.display_name]
    if c.date_of_birth:
        parts.append(f"born {c.date_of_birth:%d %b %Y}")
    if c.nhs_number:
        parts.append(f"NHS {nhs_number.display(c.nhs_number)}")
    if c.postcode:
        parts.append(c.postcode)
    return " · ".join(parts)


class MergeDialog(RememberingDialog):
    geometry_key = "merge_clients"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID, parent: QWidget | None = None,
                 *, other_id: uuid.UUID | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx, self.client_id = ctx, client_id
        self.setWindowTitle("Merge duplicate records")
        self.preview: clients.MergePreview | None = None
        self.merged: clients.Saved | None = None
        self._loading = 0
        outer = QVBoxLayout(self)
        intro = QLabel("Use this when one person has two records. Everything recorded on "
                       "the other record moves to the one you keep; the other is closed and "
                       "marked as merged. Nothing is deleted.")
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        outer.addWidget(intro)
        find = QLabel("&Find the other record (possible duplicates are listed first):")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Name, NHS number or postcode")
        self.search.setClearButtonEnabled(True)
        find.setBuddy(self.search)
        outer.addWidget(find)
        outer.addWidget(self.search)
        self.candidates = QListWidget()
        self.candidates.setAccessibleName("Records that may be the same person")
        self.candidates.setMaximumHeight(130)
        outer.addWidget(self.candidates)
        self.choice = QGroupBox("Which record is kept?")
        box = QVBoxLayout(self.choice)
        self.keep_this = QRadioButton("")
        self.keep_other = QRadioButton("")
        self.keep_this.setChecked(True)
        group = QButtonGroup(self)
        for b in (self.keep_this, self.keep_other):
            group.addButton(b)
            box.addWidget(b)
            b.toggled.connect(lambda _on: self._load_preview())
        outer.addWidget(self.choice)
        self.summary = QLabel("Choose the other record above.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setAccessibleName("What the merge will do")
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop)
        outer.addWidget(self.summary, 1)
        self.confirm = QCheckBox("I have checked these two records are the &same person")
        outer.addWidget(self.confirm)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        outer.addWidget(self.error)
        # Ctrl+Enter never presses anything here (ui/keys.py): it cannot be undone.
        self.setProperty("consequential", True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.merge_button.setText("&Merge")
        self.merge_button.setObjectName("primary")
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.confirm.toggled.connect(lambda _on: self._update_button())
        self.candidates.currentItemChanged.connect(lambda *_a: self._load_preview())
        self.search.textChanged.connect(self._find)
        self.resize(640, 600)
        self._update_button()
        self._busy(read(clients.duplicates_of, ctx, client_id).on_success(
            lambda found: self._show_candidates([(d.client, d.reason) for d in found],
                                                select_id=other_id)))

    # loading -----------------------------------------------------------------------------
    def is_loading(self) -> bool:
        return self._loading > 0

    def _busy(self, task: Op[Any]) -> None:
        self._loading += 1
        task.on_error(lambda e: show_error(self, e)).on_done(self._idle).start()

    def _idle(self) -> None:
        self._loading -= 1

    def _find(self, text: str) -> None:
        if len(text.strip()) < 2:
            return
        self._busy(read(clients.list_clients, self.ctx, text, limit=20).on_success(
            lambda found: self._show_candidates([(c, "") for c in found
                                                 if c.id != self.client_id])))

    def _show_candidates(self, found: list[tuple[clients.ClientSummary, str]], *,
                         select_id: uuid.UUID | None = None) -> None:
        self.candidates.clear()
        for summary, reason in found:
            item = QListWidgetItem(describe(summary) + (f"  ({reason})" if reason else ""))
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            self.candidates.addItem(item)
            if summary.id == select_id:
                self.candidates.setCurrentItem(item)
        if not found:
            self.summary.setText("No possible duplicates were found. Search for the other "
                                 "record above.")
        elif self.candidates.currentItem() is None:
            self.candidates.setCurrentRow(0)

    def other_id(self) -> uuid.UUID | None:
        item = self.candidates.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def ids(self) -> tuple[uuid.UUID, uuid.UUID] | None:
        other = self.other_id()
        if other is None:
            return None
        return (self.client_id, other) if self.keep_this.isChecked() else (other, self.client_id)

    def _load_preview(self) -> None:
        pair = self.ids()
        self.preview = None
        self.confirm.setChecked(False)
        self._update_button()
        if pair is None:
            return
        self._busy(read(clients.merge_preview, self.ctx, *pair).on_success(self._show_preview))

    def _show_preview(self, preview: clients.MergePreview) -> None:
        if self.ids() != (preview.keep.id, preview.merge.id):
            return  # the choice changed meanwhile
        self.preview = preview
        this, other = ((preview.keep, preview.merge) if preview.keep.id == self.client_id
                       else (preview.merge, preview.keep))
        self.keep_this.setText(f"Keep this record: {describe(this)}")
        self.keep_other.setText(f"Keep the other record: {describe(other)}")
        moves = ", ".join(f"{n} {kind}" for kind, n in sorted(preview.moves.items()))
        self.summary.setText(
            f"<p><b>Kept:</b> {describe(preview.keep)}</p>"
            f"<p><b>Closed and marked as merged:</b> {describe(preview.merge)}</p>"
            f"<p><b>Moves to the kept record:</b> {moves or 'nothing is recorded on it yet'}. "
            "Blank details of the kept record are filled from the other.</p>")
        self.error.setText(preview.problem)
        self.error.setVisible(bool(preview.problem))
        self._update_button()

    def _update_button(self) -> None:
        ready = (self.preview is not None and not self.preview.problem
                 and self.confirm.isChecked())
        self.merge_button.setEnabled(ready)
        if self.preview is not None:
            self.merge_button.setText(f"&Merge into {self.preview.keep.display_name}")

    # merging -----------------------------------------------------------------------------
    def merge(self) -> None:
        pair = self.ids()
        if pair is None or self.preview is None or not self.confirm.isChecked():
            return
        self.merge_button.setEnabled(False)
        write(clients.merge_clients, self.ctx, *pair).quiet() \
            .on_success(self._merged).on_error(self._failed).start()

    def _merged(self, saved: clients.Saved) -> None:
        self.merged = saved
        self.accept()  # first: a record window of the closed record goes away before...
        bus().announce(saved.changed)  # ...views refresh

    def _failed(self, exc: BaseException) -> None:
        self._update_button()
        if isinstance(exc, ValidationError):
            self.error.setText(" ".join(p.message for p in exc.problems))
            self.error.setVisible(True)
            return
        show_error(self, exc)


def open_merge(ctx: AppContext, client_id: uuid.UUID, parent: QWidget | None = None,
               **kwargs: Any) -> MergeDialog:
    dlg = MergeDialog(ctx, client_id, parent, **kwargs)
    dlg.open()
    return dlg
