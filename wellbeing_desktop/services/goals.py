"""SMART goals and their reviews (0–10 progress, a comment, the goal's status)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wellbeing_desktop.domain import casework as rules
from wellbeing_desktop.domain import goals as goal_rules
from wellbeing_desktop.domain.needs import DOMAIN_CODES, domain_label
from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import Saved, require_client
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.services.referrals import current
from wellbeing_desktop.storage.models.casework import Goal, GoalReview

GoalInput = goal_rules.GoalDraft


@dataclass(frozen=True)
class ReviewSummary:
    id: uuid.UUID
    reviewed_on: date
    rating: int
    comment: str


@dataclass(frozen=True)
class GoalSummary:
    id: uuid.UUID
    client_id: uuid.UUID
    what: str
    why: str
    steps: str
    measure_of_success: str
    by_when: date | None
    domain: str
    status: str
    set_on: date
    reviews: tuple[ReviewSummary, ...]

    @property
    def latest_rating(self) -> int | None:
        return self.reviews[-1].rating if self.reviews else None

    @property
    def status_label(self) -> str:
        return rules.label(rules.GOAL_STATUSES, self.status)

    @property
    def domain_label(self) -> str:
        return domain_label(self.domain) if self.domain else ""

    @property
    def trend(self) -> str:
        return goal_rules.trend([r.rating for r in self.reviews])


def save_goal(ctx: AppContext, client_id: uuid.UUID, data: GoalInput,
              goal_id: uuid.UUID | None = None, *, today: date | None = None) -> Saved:
    permissions.require(ctx.actor, "casework.record")
    today = today or date.today()
    problems = [FieldProblem(f, m) for f, m in goal_rules.problems(
        data, today=today, known_domains=DOMAIN_CODES)]
    with ctx.store.session() as s:
        require_client(s, client_id)
        if goal_id is None:
            active = s.execute(select(func.count()).select_from(Goal).where(
                Goal.client_id == client_id, Goal.status == "active",
                Goal.deleted_at.is_(None))).scalar_one()
            if active >= goal_rules.MAX_ACTIVE:
                problems.append(FieldProblem("what", f"There are already {active} active goals; "
                                                     "review or close one first."))
        if problems:
            raise ValidationError(problems)
        if goal_id is None:
            referral = current(s, client_id)
            row = Goal(client_id=client_id, referral_id=referral.id if referral else None,
                       set_on=today, status="active", practitioner_id=ctx.actor.id, what="")
            s.add(row)
        else:
            found = s.get(Goal, goal_id)
            if found is None or found.deleted_at is not None or found.client_id != client_id:
                raise NotFound("That goal was not found.")
            row = found
        row.what, row.why, row.steps = data.what.strip(), data.why.strip(), data.steps.strip()
        row.measure_of_success, row.by_when = data.measure_of_success.strip(), data.by_when
        row.domain = data.domain
        s.flush()
        _refresh_due(s, row)
        audit.record(s, ctx.actor, "goal.save", entity="goal", entity_id=row.id,
                     client_id=client_id)
        return Saved(row.id, Changed.of("goal", ids=(str(client_id),)))


def review_goal(ctx: AppContext, goal_id: uuid.UUID, rating: int, comment: str = "",
                *, status: str | None = None, reviewed_on: date | None = None) -> Saved:
    permissions.require(ctx.actor, "casework.record")
    on = reviewed_on or date.today()
    problems = []
    issue = goal_rules.rating_problem(rating)
    if issue:
        problems.append(FieldProblem("rating", f"Progress {issue}."))
    if status is not None and status not in rules.codes(rules.GOAL_STATUSES):
        problems.append(FieldProblem("status", "Choose a status."))
    if on > date.today():
        problems.append(FieldProblem("reviewed_on", "The date cannot be in the future."))
    with ctx.store.session() as s:
        goal = s.get(Goal, goal_id)
        if goal is None or goal.deleted_at is not None:
            raise NotFound("That goal was not found.")
        if on < goal.set_on:
            problems.append(FieldProblem("reviewed_on", "A review cannot be before the goal "
                                                        "was set."))
        if problems:
            raise ValidationError(problems)
        row = GoalReview(client_id=goal.client_id, goal_id=goal.id, reviewed_on=on,
                         rating=rating, comment=comment.strip())
        s.add(row)
        if status is not None:
            goal.status = status
        s.flush()
        _refresh_due(s, goal)
        audit.record(s, ctx.actor, "goal.review", entity="goal_review", entity_id=row.id,
                     client_id=goal.client_id)
        return Saved(row.id, Changed.of("goal", ids=(str(goal.client_id),)))


def _refresh_due(s: Session, goal: Goal) -> None:
    last = s.execute(select(func.max(GoalReview.reviewed_on)).where(
        GoalReview.goal_id == goal.id, GoalReview.deleted_at.is_(None))).scalar()
    due = goal_rules.review_due(goal.set_on, last, goal.by_when)
    if goal.review_due_on != due:
        goal.review_due_on = due


def list_for_client(ctx: AppContext, client_id: uuid.UUID) -> list[GoalSummary]:
    """Goals, active first then newest, each with its reviews oldest first."""
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        goals = s.execute(select(Goal).where(Goal.client_id == client_id,
                                             Goal.deleted_at.is_(None))
                          .order_by(Goal.set_on.desc(), Goal.created_at.desc())).scalars().all()
        reviews: dict[uuid.UUID, list[ReviewSummary]] = {}
        for r in s.execute(select(GoalReview).where(GoalReview.client_id == client_id,
                                                    GoalReview.deleted_at.is_(None))
                           .order_by(GoalReview.reviewed_on, GoalReview.created_at)).scalars():
            reviews.setdefault(r.goal_id, []).append(
                ReviewSummary(r.id, r.reviewed_on, r.rating, r.comment))
        out = [GoalSummary(g.id, g.client_id, g.what, g.why, g.steps, g.measure_of_success,
                           g.by_when, g.domain, g.status, g.set_on, tuple(reviews.get(g.id, [])))
               for g in goals]
        return sorted(out, key=lambda g: g.status != "active")
