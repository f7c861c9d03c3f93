"""Group sessions: a topic, a venue, a time, and a register of attendees whose attendance
shows on each attendee's record."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from wellbeing_desktop.domain import casework as rules
from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import Saved, refresh_last_contact, require_client
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.storage.models import Client
from wellbeing_desktop.storage.models.casework import GroupAttendance, GroupSession


@dataclass(frozen=True)
class GroupInput:
    topic: str
    venue: str
    starts_at: datetime
    minutes: int = 90
    capacity: int = 12
    notes: str = ""


@dataclass(frozen=True)
class GroupSummary:
    id: uuid.UUID
    topic: str
    venue: str
    starts_at: datetime
    minutes: int
    capacity: int
    booked: int
    attended: int


@dataclass(frozen=True)
class RegisterEntry:
    attendance_id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    attendance: str

    @property
    def attendance_label(self) -> str:
        return rules.label(rules.ATTENDANCE, self.attendance)


@dataclass(frozen=True)
class ClientAttendance:
    attendance_id: uuid.UUID
    group_id: uuid.UUID
    topic: str
    venue: str
    starts_at: datetime
    attendance: str

    @property
    def attendance_label(self) -> str:
        return rules.label(rules.ATTENDANCE, self.attendance)


def create_group(ctx: AppContext, data: GroupInput) -> Saved:
    permissions.require(ctx.actor, "casework.record")
    problems = []
    if not data.topic.strip():
        problems.append(FieldProblem("topic", "Give the group a topic."))
    if not data.venue.strip():
        problems.append(FieldProblem("venue", "Say where the group meets."))
    if not 15 <= data.minutes <= 300:
        problems.append(FieldProblem("minutes", "Length must be between 15 and 300 minutes."))
    if not 2 <= data.capacity <= 60:
        problems.append(FieldProblem("capacity", "Places must be between 2 and 60."))
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        row = GroupSession(topic=data.topic.strip(), venue=data.venue.strip(),
                           starts_at=data.starts_at.replace(second=0, microsecond=0, tzinfo=None),
                           minutes=data.minutes, capacity=data.capacity,
                           notes=data.notes.strip(), practitioner_id=ctx.actor.id)
        s.add(row)
        s.flush()
        audit.record(s, ctx.actor, "group.create", entity="group_session", entity_id=row.id)
        return Saved(row.id, Changed.of("group", ids=(str(row.id),)))


def add_attendee(ctx: AppContext, group_id: uuid.UUID, client_id: uuid.UUID) -> Saved:
    permissions.require(ctx.actor, "casework.record")
    with ctx.store.session() as s:
        group = s.get(GroupSession, group_id)
        if group is None or group.deleted_at is not None:
            raise NotFound("That group session was not found.")
        require_client(s, client_id)
        live = [GroupAttendance.group_session_id == group_id, GroupAttendance.deleted_at.is_(None)]
        if s.execute(select(GroupAttendance.id).where(
                *live, GroupAttendance.client_id == client_id)).first():
            raise ValidationError([FieldProblem("client", "This person is already on the "
                                                          "register.")])
        booked = s.execute(select(func.count()).select_from(GroupAttendance).where(*live)
                           ).scalar_one()
        if booked >= group.capacity:
            raise ValidationError([FieldProblem("client", f"The group is full ({group.capacity} "
                                                          "places).")])
        row = GroupAttendance(client_id=client_id, group_session_id=group_id)
        s.add(row)
        s.flush()
        audit.record(s, ctx.actor, "group.add", entity="group_attendance", entity_id=row.id,
                     client_id=client_id)
        return Saved(row.id, Changed.of("group", "attendance", ids=(str(client_id),)))


def set_attendance(ctx: AppContext, attendance_id: uuid.UUID, attendance: str) -> Saved:
    permissions.require(ctx.actor, "casework.record")
    if attendance not in rules.codes(rules.ATTENDANCE):
        raise ValidationError([FieldProblem("attendance", "Choose an attendance.")])
    with ctx.store.session() as s:
        row = s.get(GroupAttendance, attendance_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("That register entry was not found.")
        row.attendance = attendance
        refresh_last_contact(s, row.client_id)
        audit.record(s, ctx.actor, "group.attendance", entity="group_attendance",
                     entity_id=row.id, client_id=row.client_id, detail=attendance)
        return Saved(row.id, Changed.of("group", "attendance", ids=(str(row.client_id),)))


def list_groups(ctx: AppContext, start: datetime | None = None,
                end: datetime | None = None) -> list[GroupSummary]:
    permissions.require(ctx.actor, "client.view_own")
    live = GroupAttendance.deleted_at.is_(None)
    booked = (select(func.count()).where(GroupAttendance.group_session_id == GroupSession.id, live)
              .scalar_subquery())
    attended = (select(func.count()).where(GroupAttendance.group_session_id == GroupSession.id,
                                           live, GroupAttendance.attendance == "attended")
                .scalar_subquery())
    query = select(GroupSession, booked, attended).where(GroupSession.deleted_at.is_(None))
    if start is not None:
        query = query.where(GroupSession.starts_at >= start)
    if end is not None:
        query = query.where(GroupSession.starts_at < end)
    with ctx.store.read() as s:
        return [GroupSummary(g.id, g.topic, g.venue, g.starts_at, g.minutes, g.capacity, b, a)
                for g, b, a in s.execute(query.order_by(GroupSession.starts_at)).all()]


def register(ctx: AppContext, group_id: uuid.UUID) -> list[RegisterEntry]:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        rows = s.execute(
            select(GroupAttendance.id, Client.id, Client.given_name, Client.preferred_name,
                   Client.family_name, GroupAttendance.attendance)
            .join(Client, Client.id == GroupAttendance.client_id)
            .where(GroupAttendance.group_session_id == group_id,
                   GroupAttendance.deleted_at.is_(None))
            .order_by(Client.search_name)).all()
        return [RegisterEntry(aid, cid, f"{pref or given} {family}", att)
                for aid, cid, given, pref, family, att in rows]


def attendance_for_client(ctx: AppContext, client_id: uuid.UUID) -> list[ClientAttendance]:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        rows = s.execute(
            select(GroupAttendance.id, GroupSession.id, GroupSession.topic, GroupSession.venue,
                   GroupSession.starts_at, GroupAttendance.attendance)
            .join(GroupSession, GroupSession.id == GroupAttendance.group_session_id)
            .where(GroupAttendance.client_id == client_id, GroupAttendance.deleted_at.is_(None),
                   GroupSession.deleted_at.is_(None))
            .order_by(GroupSession.starts_at.desc())).all()
        return [ClientAttendance(*r) for r in rows]
