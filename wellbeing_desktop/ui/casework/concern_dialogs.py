"""Add the action taken to a risk concern, or resolve it (with the reason)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from wellbeing_desktop.services import risk
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.casework.form_dialog import FormDialog, text_box


class ConcernActionDialog(FormDialog):
    geometry_key = "risk_action"

    def __init__(self, ctx: AppContext, concern: risk.RiskConcernSummary, resolving: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Resolve risk concern" if resolving else "Record action taken",
                         parent)
        self.concern, self.resolving = concern, resolving
        detail = QLabel(concern.detail)
        detail.setWordWrap(True)
        self.form.addRow("Concern", detail)
        if resolving:
            self.text = self.row("&Why it is resolved", "resolution", text_box())
        else:
            self.text = self.row("&Action taken", "action_taken", text_box())
        self.finish_layout()
        self.resize(520, 320)

    def save(self) -> Any:
        if self.resolving:
            return risk.resolve(self.ctx, self.concern.id, self.text.toPlainText())
        return risk.record_action(self.ctx, self.concern.id, self.text.toPlainText())
