"""Assessment: the holistic needs check (level and the person's own priority per domain)
and the suitability decision with the expectations checklist."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QWidget

from wellbeing_desktop.domain import casework as rules
from wellbeing_desktop.domain.needs import NEEDS_DOMAINS
from wellbeing_desktop.services import needs, referrals
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.casework.form_dialog import (
    FormDialog,
    checkbox,
    combo,
    date_edit,
    date_of,
    text_box,
)


class NeedsDialog(FormDialog):
    geometry_key = "needs_check"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID,
                 previous: needs.NeedsAssessmentSummary | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Holistic needs check", parent,
                         intro="For each area: how much need there is, and how much it "
                               "matters to the person right now.")
        self.client_id = client_id
        before = {r.domain: r for r in (previous.ratings if previous else ())}
        grid_box = QGroupBox("Needs")
        grid = QGridLayout(grid_box)
        for col, head in enumerate(("Area", "Level of need", "Their priority", "Notes")):
            grid.addWidget(QLabel(f"<b>{head}</b>"), 0, col)
        self.rows: dict[str, tuple[QComboBox, QComboBox, QLineEdit]] = {}
        for r, domain in enumerate(NEEDS_DOMAINS, start=1):
            old = before.get(domain.code)
            caption = QLabel(domain.label)
            level = combo(tuple((str(v), t) for v, t in rules.NEED_LEVELS),
                          str(old.level) if old else "0")
            prio = combo(tuple((str(v), t) for v, t in rules.PRIORITIES),
                         str(old.priority) if old else "0")
            note = QLineEdit(old.notes if old else "")
            caption.setBuddy(level)
            level.setAccessibleName(f"{domain.label}: level of need")
            prio.setAccessibleName(f"{domain.label}: their priority")
            note.setAccessibleName(f"{domain.label}: notes")
            for c, w in enumerate((caption, level, prio, note)):
                grid.addWidget(w, r, c)
            for w in (level, prio, note):
                self.watch(w)
            self.rows[domain.code] = (level, prio, note)
        # Inside the fields' scroll area: outside it, the grid made the dialog 742 px tall at
        # its smallest and Save fell off a 1024×700 screen.
        self.form.addRow(grid_box)
        self.notes = self.row("&Notes", "notes", text_box(previous.notes if previous else ""))
        self.assessed_on = self.row("&Date", "assessed_on", date_edit())
        self.problem_label = QLabel("")
        self.problem_label.setObjectName("fieldError")
        self.finish_layout()
        self.resize(760, 720)

    def ratings(self) -> list[needs.NeedInput]:
        return [needs.NeedInput(code, int(level.currentData()), int(prio.currentData()),
                                note.text())
                for code, (level, prio, note) in self.rows.items()
                if int(level.currentData()) > 0 or note.text().strip()]

    def save(self) -> Any:
        return needs.record_assessment(self.ctx, self.client_id, self.ratings(),
                                       self.notes.toPlainText(),
                                       assessed_on=date_of(self.assessed_on))

    def _failed(self, exc: BaseException) -> None:
        from wellbeing_desktop.services.errors import ValidationError

        if isinstance(exc, ValidationError):
            # Domain problems are named by domain: show them beside the grid.
            labels = {d.code: d.label for d in NEEDS_DOMAINS}
            lines = [f"{labels[p.field]}: {p.message}" for p in exc.problems if p.field in labels]
            if lines:
                self.general_error.setText("\n".join(lines))
                self.general_error.setVisible(True)
                rest = [p for p in exc.problems if p.field not in labels]
                if rest:
                    self.errors.show(ValidationError(rest))
                return
        super()._failed(exc)


class SuitabilityDialog(FormDialog):
    geometry_key = "suitability"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Suitability decision", parent,
                         intro="Decide with the person whether this pathway fits, and make sure "
                               "they know what it is and what it is not.")
        self.client_id = client_id
        self.decision = self.row("&Decision", "decision", combo(rules.SUITABILITY))
        self.reasons = self.row("&Reasons", "reasons", text_box())
        self.adjustments = self.row("Ad&justments", "adjustments", text_box(lines=2))
        box = QGroupBox("Expectations discussed")
        col = QGridLayout(box)
        self.expectations: dict[str, Any] = {}
        for i, (code, label) in enumerate(rules.EXPECTATIONS):
            check = checkbox(label)
            self.watch(check)
            col.addWidget(check, i, 0)
            self.expectations[code] = check
        self.row("Checklist", "expectations", box)
        self.mode = self.row("Preferred &mode", "preferred_mode",
                             combo(rules.MODES, blank="(choose)"))
        self.decided_on = self.row("D&ate", "decided_on", date_edit())
        self.finish_layout()
        self.decision.currentIndexChanged.connect(self._decision_changed)
        self._decision_changed()
        self.resize(620, 640)

    def _decision_changed(self, *_a: Any) -> None:
        self.adjustments.setEnabled(self.decision.currentData() == "suitable_adjusted")

    def save(self) -> Any:
        return referrals.record_suitability(self.ctx, self.client_id, referrals.SuitabilityInput(
            self.decision.currentData(), self.reasons.toPlainText(),
            tuple(c for c, box in self.expectations.items() if box.isChecked()),
            self.mode.currentData() or "", self.adjustments.toPlainText(),
            date_of(self.decided_on)))


