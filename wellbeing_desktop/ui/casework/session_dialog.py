"""Book or record a session: when, how, what happened, topics covered, advice, notes.

The note autosaves as a draft every few seconds (and on every close), so after a crash or
power cut the unsaved note is offered back the next time this session is opened.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimer
from PySide6.QtWidgets import QDateTimeEdit, QLabel, QListWidget, QListWidgetItem, QWidget

from wellbeing_desktop.domain import casework as rules
from wellbeing_desktop.services import drafts, sessions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.casework.form_dialog import (
    FormDialog,
    combo,
    line,
    qdatetime,
    select,
    spin,
    text_box,
)
from wellbeing_desktop.ui.operations import read, write

AUTOSAVE_MS = 3000


class SessionDialog(FormDialog):
    geometry_key = "session"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID,
                 appointment: sessions.AppointmentSummary | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Record session" if appointment else "Book or record a session",
                         parent)
        self.client_id = client_id
        self.appointment = appointment
        self.draft_key = f"appointment:{appointment.id if appointment else f'new:{client_id}'}"
        a = appointment
        self.when = QDateTimeEdit(qdatetime(a.starts_at) if a else QDateTime.currentDateTime())
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy, HH:mm")
        self.row("&When", "starts_at", self.when)
        self.minutes = self.row("&Length", "minutes", spin(5, 240, a.minutes if a else 45,
                                                            " minutes"))
        self.mode = self.row("&Mode", "mode", combo(rules.MODES, a.mode if a else "in_person"))
        self.venue = self.row("&Venue", "venue", line(a.venue if a else "",
                                                      "where you meet in person"))
        self.outcome = self.row("&Outcome", "outcome", combo(rules.OUTCOMES,
                                                             a.outcome if a else "booked"))
        self.topics = QListWidget()
        self.topics.setMaximumHeight(150)
        chosen = set(a.topics if a else ())
        for topic in sessions.topic_library():
            item = QListWidgetItem(topic.label)
            item.setData(Qt.ItemDataRole.UserRole, topic.code)
            item.setToolTip(topic.advice)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if topic.code in chosen
                               else Qt.CheckState.Unchecked)
            self.topics.addItem(item)
        self.topics.itemChanged.connect(self._topic_changed)
        self.row("&Topics covered", "topics", self.topics)
        self.advice = self.row("Brief &advice given", "advice", text_box(a.advice if a else ""))
        self.notes = self.row("&Notes", "notes", text_box(a.notes if a else "", lines=5))
        self.draft_note = QLabel("")
        self.draft_note.setObjectName("muted")
        self.outer.addWidget(self.draft_note)
        self.finish_layout()
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self._mode_changed()
        self._restore_draft()
        self.autosave = QTimer(self)
        self.autosave.setInterval(AUTOSAVE_MS)
        self.autosave.timeout.connect(self.save_draft)
        self.autosave.start()
        self.resize(600, 720)

    def _mode_changed(self, *_a: Any) -> None:
        self.venue.setEnabled(self.mode.currentData() in ("in_person", "group"))

    def _topic_changed(self, item: QListWidgetItem) -> None:
        self.dirty = True
        # Picking a topic offers its brief advice, which the practitioner can edit.
        if item.checkState() == Qt.CheckState.Checked:
            code = item.data(Qt.ItemDataRole.UserRole)
            advice = next((t.advice for t in sessions.topic_library() if t.code == code), "")
            if advice and advice not in self.advice.toPlainText():
                text = self.advice.toPlainText().strip()
                self.advice.setPlainText((text + "\n" if text else "") + advice)
            if self.outcome.currentData() == "booked":
                select(self.outcome, "attended")

    def chosen_topics(self) -> tuple[str, ...]:
        return tuple(self.topics.item(i).data(Qt.ItemDataRole.UserRole)
                     for i in range(self.topics.count())
                     if self.topics.item(i).checkState() == Qt.CheckState.Checked)

    def fields(self) -> dict[str, Any]:
        return {"advice": self.advice.toPlainText(), "outcome": self.outcome.currentData(),
                "topics": list(self.chosen_topics())}

    # drafts -----------------------------------------------------------------------------
    def _restore_draft(self) -> None:
        read(drafts.get_draft, self.ctx, self.draft_key).on_success(self._show_draft) \
            .on_error(lambda _exc: None).start()  # no draft to offer is not an error to show

    def _show_draft(self, draft: drafts.Draft | None) -> None:
        if draft is None or self.dirty:  # nothing kept, or the person has started typing
            return
        self.notes.setPlainText(draft.text)
        if draft.fields.get("advice"):
            self.advice.setPlainText(str(draft.fields["advice"]))
        if draft.fields.get("outcome"):
            select(self.outcome, draft.fields["outcome"])
        wanted = set(draft.fields.get("topics") or ())
        for i in range(self.topics.count()):
            item = self.topics.item(i)
            if item.data(Qt.ItemDataRole.UserRole) in wanted:
                item.setCheckState(Qt.CheckState.Checked)
        saved = draft.saved_at.astimezone().strftime("%d %b at %H:%M")
        self.draft_note.setText(f"Restored your unsaved note from {saved}.")
        self.dirty = True

    def save_draft(self) -> None:
        if not self.dirty or self.saving:
            return
        if not (self.notes.toPlainText().strip() or self.advice.toPlainText().strip()):
            return
        # On the write pool, so it is ordered with the final save (one writer thread).
        at = datetime.now().strftime("%H:%M:%S")
        write(drafts.save_draft, self.ctx, self.client_id, self.draft_key,
              self.notes.toPlainText(), self.fields()).parent(self) \
            .on_success(lambda _r: self.draft_note.setText("Draft saved " + at)).start()

    def reject(self) -> None:
        was_dirty = self.dirty
        super().reject()
        if was_dirty and not self.isVisible():
            write(drafts.discard, self.ctx, self.draft_key).start()  # the user chose to

    def save(self) -> Any:
        when: datetime = self.when.dateTime().toPython()  # type: ignore[assignment]
        return sessions.save_appointment(
            self.ctx, self.client_id,
            sessions.AppointmentInput(
                starts_at=when, minutes=self.minutes.value(), mode=self.mode.currentData(),
                venue=self.venue.text() if self.venue.isEnabled() else "",
                outcome=self.outcome.currentData(), topics=self.chosen_topics(),
                advice=self.advice.toPlainText(), notes=self.notes.toPlainText()),
            self.appointment.id if self.appointment else None, draft_key=self.draft_key)

    def done(self, result: int) -> None:
        self.autosave.stop()
        super().done(result)
