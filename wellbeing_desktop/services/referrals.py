"""Referrals (episodes of care): status with a reason for each change, waiting times, and
the suitability decision made at assessment ("identifying suitability")."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wellbeing_desktop.domain import casework as rules
from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import Saved, require_client
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.storage.models.casework import SuitabilityDecision
from wellbeing_desktop.storage.models.clients import Client, Referral, ReferralStatusChange

# The client's headline status follows their current referral's.
CLIENT_STATUS = {"received": "referred"}


@dataclass(frozen=True)
class ReferralInput:
    received_on: date
    source: str
    referrer: str = ""
    reason: str = ""
    sessions_offered: int = 6


@dataclass(frozen=True)
class StatusChange:
    changed_on: date
    from_status: str
    to_status: str
    reason: str


@dataclass(frozen=True)
class ReferralSummary:
    id: uuid.UUID
    client_id: uuid.UUID
    received_on: date
    source: str
    referrer: str
    reason: str
    status: str
    first_contact_on: date | None
    assessed_on: date | None
    discharged_on: date | None
    sessions_offered: int
    history: tuple[StatusChange, ...]

    @property
    def days_to_first_contact(self) -> int | None:
        return rules.waiting_days(self.received_on, self.first_contact_on)

    @property
    def days_to_assessment(self) -> int | None:
        return rules.waiting_days(self.received_on, self.assessed_on)

    @property
    def status_label(self) -> str:
        return rules.label(rules.REFERRAL_STATUSES, self.status)

    @property
    def source_label(self) -> str:
        return rules.label(rules.REFERRAL_SOURCES, self.source)


@dataclass(frozen=True)
class SuitabilityInput:
    decision: str
    reasons: str
    expectations: tuple[str, ...] = ()
    preferred_mode: str = ""
    adjustments: str = ""
    decided_on: date | None = None


@dataclass(frozen=True)
class SuitabilitySummary:
    id: uuid.UUID
    decided_on: date
    decision: str
    reasons: str
    adjustments: str
    expectations: tuple[str, ...]
    preferred_mode: str

    @property
    def decision_label(self) -> str:
        return rules.label(rules.SUITABILITY, self.decision)


def _validate_referral(data: ReferralInput, today: date) -> list[FieldProblem]:
    problems = []
    if data.received_on > today:
        problems.append(FieldProblem("received_on", "The date received cannot be in the future."))
    if data.source not in rules.codes(rules.REFERRAL_SOURCES):
        problems.append(FieldProblem("source", "Choose where the referral came from."))
    if not data.reason.strip():
        problems.append(FieldProblem("reason", "Write the reason for referral in the "
                                               "referrer's words."))
    if not 1 <= data.sessions_offered <= 20:
        problems.append(FieldProblem("sessions_offered", "Offer between 1 and 20 sessions."))
    return problems


def create_referral(ctx: AppContext, client_id: uuid.UUID, data: ReferralInput,
                    *, today: date | None = None) -> Saved:
    permissions.require(ctx.actor, "casework.record")
    problems = _validate_referral(data, today or date.today())
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        client = require_client(s, client_id)
        row = Referral(client_id=client_id, received_on=data.received_on, source=data.source,
                       referrer=data.referrer.strip(), reason=data.reason.strip(),
                       status="received", sessions_offered=data.sessions_offered,
                       practitioner_id=client.practitioner_id or ctx.actor.id)
        s.add(row)
        s.flush()
        s.add(ReferralStatusChange(client_id=client_id, referral_id=row.id,
                                   changed_on=data.received_on, from_status="",
                                   to_status="received", reason="Referral received",
                                   practitioner_id=ctx.actor.id))
        client.status = "referred"
        audit.record(s, ctx.actor, "referral.create", entity="referral", entity_id=row.id,
                     client_id=client_id)
        return Saved(row.id, Changed.of("referral", "client", ids=(str(client_id),)))


def move(s: Session, ctx: AppContext, referral: Referral, new_status: str, reason: str,
         on: date) -> None:
    """Change status inside the caller's unit of work (sessions and discharge use it too)."""
    old = referral.status
    referral.status = new_status
    if new_status in ("contacted", "assessed", "active") and referral.first_contact_on is None:
        referral.first_contact_on = on
    if new_status == "assessed" and referral.assessed_on is None:
        referral.assessed_on = on
    if new_status == "discharged":
        referral.discharged_on = on
    if new_status == "active" and old == "discharged":
        referral.discharged_on = None
    s.add(ReferralStatusChange(client_id=referral.client_id, referral_id=referral.id,
                               changed_on=on, from_status=old, to_status=new_status,
                               reason=reason, practitioner_id=ctx.actor.id))
    client = s.get(Client, referral.client_id)
    if client is not None:
        client.status = CLIENT_STATUS.get(new_status, new_status)


