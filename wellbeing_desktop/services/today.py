"""The Today dashboard: the day's and week's appointments, reviews and follow-ups due,
clients not contacted for a while, and recent did-not-attends — each a row that opens the
client's record."""

from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from wellbeing_desktop.services import permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.casework import Appointment, Discharge, Goal

DNA_WINDOW_DAYS = 14
SECTION_ROWS = 50  # a section shows the first rows; each query stops there
ACTIVE = ("contacted", "assessed", "active", "reviewing")


@dataclass(frozen=True)
class TodayItem:
    client_id: uuid.UUID
    client_name: str
    when: datetime | date | None
    what: str


@dataclass(frozen=True)
class TodaySummary:
    service_name: str
    practitioner_name: str
    clients_by_status: dict[str, int] = field(default_factory=dict)
    waiting_first_contact: int = 0
    on: date | None = None
    today: tuple[TodayItem, ...] = ()
    this_week: tuple[TodayItem, ...] = ()
    reviews_due: tuple[TodayItem, ...] = ()
    discharge_follow_ups: tuple[TodayItem, ...] = ()
    signposting_follow_ups: tuple[TodayItem, ...] | None = None  # None: no signposting yet
    no_contact: tuple[TodayItem, ...] = ()
    no_contact_days: int = 21
    recent_dnas: tuple[TodayItem, ...] = ()
    # People who did not attend the last two sessions of a course they are on.
    missed_groups: tuple[TodayItem, ...] = ()


def _name(given: str, preferred: str, family: str) -> str:
    return f"{preferred or given} {family}"


def _mine(ctx: AppContext, column: Any) -> list[Any]:
    """A practitioner sees their own caseload; a supervisor sees the team's."""
    if ctx.actor.id is not None and not permissions.allowed(ctx.actor, "client.view_all"):
        return [column == ctx.actor.id]
    return []


