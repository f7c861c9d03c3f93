"""Contact attempts: each try at reaching a referred person (date, method, outcome, note).

Reaching them is their first contact, so a referral still "received" moves to "contacted"
with the attempt as its reason (that is what the practitioner recorded, not a rule applied).
A message is never recorded as left for someone who asked us not to leave one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from wellbeing_desktop.domain import intake
from wellbeing_desktop.services import access, audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.services.referrals import current, move
from wellbeing_desktop.storage.models import Client, Practitioner
from wellbeing_desktop.storage.models.intake import ContactAttempt


@dataclass(frozen=True)
class AttemptInput:
    method: str
    outcome: str
    note: str = ""
    attempted_on: date | None = None


@dataclass(frozen=True)
class Attempt:
    id: uuid.UUID
    attempted_on: date
    method: str
    outcome: str
    note: str
    by: str

    @property
    def method_label(self) -> str:
        return intake.label(intake.METHODS, self.method)

    @property
    def outcome_label(self) -> str:
        return intake.label(intake.OUTCOMES, self.outcome)


@dataclass(frozen=True)
class Recorded:
    id: uuid.UUID
    changed: Changed


def record(ctx: AppContext, client_id: uuid.UUID, data: AttemptInput,
           *, today: date | None = None) -> Recorded:
    permissions.require(ctx.actor, "casework.record")
    today = today or date.today()
    on = data.attempted_on or today
    problems = []
    if data.method not in {c for c, _ in intake.METHODS}:
        problems.append(FieldProblem("method", "Choose how you tried to reach them."))
    if data.outcome not in {c for c, _ in intake.OUTCOMES}:
        problems.append(FieldProblem("outcome", "Choose what came of it."))
    if on > today:
        problems.append(FieldProblem("attempted_on", "The date cannot be in the future."))
    if len(data.note) > 2000:
        problems.append(FieldProblem("note", "Keep the note under 2,000 characters."))
    with ctx.store.session() as s:
        access.require_client(s, ctx.actor, client_id)
        client = s.get(Client, client_id)
        if client is None or client.deleted_at is not None:
            raise NotFound("That client record was not found.")
        if data.outcome == "left_message" and not client.message_allowed:
            problems.append(FieldProblem(
                "outcome", "This person asked us not to leave messages (contact preferences)."))
        referral = current(s, client_id)
        if referral is not None and on < referral.received_on:
            problems.append(FieldProblem("attempted_on", "The date is before the referral "
                                                         f"({referral.received_on:%d/%m/%Y})."))
        if problems:
            raise ValidationError(problems)
        row = ContactAttempt(client_id=client_id, referral_id=referral.id if referral else None,
                             attempted_on=on, method=data.method, outcome=data.outcome,
                             note=data.note.strip(), practitioner_id=ctx.actor.id)
        s.add(row)
        if (referral is not None and referral.status == "received"
                and data.outcome in intake.REACHED):
            move(s, ctx, referral, "contacted",
                 f"First contact: {intake.label(intake.METHODS, data.method).lower()}", on)
        s.flush()
        audit.record(s, ctx.actor, "contact_attempt.record", entity="contact_attempt",
                     entity_id=row.id, client_id=client_id, detail=data.outcome)
        return Recorded(row.id, Changed.of("contact_attempt", "referral", "client",
                                           ids=(str(client_id),)))


def list_for_client(ctx: AppContext, client_id: uuid.UUID) -> list[Attempt]:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        rows = s.execute(
            select(ContactAttempt, Practitioner.display_name)
            .outerjoin(Practitioner, Practitioner.id == ContactAttempt.practitioner_id)
            .where(ContactAttempt.client_id == client_id, ContactAttempt.deleted_at.is_(None))
            .order_by(ContactAttempt.attempted_on.desc(), ContactAttempt.created_at.desc())
        ).all()
        return [Attempt(r.id, r.attempted_on, r.method, r.outcome, r.note, name or "")
                for r, name in rows]


def set_contact_preferences(ctx: AppContext, client_id: uuid.UUID, *, post_allowed: bool,
                            message_allowed: bool) -> Changed:
    """Safe to send post to the address held? May we leave a message? (Letters respect both.)"""
    permissions.require(ctx.actor, "client.edit")
    with ctx.store.session() as s:
        access.require_client(s, ctx.actor, client_id)
        client = s.get(Client, client_id)
        if client is None or client.deleted_at is not None:
            raise NotFound("That client record was not found.")
        client.post_allowed = post_allowed
        client.message_allowed = message_allowed
        audit.record(s, ctx.actor, "client.contact_preferences", entity="client",
                     entity_id=client_id, client_id=client_id,
                     detail=f"post={'yes' if post_allowed else 'no'} "
                            f"messages={'yes' if message_allowed else 'no'}")
    return Changed.of("client", ids=(str(client_id),))


def contact_preferences(ctx: AppContext, client_id: uuid.UUID) -> tuple[bool, bool]:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        row = s.execute(select(Client.post_allowed, Client.message_allowed)
                        .where(Client.id == client_id)).one()
        return bool(row[0]), bool(row[1])
