"""The SMART goal builder and the goal review (0–10 progress, comment, status)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QWidget

from wellbeing_desktop.domain import casework as rules
from wellbeing_desktop.domain.needs import NEEDS_DOMAINS
from wellbeing_desktop.services import goals
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.casework.form_dialog import (
    FormDialog,
    combo,
    date_edit,
    date_of,
    line,
    spin,
    text_box,
)

DOMAINS = tuple((d.code, d.label) for d in NEEDS_DOMAINS)


class GoalDialog(FormDialog):
    geometry_key = "goal"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID,
                 goal: goals.GoalSummary | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Edit goal" if goal else "New goal", parent,
                         intro="Write the goal in the person's own words. Specific, "
                               "measurable, achievable, relevant to them, and time-bound.")
        self.client_id, self.goal = client_id, goal
        g = goal
        self.what = self.row("&What they want to do", "what", line(g.what if g else ""))
        self.why = self.row("W&hy it matters to them", "why", text_box(g.why if g else "", lines=2))
        self.steps = self.row("S&teps", "steps", text_box(g.steps if g else "", lines=2))
        self.success = self.row("How you will both &know", "measure_of_success",
                                line(g.measure_of_success if g else ""))
        self.by_when = self.row("&By when", "by_when", date_edit(
            g.by_when if g and g.by_when else date.today() + timedelta(days=42)))
        self.domain = self.row("&Area", "domain", combo(DOMAINS, g.domain if g else None,
                                                        blank="(none)"))
        self.finish_layout()
        self.resize(560, 480)

    def save(self) -> Any:
        draft = goals.GoalInput(self.what.text(), self.why.toPlainText(),
                                self.steps.toPlainText(), self.success.text(),
                                date_of(self.by_when), self.domain.currentData() or "")
        return goals.save_goal(self.ctx, self.client_id, draft,
                               self.goal.id if self.goal else None)


class ReviewDialog(FormDialog):
    geometry_key = "goal_review"

    def __init__(self, ctx: AppContext, goal: goals.GoalSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Review goal", parent, intro=f"<b>{goal.what}</b><br>"
                         f"How we will know: {goal.measure_of_success}")
        self.goal = goal
        self.rating = self.row("&Progress (0 to 10)", "rating",
                               spin(0, 10, goal.latest_rating or 0))
        self.comment = self.row("&Comment", "comment", text_box(lines=2))
        self.status = self.row("S&tatus", "status", combo(rules.GOAL_STATUSES, goal.status))
        self.reviewed_on = self.row("&Date", "reviewed_on", date_edit(date.today()))
        self.finish_layout()
        self.resize(480, 360)

    def save(self) -> Any:
        return goals.review_goal(self.ctx, self.goal.id, self.rating.value(),
                                 self.comment.toPlainText(), status=self.status.currentData(),
                                 reviewed_on=date_of(self.reviewed_on))