def summary(ctx: AppContext, on: date | None = None) -> TodaySummary:
    on = on or date.today()
    start = datetime.combine(on, time.min)
    week_end = start + timedelta(days=7)
    no_contact_days = int(ctx.settings.section("casework").get("no_contact_days", 21) or 21)
    people = (Client.given_name, Client.preferred_name, Client.family_name)
    with ctx.store.read() as s:
        # Both figures are read from an index alone (ix_clients_live_status,
        # ix_referrals_waiting), never the rows.
        counts = dict(s.execute(select(Client.status, func.count())
                                .where(Client.deleted_at.is_(None))
                                .group_by(Client.status)).all())
        waiting = s.execute(select(func.count()).select_from(Referral).where(
            Referral.status == "received", Referral.first_contact_on.is_(None),
            Referral.deleted_at.is_(None))).scalar() or 0
        mine_appt = _mine(ctx, Appointment.practitioner_id)
        mine_client = _mine(ctx, Client.practitioner_id)
        live_client = [Client.deleted_at.is_(None), *mine_client]

        def appts(lo: datetime, hi: datetime) -> tuple[TodayItem, ...]:
            rows = s.execute(
                select(Appointment.client_id, *people, Appointment.starts_at, Appointment.mode,
                       Appointment.venue, Appointment.outcome, Client.interpreter_needed,
                       Client.language)
                .join(Client, Client.id == Appointment.client_id)
                # `outcome || ''`: the time index drives (in order, stopping at the limit).
                .where((Appointment.outcome + "").in_(("booked", "attended", "did_not_attend")),
                       Appointment.starts_at >= lo, Appointment.starts_at < hi,
                       Appointment.deleted_at.is_(None), Client.deleted_at.is_(None),
                       *mine_appt)
                .order_by(Appointment.starts_at).limit(100)).all()
            from wellbeing_desktop.domain import casework as rules
            from wellbeing_desktop.domain.languages import language_name

            return tuple(TodayItem(r[0], _name(r[1], r[2], r[3]), r[4],
                                   rules.label(rules.MODES, r[5]) + (f", {r[6]}" if r[6] else "")
                                   + ("" if r[7] == "booked" else
                                      f" ({rules.label(rules.OUTCOMES, r[7]).lower()})")
                                   + (f" · interpreter: {language_name(r[9])}"
                                      if r[8] else ""))
                         for r in rows)

        # Reviews due (overdue or within the week), in due order from the index on
        # (status, review_due_on) that services.goals keeps current.
        review_rows = s.execute(
            select(Goal.client_id, *people, Goal.what, Goal.review_due_on)
            .join(Client, Client.id == Goal.client_id)
            .where(Goal.status == "active", Goal.review_due_on <= on + timedelta(days=7),
                   Goal.deleted_at.is_(None), *live_client)
            .order_by(Goal.review_due_on).limit(SECTION_ROWS)).all()
        reviews = [TodayItem(cid, _name(given, pref, family), due, f"Goal review: {what[:60]}")
                   for cid, given, pref, family, what, due in review_rows]

        follow = s.execute(
            select(Discharge.client_id, *people, Discharge.follow_up_on)
            .join(Client, Client.id == Discharge.client_id)
            .where(Discharge.follow_up_done_on.is_(None), Discharge.follow_up_on.is_not(None),
                   Discharge.follow_up_on <= on + timedelta(days=7),
                   Discharge.deleted_at.is_(None), *live_client)
            .order_by(Discharge.follow_up_on).limit(SECTION_ROWS)).all()

        # No contact: lapsed people of each active status straight from the index on
        # (status, last_contact_on), latest first; anyone with a booking to come is skipped.
        booked = (select(Appointment.id)
                  .where(Appointment.client_id == Client.id, Appointment.outcome == "booked",
                         Appointment.starts_at >= start, Appointment.deleted_at.is_(None))
                  .correlate(Client).exists())
        cutoff = on - timedelta(days=no_contact_days)
        quiet = s.execute(
            select(Client.id, *people, Client.last_contact_on)
            .where(Client.status.in_(ACTIVE), Client.last_contact_on < cutoff, *live_client,
                   ~booked)
            .order_by(Client.last_contact_on.desc()).limit(SECTION_ROWS)).all()

        dnas = s.execute(
            select(Appointment.client_id, *people, Appointment.starts_at)
            .join(Client, Client.id == Appointment.client_id)
            .where(Appointment.outcome == "did_not_attend",
                   Appointment.starts_at >= start - timedelta(days=DNA_WINDOW_DAYS),
                   Appointment.starts_at < start + timedelta(days=1),
                   Appointment.deleted_at.is_(None), *live_client)
            .order_by(Appointment.starts_at.desc()).limit(SECTION_ROWS)).all()

        todays = appts(start, start + timedelta(days=1))
        week = appts(start + timedelta(days=1), week_end)

    return TodaySummary(
        service_name=str(ctx.settings.get("service_name") or ""),
        practitioner_name=ctx.actor.name,
        clients_by_status={str(k): int(v) for k, v in counts.items()},
        waiting_first_contact=int(waiting),
        on=on,
        today=todays,
        this_week=week,
        reviews_due=tuple(reviews),
        discharge_follow_ups=tuple(TodayItem(r[0], _name(r[1], r[2], r[3]), r[4],
                                             "Check-in after discharge") for r in follow),
        signposting_follow_ups=_signposting(ctx, on),
        no_contact=tuple(TodayItem(r[0], _name(r[1], r[2], r[3]), r[4], "Last seen")
                         for r in quiet),
        no_contact_days=no_contact_days,
        recent_dnas=tuple(TodayItem(r[0], _name(r[1], r[2], r[3]), r[4], "Did not attend")
                          for r in dnas),
        missed_groups=_missed_groups(ctx),
    )


def _missed_groups(ctx: AppContext) -> tuple[TodayItem, ...]:
    from wellbeing_desktop.services import course_register

    return tuple(TodayItem(m.client_id, m.name, None, f"Missed the last two sessions of "
                                                      f"{m.course_title}")
                 for m in course_register.missed_last_two(ctx)[:SECTION_ROWS])


def _signposting(ctx: AppContext, on: date) -> tuple[TodayItem, ...] | None:
    """Signposting follow-ups, when the signposting area is installed (else None)."""
    try:
        module = importlib.import_module("wellbeing_desktop.services.signposting")
    except ModuleNotFoundError as exc:
        if exc.name != "wellbeing_desktop.services.signposting":
            raise
        return None
    due = getattr(module, "follow_ups_due", None)
    if due is None:
        return None
    items = []
    for entry in due(ctx, on=on):
        items.append(TodayItem(
            entry.client_id, str(getattr(entry, "client_name", "")),
            getattr(entry, "due_on", None) or getattr(entry, "follow_up_on", None),
            str(getattr(entry, "service_name", "") or getattr(entry, "what", "")
                or "Signposting follow-up")))
    return tuple(items)
