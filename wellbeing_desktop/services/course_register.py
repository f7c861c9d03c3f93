"""The register of a course session, taken on one screen: each mark (attended, late, left
early, did not attend, cancelled by us) is written in one unit of work with the person's care
contact (an `Appointment`, mode "group", tied to the session), so the sessions tab, last
contact, Reports, NHS Talking Therapies episode counts and the export bundle all count it.
Also each person's progress against the course's completion rule, and who missed the last
two sessions (Today)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wellbeing_desktop.domain import courses as rules
from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import refresh_last_contact
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.storage.models import Client
from wellbeing_desktop.storage.models.casework import Appointment, GroupAttendance, GroupSession
from wellbeing_desktop.storage.models.courses import Course, CourseEnrolment


@dataclass(frozen=True)
class RegisterLine:
    attendance_id: uuid.UUID
    client_id: uuid.UUID
    given_name: str
    family_name: str
    mark: str

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def mark_label(self) -> str:
        return rules.mark_label(self.mark)


@dataclass(frozen=True)
class SessionRegister:
    session_id: uuid.UUID
    course_id: uuid.UUID | None
    course_title: str
    number: int
    of: int
    starts_at: datetime
    venue: str
    topics: tuple[str, ...]
    lines: tuple[RegisterLine, ...]


def _session(s: Session, session_id: uuid.UUID) -> GroupSession:
    row = s.get(GroupSession, session_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("That session was not found.")
    return row


def register(ctx: AppContext, session_id: uuid.UUID) -> SessionRegister:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        g = _session(s, session_id)
        course = s.get(Course, g.course_id) if g.course_id else None
        total = len(s.execute(select(GroupSession.id).where(
            GroupSession.course_id == g.course_id, GroupSession.deleted_at.is_(None))).all()
        ) if g.course_id else 1
        rows = s.execute(
            select(GroupAttendance.id, Client.id, Client.preferred_name, Client.given_name,
                   Client.family_name, GroupAttendance.attendance)
            .join(Client, Client.id == GroupAttendance.client_id)
            .where(GroupAttendance.group_session_id == session_id,
                   GroupAttendance.deleted_at.is_(None))
            .order_by(Client.search_name)).all()
        return SessionRegister(
            g.id, g.course_id, course.title if course else g.topic, g.number or 1, total,
            g.starts_at, g.venue, tuple(g.topics or ()),
            tuple(RegisterLine(aid, cid, pref or given, family, mark)
                  for aid, cid, pref, given, family, mark in rows))


def take_register(ctx: AppContext, session_id: uuid.UUID,
                  marks: dict[uuid.UUID, str]) -> Changed:
    """Save the marks of one session (register line id → mark) with each person's care
    contact. Any unknown mark or line is refused and nothing is written."""
    permissions.require(ctx.actor, "casework.record")
    codes = {c for c, _, _ in rules.MARKS} | {rules.BOOKED}
    bad = [FieldProblem(f"mark.{line}", f"{mark!r} is not a register mark; use "
                        + ", ".join(label for _, label, _ in rules.MARKS))
           for line, mark in marks.items() if mark not in codes]
    if bad:
        raise ValidationError(bad)
    touched: list[str] = []
    with ctx.store.session() as s:
        g = _session(s, session_id)
        lines = {row.id: row for row in s.execute(select(GroupAttendance).where(
            GroupAttendance.group_session_id == session_id,
            GroupAttendance.deleted_at.is_(None))).scalars()}
        missing = [line for line in marks if line not in lines]
        if missing:
            raise ValidationError([FieldProblem(f"mark.{missing[0]}",
                                                "That person is not on this session's register.")])
        if g.starts_at > datetime.now() and any(m != rules.BOOKED and m != "cancelled_service"
                                                for m in marks.values()):
            raise ValidationError([FieldProblem("session", "This session has not happened "
                                                           "yet; take its register on the day.")])
        episodes = dict(s.execute(select(CourseEnrolment.client_id, CourseEnrolment.referral_id)
                                  .where(CourseEnrolment.course_id == g.course_id,
                                         CourseEnrolment.deleted_at.is_(None))).all()
                        ) if g.course_id else {}
        for line_id, mark in marks.items():
            line = lines[line_id]
            if line.attendance == mark:
                continue
            line.attendance = mark
            _contact(s, ctx, g, line.client_id, episodes.get(line.client_id), mark)
            refresh_last_contact(s, line.client_id)
            audit.record(s, ctx.actor, "course.register", entity="group_attendance",
                         entity_id=line.id, client_id=line.client_id, detail=mark)
            touched.append(str(line.client_id))
    return Changed.of("group", "attendance", "appointment", ids=tuple(touched))


def _contact(s: Session, ctx: AppContext, g: GroupSession, client_id: uuid.UUID,
             referral_id: uuid.UUID | None, mark: str) -> None:
    """The person's care contact for this session, kept in step with the mark."""
    row = s.execute(select(Appointment).where(
        Appointment.client_id == client_id, Appointment.group_session_id == g.id,
        Appointment.deleted_at.is_(None))).scalar()
    if mark == rules.BOOKED:
        if row is not None:  # the mark was taken back: no contact happened
            from wellbeing_desktop.storage.types import utcnow

            row.deleted_at = utcnow()
        return
    outcome = rules.CONTACT_OUTCOME[mark]
    note = "" if mark in ("attended", "did_not_attend") else rules.mark_label(mark)
    if row is None:
        s.add(Appointment(client_id=client_id, referral_id=referral_id, starts_at=g.starts_at,
                          minutes=g.minutes, mode="group", venue=g.venue, outcome=outcome,
                          topics=list(g.topics or ()), advice="", notes=note,
                          practitioner_id=ctx.actor.id, group_session_id=g.id))
    else:
        row.outcome, row.notes = outcome, note


