"""The holistic needs check: a level of need and the person's own priority per domain."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from wellbeing_desktop.domain.casework import NEED_LEVELS, PRIORITIES
from wellbeing_desktop.domain.needs import DOMAIN_CODES, NEEDS_DOMAINS, domain_label
from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import Saved, require_client
from wellbeing_desktop.services.errors import Changed, FieldProblem, ValidationError
from wellbeing_desktop.services.referrals import current
from wellbeing_desktop.storage.models.casework import NeedRating, NeedsAssessment


@dataclass(frozen=True)
class NeedInput:
    domain: str
    level: int
    priority: int = 0
    notes: str = ""


@dataclass(frozen=True)
class NeedSummary:
    domain: str
    level: int
    priority: int
    notes: str

    @property
    def label(self) -> str:
        return domain_label(self.domain)


@dataclass(frozen=True)
class NeedsAssessmentSummary:
    id: uuid.UUID
    assessed_on: date
    notes: str
    ratings: tuple[NeedSummary, ...]

    def in_priority_order(self) -> list[NeedSummary]:
        """Needs the person rated most urgent first, then by level of need."""
        return sorted((r for r in self.ratings if r.level > 0),
                      key=lambda r: (-r.priority, -r.level, r.label))


def record_assessment(ctx: AppContext, client_id: uuid.UUID, ratings: list[NeedInput],
                      notes: str = "", *, assessed_on: date | None = None) -> Saved:
    permissions.require(ctx.actor, "casework.record")
    on = assessed_on or date.today()
    problems: list[FieldProblem] = []
    levels, priorities = {v for v, _ in NEED_LEVELS}, {v for v, _ in PRIORITIES}
    seen: set[str] = set()
    for r in ratings:
        if r.domain not in DOMAIN_CODES:
            problems.append(FieldProblem(r.domain, "Unknown needs domain."))
        elif r.domain in seen:
            problems.append(FieldProblem(r.domain, "This domain is rated twice."))
        seen.add(r.domain)
        if r.level not in levels:
            problems.append(FieldProblem(r.domain, "Choose a level of need."))
        if r.priority not in priorities:
            problems.append(FieldProblem(r.domain, "Choose a priority."))
        if r.level == 0 and r.priority > 0:
            problems.append(FieldProblem(r.domain, "A domain with no need cannot be a priority."))
    if not any(r.level > 0 for r in ratings) and not notes.strip():
        problems.append(FieldProblem("notes", "No needs were rated: add a note to say why."))
    if on > date.today():
        problems.append(FieldProblem("assessed_on", "The date cannot be in the future."))
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        require_client(s, client_id)
        referral = current(s, client_id)
        row = NeedsAssessment(client_id=client_id, referral_id=referral.id if referral else None,
                              assessed_on=on, notes=notes.strip(), practitioner_id=ctx.actor.id)
        s.add(row)
        s.flush()
        s.add_all(NeedRating(client_id=client_id, assessment_id=row.id, domain=r.domain,
                             level=r.level, priority=r.priority, notes=r.notes.strip())
                  for r in ratings)
        audit.record(s, ctx.actor, "needs.record", entity="needs_assessment", entity_id=row.id,
                     client_id=client_id)
        return Saved(row.id, Changed.of("needs", ids=(str(client_id),)))


def latest_assessment(ctx: AppContext, client_id: uuid.UUID) -> NeedsAssessmentSummary | None:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        a = s.execute(select(NeedsAssessment).where(
            NeedsAssessment.client_id == client_id, NeedsAssessment.deleted_at.is_(None))
            .order_by(NeedsAssessment.assessed_on.desc(), NeedsAssessment.created_at.desc())
            .limit(1)).scalar()
        if a is None:
            return None
        order = {d.code: i for i, d in enumerate(NEEDS_DOMAINS)}
        ratings = sorted(
            (NeedSummary(r.domain, r.level, r.priority, r.notes) for r in s.execute(
                select(NeedRating).where(NeedRating.assessment_id == a.id,
                                         NeedRating.deleted_at.is_(None))).scalars()),
            key=lambda r: order.get(r.domain, 99))
        return NeedsAssessmentSummary(a.id, a.assessed_on, a.notes, tuple(ratings))
