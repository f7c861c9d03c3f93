"""The facts the stage rule needs (domain/letters.py), read in one go from the store.

Everything is about the person's newest referral: a discharge recorded for an older episode
does not make a discharge letter fit someone who came back and is in sessions again.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wellbeing_desktop.domain.letters import Stage, refusal
from wellbeing_desktop.services import access, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import FieldProblem, NotFound, ValidationError
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.casework import Appointment, Discharge, SuitabilityDecision
from wellbeing_desktop.storage.models.signposting import Signposting


def read_stage(s: Session, client: Client, *, now: datetime | None = None) -> Stage:
    now = (now or datetime.now()).replace(tzinfo=None)
    cid = client.id
    referral = s.execute(
        select(Referral).where(Referral.client_id == cid, Referral.deleted_at.is_(None))
        .order_by(Referral.received_on.desc(), Referral.created_at.desc()).limit(1)).scalar()
    if referral is None:
        return Stage(post_allowed=_post_allowed(client))
    discharged_on = None
    if referral.status == "discharged":
        discharged_on = s.execute(
            select(Discharge.discharged_on).where(
                Discharge.client_id == cid, Discharge.deleted_at.is_(None),
                (Discharge.referral_id == referral.id) | Discharge.referral_id.is_(None))
            .order_by(Discharge.discharged_on.desc()).limit(1)).scalar()
    live = (Appointment.client_id == cid, Appointment.deleted_at.is_(None))
    upcoming = s.execute(
        select(Appointment.starts_at).where(*live, Appointment.outcome == "booked",
                                            Appointment.starts_at >= now)
        .order_by(Appointment.starts_at).limit(1)).scalar()
    missed = s.execute(
        select(Appointment.starts_at).where(*live, Appointment.outcome == "did_not_attend")
        .order_by(Appointment.starts_at.desc()).limit(1)).scalar()
    decision = s.execute(
        select(SuitabilityDecision.decision).where(
            SuitabilityDecision.client_id == cid, SuitabilityDecision.deleted_at.is_(None))
        .order_by(SuitabilityDecision.decided_on.desc(),
                  SuitabilityDecision.created_at.desc()).limit(1)).scalar()
    signposted = s.execute(
        select(Signposting.id).where(Signposting.client_id == cid,
                                     Signposting.deleted_at.is_(None)).limit(1)).scalar()
    return Stage(referral_status=referral.status, discharged_on=discharged_on,
                 next_appointment=upcoming, last_missed=missed.date() if missed else None,
                 suitability=decision, signposted=signposted is not None,
                 post_allowed=_post_allowed(client), source=referral.source)


def _post_allowed(client: Client) -> bool:
    return bool(getattr(client, "post_allowed", True))


def stage_of(ctx: AppContext, client_id: uuid.UUID) -> Stage:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        client = s.get(Client, client_id)
        if client is None or client.deleted_at is not None:
            raise NotFound("No client with that id.")
        return read_stage(s, client)


def require_fits(stage: Stage, kind: str, recipient: str = "person") -> None:
    """Raise the stage rule's refusal as a field problem on `kind` (CLI exit 2)."""
    reason = refusal(kind, stage, recipient)
    if reason:
        raise ValidationError([FieldProblem("kind", reason)])
