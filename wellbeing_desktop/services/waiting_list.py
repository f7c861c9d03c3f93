"""The waiting list: everyone referred and not yet assessed, longest wait first, with their
last contact attempt, the opt-in reply-by date and the next action by the service's rules.

Filters (source, practitioner, need) run in SQL; the list is one query plus one for the
attempts and one for missed and booked appointments of the people on it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from wellbeing_desktop.domain import casework as rules_casework
from wellbeing_desktop.domain import intake
from wellbeing_desktop.services import access, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.storage.models import Client, Practitioner, Referral
from wellbeing_desktop.storage.models.casework import Appointment
from wellbeing_desktop.storage.models.intake import ContactAttempt

WAITING = ("received", "contacted")


@dataclass(frozen=True)
class WaitingFilter:
    source: str = ""
    practitioner_id: uuid.UUID | None = None
    need: str = ""              # words in the reason for referral


@dataclass(frozen=True)
class WaitingRow:
    client_id: uuid.UUID
    referral_id: uuid.UUID
    name: str
    received_on: date
    days_waited: int
    source: str
    referrer: str
    reason: str
    practitioner: str
    status: str
    attempts: int
    last_attempt_on: date | None
    last_attempt: str            # "Phone call: no answer"
    opt_in_by: date | None
    next_action: str

    @property
    def source_label(self) -> str:
        return rules_casework.label(rules_casework.REFERRAL_SOURCES, self.source)


def service_rules(ctx: AppContext) -> intake.Rules:
    return intake.Rules.from_settings(ctx.settings.section("intake"))


def waiting_list(ctx: AppContext, flt: WaitingFilter | None = None, *,
                 today: date | None = None) -> list[WaitingRow]:
    permissions.require(ctx.actor, "client.view_own")
    flt = flt or WaitingFilter()
    today = today or date.today()
    rules = service_rules(ctx)
    newest = (select(Referral.client_id, func.max(Referral.received_on).label("on"))
              .where(Referral.deleted_at.is_(None)).group_by(Referral.client_id).subquery())
    # Columns, not ORM objects: a service with thousands waiting held a mapped Referral (and
    # each contact attempt) per row at once, tens of MB at the peak (bench/bench_memory.py).
    wanted = (Referral.id, Referral.client_id, Referral.status, Referral.received_on,
                Referral.opt_in_by, Referral.source, Referral.referrer, Referral.reason)
    query = (select(*wanted, Client.given_name, Client.preferred_name, Client.family_name,
                    Practitioner.display_name)
             .join(newest, (newest.c.client_id == Referral.client_id)
                   & (newest.c.on == Referral.received_on))
             .join(Client, Client.id == Referral.client_id)
             .outerjoin(Practitioner, Practitioner.id == Client.practitioner_id)
             .where(Referral.deleted_at.is_(None), Client.deleted_at.is_(None),
                    Referral.status.in_(WAITING))
             .order_by(Referral.received_on, Client.search_name))
    if not access.sees_everyone(ctx.actor):
        query = query.where(Client.practitioner_id == ctx.actor.id)
    if flt.source:
        query = query.where(Referral.source == flt.source)
    if flt.practitioner_id:
        query = query.where(Client.practitioner_id == flt.practitioner_id)
    if flt.need.strip():
        query = query.where(Referral.reason.ilike(f"%{flt.need.strip()}%"))
    with ctx.store.read() as s:
        rows = s.execute(query).all()
        ids = [r.client_id for r in rows]
        attempts: dict[uuid.UUID, list[Any]] = {}
        missed: dict[uuid.UUID, int] = {}
        booked: set[uuid.UUID] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for a in s.execute(select(
                    ContactAttempt.client_id, ContactAttempt.attempted_on,
                    ContactAttempt.outcome, ContactAttempt.method).where(
                    ContactAttempt.client_id.in_(chunk), ContactAttempt.deleted_at.is_(None))
                    .order_by(ContactAttempt.attempted_on, ContactAttempt.created_at)):
                attempts.setdefault(a.client_id, []).append(a)
            for cid, outcome, starts in s.execute(
                    select(Appointment.client_id, Appointment.outcome, Appointment.starts_at)
                    .where(Appointment.client_id.in_(chunk), Appointment.deleted_at.is_(None),
                           Appointment.outcome.in_(("did_not_attend", "booked")))).all():
                if outcome == "did_not_attend":
                    missed[cid] = missed.get(cid, 0) + 1
                elif starts >= datetime.combine(today, datetime.min.time()):
                    booked.add(cid)
        out = []
        for referral in rows:
            cid = referral.client_id
            given, preferred, family = (referral.given_name, referral.preferred_name,
                                        referral.family_name)
            practitioner = referral.display_name
            mine = [a for a in attempts.get(cid, []) if a.attempted_on >= referral.received_on]
            last = mine[-1] if mine else None
            state = intake.Waiting(
                status=referral.status, received_on=referral.received_on, attempts=len(mine),
                reached=any(a.outcome in intake.REACHED for a in mine),
                declined=any(a.outcome == "declined" for a in mine),
                opt_in_by=referral.opt_in_by, missed=missed.get(cid, 0), booked=cid in booked)
            out.append(WaitingRow(
                client_id=cid, referral_id=referral.id,
                name=f"{preferred or given} {family}".strip(),
                received_on=referral.received_on,
                days_waited=(today - referral.received_on).days, source=referral.source,
                referrer=referral.referrer, reason=referral.reason,
                practitioner=practitioner or "", status=referral.status,
                attempts=len(mine), last_attempt_on=last.attempted_on if last else None,
                last_attempt=(f"{intake.label(intake.METHODS, last.method)}: "
                              f"{intake.label(intake.OUTCOMES, last.outcome).lower()}"
                              if last else ""),
                opt_in_by=referral.opt_in_by,
                next_action=intake.next_action(state, rules, today)))
        return out
