"""Appointments (one-to-one contacts) and the session record: topics covered from the editable
library in `resources/topics/`, brief advice given, notes."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from wellbeing_desktop.domain import casework as rules
from wellbeing_desktop.resources import resource
from wellbeing_desktop.services import audit, drafts, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import Saved, refresh_last_contact, require_client
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.services.referrals import current, move
from wellbeing_desktop.storage.models.casework import Appointment

DONE = ("attended",)


@dataclass(frozen=True)
class Topic:
    code: str
    label: str
    advice: str


@lru_cache(maxsize=1)
def _load_topics(path: str, mtime: float) -> tuple[Topic, ...]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return tuple(Topic(str(t["code"]), str(t["label"]), str(t.get("advice", "")))
                 for t in data.get("topics", []) if t.get("code") and t.get("label"))


def topic_library() -> tuple[Topic, ...]:
    """The topics a session may cover (re-read when the file is edited)."""
    path = resource("topics", "topics.json")
    return _load_topics(str(path), path.stat().st_mtime)


def topic_label(code: str) -> str:
    return next((t.label for t in topic_library() if t.code == code), code.replace("_", " "))


@dataclass(frozen=True)
class AppointmentInput:
    starts_at: datetime
    minutes: int = 45
    mode: str = "in_person"
    venue: str = ""
    outcome: str = "booked"
    topics: tuple[str, ...] = ()
    advice: str = ""
    notes: str = ""


@dataclass(frozen=True)
class AppointmentSummary:
    id: uuid.UUID
    client_id: uuid.UUID
    starts_at: datetime
    minutes: int
    mode: str
    venue: str
    outcome: str
    topics: tuple[str, ...]
    advice: str
    notes: str
    group_session_id: uuid.UUID | None

    @property
    def mode_label(self) -> str:
        return rules.label(rules.MODES, self.mode)

    @property
    def outcome_label(self) -> str:
        return rules.label(rules.OUTCOMES, self.outcome)

    @property
    def topic_labels(self) -> tuple[str, ...]:
        return tuple(topic_label(c) for c in self.topics)


def _summary(a: Appointment) -> AppointmentSummary:
    return AppointmentSummary(a.id, a.client_id, a.starts_at, a.minutes, a.mode, a.venue,
                              a.outcome, tuple(a.topics or ()), a.advice, a.notes,
                              a.group_session_id)


def validate(data: AppointmentInput, *, now: datetime | None = None) -> list[FieldProblem]:
    now = now or datetime.now()
    problems = []
    if not 5 <= data.minutes <= 240:
        problems.append(FieldProblem("minutes", "Length must be between 5 and 240 minutes."))
    if data.mode not in rules.codes(rules.MODES):
        problems.append(FieldProblem("mode", "Choose how you will meet."))
    if data.mode == "in_person" and not data.venue.strip():
        problems.append(FieldProblem("venue", "Say where you will meet in person."))
    if data.outcome not in rules.codes(rules.OUTCOMES):
        problems.append(FieldProblem("outcome", "Choose what happened."))
    if data.outcome != "booked" and data.starts_at > now:
        problems.append(FieldProblem("outcome", "An appointment in the future can only be "
                                                "booked; record what happened afterwards."))
    known = {t.code for t in topic_library()}
    if any(t not in known for t in data.topics):
        problems.append(FieldProblem("topics", "A topic is not in the library."))
    if (data.topics or data.advice.strip()) and data.outcome != "attended":
        problems.append(FieldProblem("topics", "Topics and advice belong to an attended "
                                               "session; set the outcome to Attended."))
    if data.starts_at < now - timedelta(days=366):
        problems.append(FieldProblem("starts_at", "The date is more than a year ago."))
    return problems


def save_appointment(ctx: AppContext, client_id: uuid.UUID, data: AppointmentInput,
                     appointment_id: uuid.UUID | None = None, *,
                     draft_key: str = "", now: datetime | None = None) -> Saved:
    """Book or update an appointment. An attended one counts as first contact and starts
    sessions for an assessed referral. A saved note's draft (`draft_key`) is removed."""
    permissions.require(ctx.actor, "casework.record")
    problems = validate(data, now=now)
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        require_client(s, client_id)
        if appointment_id is None:
            referral = current(s, client_id)
            row = Appointment(client_id=client_id,
                              referral_id=referral.id if referral else None,
                              practitioner_id=ctx.actor.id)
            s.add(row)
        else:
            found = s.get(Appointment, appointment_id)
            if found is None or found.deleted_at is not None or found.client_id != client_id:
                raise NotFound("That appointment was not found.")
            row = found
        row.starts_at = data.starts_at.replace(second=0, microsecond=0, tzinfo=None)
        row.minutes, row.mode, row.venue = data.minutes, data.mode, data.venue.strip()
        row.outcome, row.topics = data.outcome, list(data.topics)
        row.advice, row.notes = data.advice.strip(), data.notes.strip()
        s.flush()
        if data.outcome == "attended":
            referral = current(s, client_id)
            on = data.starts_at.date()
            if referral is not None:
                if referral.first_contact_on is None:
                    referral.first_contact_on = on
                if referral.status == "assessed":
                    move(s, ctx, referral, "active", "First session attended", on)
        refresh_last_contact(s, client_id)
        if draft_key:
            drafts.discard_in(s, draft_key)
        audit.record(s, ctx.actor, "appointment.save", entity="appointment", entity_id=row.id,
                     client_id=client_id, detail=data.outcome)
        return Saved(row.id, Changed.of("appointment", "referral", "client",
                                        ids=(str(client_id),)))


def cancel(ctx: AppContext, appointment_id: uuid.UUID, by: str) -> Saved:
    """`by` is "client" or "service"."""
    permissions.require(ctx.actor, "casework.record")
    if by not in ("client", "service"):
        raise ValidationError([FieldProblem("outcome", "Say who cancelled.")])
    with ctx.store.session() as s:
        row = s.get(Appointment, appointment_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("That appointment was not found.")
        row.outcome = f"cancelled_{by}"
        refresh_last_contact(s, row.client_id)
        audit.record(s, ctx.actor, "appointment.cancel", entity="appointment", entity_id=row.id,
                     client_id=row.client_id)
        return Saved(row.id, Changed.of("appointment", ids=(str(row.client_id),)))


def list_for_client(ctx: AppContext, client_id: uuid.UUID) -> list[AppointmentSummary]:
    """Every appointment, newest first, with topics covered."""
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        return [_summary(a) for a in s.execute(
            select(Appointment).where(Appointment.client_id == client_id,
                                      Appointment.deleted_at.is_(None))
            .order_by(Appointment.starts_at.desc())).scalars()]


def next_appointment(ctx: AppContext, client_id: uuid.UUID,
                     *, now: datetime | None = None) -> AppointmentSummary | None:
    permissions.require(ctx.actor, "client.view_own")
    now = (now or datetime.now()).replace(tzinfo=None)
    with ctx.store.read() as s:
        a = s.execute(select(Appointment).where(
            Appointment.client_id == client_id, Appointment.deleted_at.is_(None),
            Appointment.outcome == "booked", Appointment.starts_at >= now)
            .order_by(Appointment.starts_at).limit(1)).scalar()
        return _summary(a) if a else None


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min)
    return start, start + timedelta(days=1)
