"""Record a risk concern: what it is, the action taken, and the crisis contacts to give.

Used by the client record ("Record a risk concern") and by the measures area when a PHQ-9
item 9 answer is above 0 (source "measure:PHQ-9"). Recording is the only way out other than
Cancel, which asks first, so a concern is never dismissed silently.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from wellbeing_desktop.services import risk
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.casework.form_dialog import FormDialog, text_box


class RiskConcernDialog(FormDialog):
    geometry_key = "risk_concern"
    save_label = "&Record concern"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID, *, source: str = "practitioner",
                 detail: str = "", parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Record a risk concern", parent,
                         intro="Record what the concern is and what you did. The concern shows "
                               "at the top of the record until it is resolved.")
        self.client_id = client_id
        self.source = source
        contacts = risk.crisis_contacts(ctx)
        box = QFrame()
        box.setObjectName("riskBanner")
        col = QVBoxLayout(box)
        title = QLabel("<b>Crisis contacts to give the person</b>")
        col.addWidget(title)
        self.contacts = QLabel("<br>".join(f"{c.name}: <b>{c.phone}</b>" for c in contacts)
                               or "No crisis contacts are set up: add them in Settings.")
        self.contacts.setAccessibleName("Crisis contacts")
        self.contacts.setWordWrap(True)
        col.addWidget(self.contacts)
        self.outer.insertWidget(1, box)
        src = QLabel(source if not source.startswith("measure:") else
                     f"Raised by a {source.split(':', 1)[1]} answer")
        self.form.addRow("Source", src)
        self.detail = self.row("&What is the concern", "detail", text_box(detail))
        self.action = self.row("&Action taken", "action_taken", text_box(
            "", lines=3))
        self.action.setPlaceholderText("e.g. asked directly; safety plan agreed; crisis numbers "
                                       "given; duty clinician / GP informed")
        self.finish_layout()
        self.dirty = bool(detail)  # a measure's flag must not vanish with a stray Escape
        self.action.setFocus()
        self.resize(560, 520)

    def save(self) -> Any:
        return risk.record_concern(self.ctx, self.client_id, source=self.source,
                                   detail=self.detail.toPlainText(),
                                   action_taken=self.action.toPlainText())
