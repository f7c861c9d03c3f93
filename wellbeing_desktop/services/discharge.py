"""Discharge ("moving forward"): the reason and the continued-care plan the packs print."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from wellbeing_desktop.domain import casework as rules
from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import Saved, require_client
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.services.referrals import current, move
from wellbeing_desktop.storage.models.casework import Discharge


@dataclass(frozen=True)
class DischargeInput:
    reason: str
    what_next: str
    who_to_contact: str
    how_to_come_back: str
    follow_up_on: date | None = None
    reason_detail: str = ""
    discharged_on: date | None = None
    # Why discharge goes ahead despite the checks (open goals, follow-up due, no paired
    # scores; services/discharge_checks.py). Required when any check applies.
    checks_reason: str = ""


@dataclass(frozen=True)
class DischargeSummary:
    id: uuid.UUID
    client_id: uuid.UUID
    discharged_on: date
    reason: str
    reason_detail: str
    what_next: str
    who_to_contact: str
    how_to_come_back: str
    follow_up_on: date | None
    follow_up_done_on: date | None

    @property
    def reason_label(self) -> str:
        return rules.label(rules.DISCHARGE_REASONS, self.reason)


def _summary(d: Discharge) -> DischargeSummary:
    return DischargeSummary(d.id, d.client_id, d.discharged_on, d.reason, d.reason_detail,
                            d.what_next, d.who_to_contact, d.how_to_come_back, d.follow_up_on,
                            d.follow_up_done_on)


def discharge(ctx: AppContext, client_id: uuid.UUID, data: DischargeInput) -> Saved:
    permissions.require(ctx.actor, "casework.record")
    on = data.discharged_on or date.today()
    problems = []
    if data.reason not in rules.codes(rules.DISCHARGE_REASONS):
        problems.append(FieldProblem("reason", "Choose the reason for discharge."))
    if data.reason == "other" and not data.reason_detail.strip():
        problems.append(FieldProblem("reason_detail", "Describe the reason."))
    for name, what in (("what_next", "what happens next"),
                       ("who_to_contact", "who to contact if things get harder"),
                       ("how_to_come_back", "how to come back to the service")):
        if not getattr(data, name).strip():
            problems.append(FieldProblem(name, f"Write {what}: it goes in the person's plan."))
    if on > date.today():
        problems.append(FieldProblem("discharged_on", "The date cannot be in the future."))
    if data.follow_up_on is not None and data.follow_up_on <= on:
        problems.append(FieldProblem("follow_up_on", "The follow-up check-in must be after "
                                                     "discharge."))
    from wellbeing_desktop.services.discharge_checks import checks

    found = checks(ctx, client_id)
    if found and not data.checks_reason.strip():
        problems.append(FieldProblem(
            "checks_reason", "Before discharge: " + "; ".join(found)
            + ". Say why you are discharging now."))
    with ctx.store.session() as s:
        require_client(s, client_id)
        referral = current(s, client_id)
        if referral is not None and referral.status == "discharged":
            problems.append(FieldProblem("reason", "This referral is already discharged."))
        if referral is not None and on < referral.received_on:
            problems.append(FieldProblem("discharged_on", "The date is before the referral."))
        if problems:
            raise ValidationError(problems)
        row = Discharge(client_id=client_id, referral_id=referral.id if referral else None,
                        discharged_on=on, reason=data.reason,
                        reason_detail=data.reason_detail.strip(),
                        what_next=data.what_next.strip(),
                        who_to_contact=data.who_to_contact.strip(),
                        how_to_come_back=data.how_to_come_back.strip(),
                        follow_up_on=data.follow_up_on, practitioner_id=ctx.actor.id)
        s.add(row)
        if referral is not None:
            why = rules.label(rules.DISCHARGE_REASONS, data.reason)
            if found:
                why += f" (despite: {'; '.join(found)}. Because: {data.checks_reason.strip()})"
            move(s, ctx, referral, "discharged", why, on)
        s.flush()
        audit.record(s, ctx.actor, "discharge.record", entity="discharge", entity_id=row.id,
                     client_id=client_id, detail=data.reason)
        return Saved(row.id, Changed.of("discharge", "referral", "client",
                                        ids=(str(client_id),)))


def follow_up_done(ctx: AppContext, discharge_id: uuid.UUID, on: date | None = None) -> Saved:
    permissions.require(ctx.actor, "casework.record")
    with ctx.store.session() as s:
        row = s.get(Discharge, discharge_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("That discharge was not found.")
        row.follow_up_done_on = on or date.today()
        audit.record(s, ctx.actor, "discharge.follow_up", entity="discharge", entity_id=row.id,
                     client_id=row.client_id)
        return Saved(row.id, Changed.of("discharge", ids=(str(row.client_id),)))


def get_for_client(ctx: AppContext, client_id: uuid.UUID) -> DischargeSummary | None:
    """The latest discharge and its continued-care plan, or None."""
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        d = s.execute(select(Discharge).where(Discharge.client_id == client_id,
                                              Discharge.deleted_at.is_(None))
                      .order_by(Discharge.discharged_on.desc(), Discharge.created_at.desc())
                      .limit(1)).scalar()
        return _summary(d) if d else None


def require_referral(ctx: AppContext, client_id: uuid.UUID) -> None:
    with ctx.store.read() as s:
        require_client(s, client_id)
        if current(s, client_id) is None:
            raise NotFound("This client has no referral.")
