"""Risk concerns: recorded with the action taken and the crisis contacts shown; the record
shows a banner until a practitioner resolves the concern (it is never dismissed silently)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import require_client
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.storage.models.casework import RiskConcern
from wellbeing_desktop.storage.types import utcnow


@dataclass(frozen=True)
class CrisisContact:
    name: str
    phone: str


@dataclass(frozen=True)
class RiskConcernSummary:
    id: uuid.UUID
    client_id: uuid.UUID
    raised_at: datetime
    source: str
    detail: str
    action_taken: str
    crisis_contacts_shown: str
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    resolution: str

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None

    @property
    def changed(self) -> Changed:
        return Changed.of("risk", ids=(str(self.client_id), str(self.id)))

    @property
    def source_label(self) -> str:
        if self.source.startswith("measure:"):
            return f"{self.source.split(':', 1)[1]} answer"
        return "Practitioner" if self.source == "practitioner" else self.source


def crisis_contacts(ctx: AppContext) -> list[CrisisContact]:
    from wellbeing_desktop.services.settings import crisis_contact_rows

    return [CrisisContact(r["name"], r["phone"]) for r in crisis_contact_rows(ctx.settings)]


def _summary(r: RiskConcern) -> RiskConcernSummary:
    return RiskConcernSummary(r.id, r.client_id, r.raised_at, r.source, r.detail, r.action_taken,
                              r.crisis_contacts_shown, r.acknowledged_at, r.resolved_at,
                              r.resolution)


def record_concern(ctx: AppContext, client_id: uuid.UUID, *, source: str, detail: str,
                   action_taken: str) -> RiskConcernSummary:
    """Record a concern. A practitioner's own concern needs the action taken; one raised by a
    measure may arrive before anyone acted, and its banner then asks for the action."""
    permissions.require(ctx.actor, "casework.record")
    problems = []
    if not source.strip():
        problems.append(FieldProblem("source", "Say where the concern came from."))
    if not detail.strip():
        problems.append(FieldProblem("detail", "Describe the concern."))
    if source == "practitioner" and not action_taken.strip():
        problems.append(FieldProblem("action_taken", "Record what you did about it (for example: "
                                                     "safety plan agreed, GP informed)."))
    if problems:
        raise ValidationError(problems)
    shown = "; ".join(f"{c.name} {c.phone}" for c in crisis_contacts(ctx))
    with ctx.store.session() as s:
        require_client(s, client_id)
        now = utcnow()
        row = RiskConcern(client_id=client_id, raised_at=now, source=source.strip()[:40],
                          detail=detail.strip(), action_taken=action_taken.strip(),
                          crisis_contacts_shown=shown, raised_by=ctx.actor.id)
        if action_taken.strip():
            row.acknowledged_by, row.acknowledged_at = ctx.actor.id, now
        s.add(row)
        s.flush()
        audit.record(s, ctx.actor, "risk.record", entity="risk_concern", entity_id=row.id,
                     client_id=client_id, detail=source[:40])
        return _summary(row)


def record_action(ctx: AppContext, concern_id: uuid.UUID, action_taken: str) -> RiskConcernSummary:
    """Add the action taken to a concern (acknowledges it)."""
    permissions.require(ctx.actor, "casework.record")
    if not action_taken.strip():
        raise ValidationError([FieldProblem("action_taken", "Record what you did about it.")])
    with ctx.store.session() as s:
        row = s.get(RiskConcern, concern_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("That risk concern was not found.")
        row.action_taken = (row.action_taken + "\n" if row.action_taken else "") + action_taken.strip()
        row.acknowledged_by, row.acknowledged_at = ctx.actor.id, utcnow()
        audit.record(s, ctx.actor, "risk.action", entity="risk_concern", entity_id=row.id,
                     client_id=row.client_id)
        return _summary(row)


def resolve(ctx: AppContext, concern_id: uuid.UUID, resolution: str) -> RiskConcernSummary:
    """Close a concern; it needs an action taken and a reason it is resolved."""
    permissions.require(ctx.actor, "casework.record")
    with ctx.store.session() as s:
        row = s.get(RiskConcern, concern_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("That risk concern was not found.")
        problems = []
        if not resolution.strip():
            problems.append(FieldProblem("resolution", "Say why the concern is resolved."))
        if not row.action_taken.strip():
            problems.append(FieldProblem("action_taken", "Record the action taken before "
                                                         "resolving the concern."))
        if problems:
            raise ValidationError(problems)
        row.resolution, row.resolved_at = resolution.strip(), utcnow()
        audit.record(s, ctx.actor, "risk.resolve", entity="risk_concern", entity_id=row.id,
                     client_id=row.client_id)
        return _summary(row)


def open_concerns(ctx: AppContext, client_id: uuid.UUID) -> list[RiskConcernSummary]:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        return [_summary(r) for r in s.execute(
            select(RiskConcern).where(RiskConcern.client_id == client_id,
                                      RiskConcern.deleted_at.is_(None),
                                      RiskConcern.resolved_at.is_(None))
            .order_by(RiskConcern.raised_at.desc())).scalars()]


def all_concerns(ctx: AppContext, client_id: uuid.UUID) -> list[RiskConcernSummary]:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        return [_summary(r) for r in s.execute(
            select(RiskConcern).where(RiskConcern.client_id == client_id,
                                      RiskConcern.deleted_at.is_(None))
            .order_by(RiskConcern.raised_at.desc())).scalars()]