def change_status(ctx: AppContext, referral_id: uuid.UUID, new_status: str, reason: str,
                  *, on: date | None = None) -> Saved:
    permissions.require(ctx.actor, "casework.record")
    on = on or date.today()
    with ctx.store.session() as s:
        referral = s.get(Referral, referral_id)
        if referral is None or referral.deleted_at is not None:
            raise NotFound("That referral was not found.")
        problems = []
        if not rules.can_move(referral.status, new_status):
            allowed = ", ".join(rules.label(rules.REFERRAL_STATUSES, c)
                                for c in sorted(rules.allowed_next(referral.status),
                                                key=rules.status_rank))
            problems.append(FieldProblem("status", f"A referral that is "
                                         f"“{rules.label(rules.REFERRAL_STATUSES, referral.status)}” "
                                         f"can move to: {allowed or 'nothing'}."))
        if not reason.strip():
            problems.append(FieldProblem("reason", "Give the reason for the change."))
        if on < referral.received_on or on > date.today():
            problems.append(FieldProblem("changed_on", "The date must be between the referral "
                                                       "date and today."))
        if problems:
            raise ValidationError(problems)
        move(s, ctx, referral, new_status, reason.strip(), on)
        audit.record(s, ctx.actor, "referral.status", entity="referral", entity_id=referral.id,
                     client_id=referral.client_id, detail=new_status)
        return Saved(referral.id, Changed.of("referral", "client", ids=(str(referral.client_id),)))


def current(s: Session, client_id: uuid.UUID) -> Referral | None:
    """The client's newest referral (the open episode, or the last one)."""
    return s.execute(
        select(Referral).where(Referral.client_id == client_id, Referral.deleted_at.is_(None))
        .order_by(Referral.received_on.desc(), Referral.created_at.desc()).limit(1)
    ).scalar()


def list_for_client(ctx: AppContext, client_id: uuid.UUID) -> list[ReferralSummary]:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        rows = s.execute(select(Referral).where(
            Referral.client_id == client_id, Referral.deleted_at.is_(None))
            .order_by(Referral.received_on.desc())).scalars().all()
        history: dict[uuid.UUID, list[StatusChange]] = {}
        for h in s.execute(select(ReferralStatusChange).where(
                ReferralStatusChange.client_id == client_id,
                ReferralStatusChange.deleted_at.is_(None))
                .order_by(ReferralStatusChange.changed_on, ReferralStatusChange.created_at)
        ).scalars():
            history.setdefault(h.referral_id, []).append(
                StatusChange(h.changed_on, h.from_status, h.to_status, h.reason))
        return [ReferralSummary(
            r.id, r.client_id, r.received_on, r.source, r.referrer, r.reason, r.status,
            r.first_contact_on, r.assessed_on, r.discharged_on, r.sessions_offered,
            tuple(history.get(r.id, []))) for r in rows]


# suitability -------------------------------------------------------------------------------

def record_suitability(ctx: AppContext, client_id: uuid.UUID, data: SuitabilityInput) -> Saved:
    """Record the decision; a client still "received"/"contacted" becomes "assessed"."""
    permissions.require(ctx.actor, "casework.record")
    on = data.decided_on or date.today()
    problems = []
    if data.decision not in rules.codes(rules.SUITABILITY):
        problems.append(FieldProblem("decision", "Choose a decision."))
    if not data.reasons.strip():
        problems.append(FieldProblem("reasons", "Say why, so the person knows why they were "
                                                "offered this (or not)."))
    if data.decision == "suitable_adjusted" and not data.adjustments.strip():
        problems.append(FieldProblem("adjustments", "Describe the adjustments."))
    unknown = set(data.expectations) - rules.codes(rules.EXPECTATIONS)
    if unknown:
        problems.append(FieldProblem("expectations", "Unknown checklist item."))
    if data.decision in ("suitable", "suitable_adjusted"):
        missing = [c for c, _ in rules.EXPECTATIONS if c not in data.expectations]
        if missing:
            problems.append(FieldProblem(
                "expectations", "Confirm every expectation was discussed before offering the "
                "pathway (" + str(len(missing)) + " not ticked)."))
        if data.preferred_mode not in rules.codes(rules.MODES):
            problems.append(FieldProblem("preferred_mode", "Choose how the person would like "
                                                           "to meet."))
    if on > date.today():
        problems.append(FieldProblem("decided_on", "The date cannot be in the future."))
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        require_client(s, client_id)
        referral = current(s, client_id)
        row = SuitabilityDecision(
            client_id=client_id, referral_id=referral.id if referral else None, decided_on=on,
            decision=data.decision, reasons=data.reasons.strip(),
            adjustments=data.adjustments.strip(), expectations=list(data.expectations),
            preferred_mode=data.preferred_mode, practitioner_id=ctx.actor.id)
        s.add(row)
        if referral is not None and referral.status in ("received", "contacted"):
            move(s, ctx, referral, "assessed",
                 f"Assessment: {rules.label(rules.SUITABILITY, data.decision).lower()}", on)
        s.flush()
        audit.record(s, ctx.actor, "suitability.record", entity="suitability", entity_id=row.id,
                     client_id=client_id, detail=data.decision)
        return Saved(row.id, Changed.of("suitability", "referral", "client",
                                        ids=(str(client_id),)))


def latest_suitability(ctx: AppContext, client_id: uuid.UUID) -> SuitabilitySummary | None:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        r = s.execute(select(SuitabilityDecision).where(
            SuitabilityDecision.client_id == client_id, SuitabilityDecision.deleted_at.is_(None))
            .order_by(SuitabilityDecision.decided_on.desc(),
                      SuitabilityDecision.created_at.desc()).limit(1)).scalar()
        if r is None:
            return None
        return SuitabilitySummary(r.id, r.decided_on, r.decision, r.reasons, r.adjustments,
                                  tuple(r.expectations or ()), r.preferred_mode)