@dataclass(frozen=True)
class Progress:
    client_id: uuid.UUID
    given_name: str
    family_name: str
    marks: tuple[str, ...]  # one per session, in order ("booked" until taken)
    attended: int
    finished: bool


def progress(ctx: AppContext, course_id: uuid.UUID) -> list[Progress]:
    """Each enrolled person's marks against the completion rule (who finished)."""
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        course = s.get(Course, course_id)
        if course is None or course.deleted_at is not None:
            raise NotFound("That course was not found.")
        return _progress(s, course)


def _progress(s: Session, course: Course) -> list[Progress]:
    sessions = [sid for (sid,) in s.execute(select(GroupSession.id).where(
        GroupSession.course_id == course.id, GroupSession.deleted_at.is_(None))
        .order_by(GroupSession.number)).all()]
    index = {sid: i for i, sid in enumerate(sessions)}
    marks: dict[uuid.UUID, list[str]] = defaultdict(lambda: [rules.BOOKED] * len(sessions))
    for cid, sid, mark in s.execute(select(GroupAttendance.client_id,
                                           GroupAttendance.group_session_id,
                                           GroupAttendance.attendance)
                                    .where(GroupAttendance.group_session_id.in_(sessions),
                                           GroupAttendance.deleted_at.is_(None))).all():
        marks[cid][index[sid]] = mark
    people = s.execute(select(Client.id, Client.preferred_name, Client.given_name,
                              Client.family_name)
                       .join(CourseEnrolment, CourseEnrolment.client_id == Client.id)
                       .where(CourseEnrolment.course_id == course.id,
                              CourseEnrolment.status == "enrolled",
                              CourseEnrolment.deleted_at.is_(None))
                       .order_by(Client.search_name)).all()
    return [Progress(cid, pref or given, family, tuple(marks[cid]),
                     rules.attended(marks[cid]), rules.finished(marks[cid], course.complete_after))
            for cid, pref, given, family in people]


@dataclass(frozen=True)
class Missed:
    client_id: uuid.UUID
    name: str
    course_title: str


def missed_last_two(ctx: AppContext) -> list[Missed]:
    """People who did not attend the last two sessions of a running course (Today): a call
    now may keep them on it."""
    permissions.require(ctx.actor, "client.view_own")
    out: list[Missed] = []
    with ctx.store.read() as s:
        for course in s.execute(select(Course).where(
                Course.deleted_at.is_(None), Course.status.in_(("planned", "running")))).scalars():
            for p in _progress(s, course):
                if rules.missed_last_two(list(p.marks)):
                    out.append(Missed(p.client_id, f"{p.given_name} {p.family_name}",
                                      course.title))
    return out
