"""At start-up (after Today's first data), offer back notes that were typed but never saved —
after a crash or a power cut — so nothing typed is lost. Each can be reopened (the record
and the session form open with the draft restored), discarded (after asking) or left for
later (offered again at the next start)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services import drafts, sessions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.dialogs.errors import show_error
from wellbeing_desktop.ui.operations import Op, read, write


def _preview(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class PendingDraftsDialog(RememberingDialog):
    geometry_key = "pending_drafts"

    def __init__(self, ctx: AppContext, found: list[drafts.Draft],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx = ctx
        self.setWindowTitle("Unsaved notes")
        outer = QVBoxLayout(self)
        intro = QLabel(f"{len(found)} note{'s were' if len(found) != 1 else ' was'} typed but "
                       "not saved (perhaps the computer stopped). Open one to finish and save "
                       "it; nothing is lost if you leave them for later.")
        intro.setWordWrap(True)
        outer.addWidget(intro)
        self.list = QListWidget()
        self.list.setAccessibleName("Unsaved notes")
        self.list.setWordWrap(True)
        self.list.setSpacing(4)
        for d in found:
            saved = d.saved_at.astimezone().strftime("%a %d %b, %H:%M")
            item = QListWidgetItem(f"{d.client_name} — typed {saved}\n{_preview(d.text)}")
            item.setData(Qt.ItemDataRole.UserRole, d)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _i: self.open_selected())
        outer.addWidget(self.list, 1)
        row = QHBoxLayout()
        self.open_button = QPushButton("&Open and finish…")
        self.open_button.setObjectName("primary")
        self.open_button.clicked.connect(self.open_selected)
        self.discard_button = QPushButton("&Discard…")
        self.discard_button.clicked.connect(self.discard_selected)
        later = QPushButton("&Later")
        later.setToolTip("Keep them; they are offered again at the next start")
        later.clicked.connect(self.accept)
        row.addWidget(self.open_button)
        row.addWidget(self.discard_button)
        row.addStretch(1)
        row.addWidget(later)
        outer.addLayout(row)
        # Tests replace this to answer "discard?" without a modal box.
        self.confirm_discard: Callable[[drafts.Draft], bool] = self._ask_discard
        self.opened: Any = None
        self.resize(620, 360)

    def selected(self) -> drafts.Draft | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _remove_selected(self) -> None:
        self.list.takeItem(self.list.currentRow())
        if self.list.count() == 0:
            self.accept()

    def open_selected(self) -> Any:
        draft = self.selected()
        if draft is None:
            return None
        read(_appointment_for, self.ctx, draft).on_success(
            lambda appointment: self._open(draft, appointment)) \
            .on_error(lambda e: show_error(self, e)).start()
        return draft

    def _open(self, draft: drafts.Draft, appointment: Any) -> None:
        from wellbeing_desktop.ui.casework.session_dialog import SessionDialog
        from wellbeing_desktop.ui.client_record import open_client

        record = open_client(self.ctx, draft.client_id, self.parentWidget())
        key = f"appointment:{appointment.id if appointment else f'new:{draft.client_id}'}"
        if key == draft.key:  # the session form restores the draft itself
            form = SessionDialog(self.ctx, draft.client_id, appointment, record)
            form.open()
            self.opened = form
        else:  # a draft of something no longer there: the record will do
            self.opened = record
        self._remove_selected()

    def _ask_discard(self, draft: drafts.Draft) -> bool:
        answer = QMessageBox.question(
            self, "Discard the unsaved note?",
            f"Discard the note typed for {draft.client_name}? It cannot be brought back.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def discard_selected(self) -> None:
        draft = self.selected()
        if draft is None or not self.confirm_discard(draft):
            return
        write(drafts.discard, self.ctx, draft.key) \
            .on_success(lambda _r: self._remove_selected()) \
            .on_error(lambda e: show_error(self, e)).start()


def _appointment_for(ctx: AppContext, draft: drafts.Draft) -> sessions.AppointmentSummary | None:
    """The appointment a draft belongs to ("appointment:<id>"), or None for a new one."""
    prefix, _, rest = draft.key.partition(":")
    if prefix != "appointment" or rest.startswith("new"):
        return None
    try:
        wanted = uuid.UUID(rest)
    except ValueError:
        return None
    return next((a for a in sessions.list_for_client(ctx, draft.client_id) if a.id == wanted),
                None)


def offer_pending_drafts(window: QWidget, ctx: AppContext) -> Op[Any]:
    """Look for unsaved drafts on the worker; if there are any, offer them (not modal)."""
    state: dict[str, Any] = {}

    def show(found: list[drafts.Draft]) -> None:
        if not found or getattr(window, "ctx", ctx) is not ctx:
            return
        dialog = PendingDraftsDialog(ctx, found, window)
        state["dialog"] = dialog
        window.setProperty("pendingDraftsOffered", True)
        dialog.show()

    task = read(drafts.pending, ctx).on_success(show).on_error(lambda _exc: None)
    task.start()
    return task
