"""Courses (group programmes): set one up with its planned sessions, enrol people from their
record or from the course (a waiting list when it is full), withdraw (the first on the
waiting list moves up), list courses. Taking the register is `services.course_register`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from wellbeing_desktop.domain import courses as rules
from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import Saved, require_client
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.services.sessions import topic_library
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.casework import GroupAttendance, GroupSession
from wellbeing_desktop.storage.models.courses import Course, CourseEnrolment

ENTITY = "course"


@dataclass(frozen=True)
class SessionPlan:
    starts_at: datetime
    topics: tuple[str, ...] = ()
    minutes: int = 90
    venue: str = ""  # empty: the course's venue


@dataclass(frozen=True)
class CourseInput:
    title: str
    sessions: tuple[SessionPlan, ...]
    capacity: int = 12
    complete_after: int = 4
    audience: str = ""
    mode: str = "in_person"
    venue: str = ""
    facilitators: tuple[str, ...] = ()
    register_names: str = "first_initial"
    certificate: bool = True
    notes: str = ""


@dataclass(frozen=True)
class CourseSession:
    id: uuid.UUID
    number: int
    starts_at: datetime
    minutes: int
    venue: str
    mode: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class CourseSummary:
    id: uuid.UUID
    title: str
    audience: str
    capacity: int
    complete_after: int
    mode: str
    venue: str
    facilitators: tuple[str, ...]
    register_names: str
    certificate: bool
    status: str
    enrolled: int
    waiting: int
    sessions: tuple[CourseSession, ...] = field(default=())

    @property
    def first(self) -> datetime | None:
        return self.sessions[0].starts_at if self.sessions else None

    @property
    def rule_text(self) -> str:
        return f"attended at least {self.complete_after} of {len(self.sessions)}"


@dataclass(frozen=True)
class Enrolled:
    id: uuid.UUID
    status: str  # "enrolled" | "waiting"
    position: int  # on the waiting list (1 = next); 0 when enrolled
    changed: Changed


def _validate(data: CourseInput) -> list[FieldProblem]:
    problems = []
    if not data.title.strip():
        problems.append(FieldProblem("title", "Give the course a title."))
    if not data.sessions:
        problems.append(FieldProblem("sessions", "Plan at least one session."))
    if not 2 <= data.capacity <= 60:
        problems.append(FieldProblem("capacity", "Places must be between 2 and 60."))
    if data.sessions and not 1 <= data.complete_after <= len(data.sessions):
        problems.append(FieldProblem(
            "complete_after", f"Finishing needs between 1 and {len(data.sessions)} sessions "
                              "(the number planned)."))
    if data.mode not in dict(rules.MODES):
        problems.append(FieldProblem("mode", "Choose in person or video."))
    if data.register_names not in dict(rules.REGISTER_NAMES):
        problems.append(FieldProblem("register_names", "Choose how names are printed."))
    known = {t.code for t in topic_library()}
    starts = [s.starts_at for s in data.sessions]
    for number, plan in enumerate(data.sessions, start=1):
        where = f"sessions[{number}]"
        unknown = [t for t in plan.topics if t not in known]
        if unknown:
            problems.append(FieldProblem(f"{where}.topics", f"Session {number}: {unknown[0]!r} "
                                                            "is not in the topics library."))
        if not 15 <= plan.minutes <= 300:
            problems.append(FieldProblem(f"{where}.minutes", f"Session {number}: length must "
                                                             "be between 15 and 300 minutes."))
        if data.mode == "in_person" and not (plan.venue or data.venue).strip():
            problems.append(FieldProblem("venue", "Say where the course meets (or choose "
                                                  "video)."))
            break
    if starts != sorted(starts) or len(set(starts)) != len(starts):
        problems.append(FieldProblem("sessions", "Sessions must be in order, at different "
                                                 "times."))
    return problems


def create_course(ctx: AppContext, data: CourseInput) -> Saved:
    """Save a course and its planned sessions (one `GroupSession` each, numbered)."""
    permissions.require(ctx.actor, "casework.record")
    problems = _validate(data)
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        course = Course(
            title=data.title.strip(), audience=data.audience.strip(), capacity=data.capacity,
            complete_after=data.complete_after, mode=data.mode, venue=data.venue.strip(),
            facilitators=[f.strip() for f in data.facilitators if f.strip()],
            register_names=data.register_names, certificate=data.certificate,
            status="planned", notes=data.notes.strip(), practitioner_id=ctx.actor.id)
        s.add(course)
        s.flush()
        for number, plan in enumerate(data.sessions, start=1):
            s.add(GroupSession(
                topic=", ".join(_label(t) for t in plan.topics) or data.title.strip(),
                venue=(plan.venue or data.venue).strip() or "Video",
                starts_at=plan.starts_at.replace(second=0, microsecond=0, tzinfo=None),
                minutes=plan.minutes, capacity=data.capacity, notes="",
                practitioner_id=ctx.actor.id, course_id=course.id, number=number,
                topics=list(plan.topics), mode=data.mode))
        audit.record(s, ctx.actor, "course.create", entity="course", entity_id=course.id)
        return Saved(course.id, Changed.of(ENTITY, "group", ids=(str(course.id),)))


def _label(code: str) -> str:
    return next((t.label for t in topic_library() if t.code == code), code)


def _course(s: Session, course_id: uuid.UUID) -> Course:
    row = s.get(Course, course_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("That course was not found.")
    return row


def _live(course_id: uuid.UUID) -> list[ColumnElement[bool]]:
    return [CourseEnrolment.course_id == course_id, CourseEnrolment.deleted_at.is_(None)]


def _sessions(s: Session, course_id: uuid.UUID) -> list[GroupSession]:
    return list(s.execute(select(GroupSession).where(
        GroupSession.course_id == course_id, GroupSession.deleted_at.is_(None))
        .order_by(GroupSession.number)).scalars())


def _book(s: Session, course_id: uuid.UUID, client_id: uuid.UUID, today: date) -> None:
    """A register line for every session not yet held: still to come, or past but with its
    register not yet taken (a register taken on paper and typed in later includes them)."""
    for session in _sessions(s, course_id):
        taken = s.execute(select(GroupAttendance.id).where(
            GroupAttendance.group_session_id == session.id,
            GroupAttendance.attendance != rules.BOOKED,
            GroupAttendance.deleted_at.is_(None)).limit(1)).first() is not None
        if session.starts_at.date() < today and taken:
            continue
        if s.execute(select(GroupAttendance.id).where(
                GroupAttendance.group_session_id == session.id,
                GroupAttendance.client_id == client_id,
                GroupAttendance.deleted_at.is_(None))).first() is None:
            s.add(GroupAttendance(client_id=client_id, group_session_id=session.id,
                                  attendance=rules.BOOKED))


def enrol(ctx: AppContext, course_id: uuid.UUID, client_id: uuid.UUID, *,
          today: date | None = None) -> Enrolled:
    """A place if there is one, else the waiting list. Enrolling twice is refused."""
    permissions.require(ctx.actor, "casework.record")
    today = today or date.today()
    with ctx.store.session() as s:
        course = _course(s, course_id)
        require_client(s, client_id)
        mine = s.execute(select(CourseEnrolment.status).where(
            *_live(course_id), CourseEnrolment.client_id == client_id,
            CourseEnrolment.status.in_(("enrolled", "waiting")))).scalar()
        if mine is not None:
            where = "on this course" if mine == "enrolled" else "on its waiting list"
            raise ValidationError([FieldProblem("client", f"This person is already {where}.")])
        places = s.execute(select(func.count()).select_from(CourseEnrolment).where(
            *_live(course_id), CourseEnrolment.status == "enrolled")).scalar_one()
        status = "enrolled" if places < course.capacity else "waiting"
        referral = s.execute(select(Referral.id).where(
            Referral.client_id == client_id, Referral.deleted_at.is_(None),
            Referral.discharged_on.is_(None)).order_by(Referral.received_on.desc())
            .limit(1)).scalar()
        row = CourseEnrolment(client_id=client_id, course_id=course_id, referral_id=referral,
                              status=status, enrolled_on=today)
        s.add(row)
        s.flush()
        position = 0
        if status == "enrolled":
            _book(s, course_id, client_id, today)
        else:
            position = s.execute(select(func.count()).select_from(CourseEnrolment).where(
                *_live(course_id), CourseEnrolment.status == "waiting")).scalar_one()
        audit.record(s, ctx.actor, f"course.{status}", entity="course_enrolment",
                     entity_id=row.id, client_id=client_id)
        return Enrolled(row.id, status, position,
                        Changed.of(ENTITY, "group", ids=(str(client_id), str(course_id))))


def withdraw(ctx: AppContext, enrolment_id: uuid.UUID, *, today: date | None = None) -> Changed:
    """Leave the course (or its waiting list); the first person waiting takes the place.
    Register lines of sessions not yet held go; those already taken stay (they happened)."""
    permissions.require(ctx.actor, "casework.record")
    today = today or date.today()
    with ctx.store.session() as s:
        row = s.get(CourseEnrolment, enrolment_id)
        if row is None or row.deleted_at is not None or row.status == "withdrawn":
            raise NotFound("That enrolment was not found.")
        had_place = row.status == "enrolled"
        row.status = "withdrawn"
        ids = [str(row.client_id), str(row.course_id)]
        from wellbeing_desktop.storage.types import utcnow

        for line in s.execute(select(GroupAttendance).join(
                GroupSession, GroupSession.id == GroupAttendance.group_session_id).where(
                GroupSession.course_id == row.course_id, GroupAttendance.client_id == row.client_id,
                GroupAttendance.attendance == rules.BOOKED,
                GroupAttendance.deleted_at.is_(None))).scalars():
            line.deleted_at = utcnow()
        audit.record(s, ctx.actor, "course.withdraw", entity="course_enrolment",
                     entity_id=row.id, client_id=row.client_id)
        if had_place:
            nxt = s.execute(select(CourseEnrolment).where(
                *_live(row.course_id), CourseEnrolment.status == "waiting")
                .order_by(CourseEnrolment.created_at).limit(1)).scalar()
            if nxt is not None:
                nxt.status = "enrolled"
                _book(s, row.course_id, nxt.client_id, today)
                ids.append(str(nxt.client_id))
                audit.record(s, ctx.actor, "course.enrolled", entity="course_enrolment",
                             entity_id=nxt.id, client_id=nxt.client_id,
                             detail="from the waiting list")
    return Changed.of(ENTITY, "group", ids=tuple(ids))


def _summaries(s: Session, courses: list[Course]) -> list[CourseSummary]:
    out = []
    for c in courses:
        counts = dict(s.execute(select(CourseEnrolment.status, func.count()).where(
            *_live(c.id)).group_by(CourseEnrolment.status)).all())
        sessions = tuple(CourseSession(g.id, g.number or 0, g.starts_at, g.minutes, g.venue,
                                       g.mode, tuple(g.topics or ()))
                         for g in _sessions(s, c.id))
        out.append(CourseSummary(
            c.id, c.title, c.audience, c.capacity, c.complete_after, c.mode, c.venue,
            tuple(c.facilitators or ()), c.register_names, c.certificate, c.status,
            counts.get("enrolled", 0), counts.get("waiting", 0), sessions))
    return out


def list_courses(ctx: AppContext) -> list[CourseSummary]:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        rows = list(s.execute(select(Course).where(Course.deleted_at.is_(None))
                              .order_by(Course.created_at)).scalars())
        found = _summaries(s, rows)
    return sorted(found, key=lambda c: (c.first or datetime.max, c.title))


def get_course(ctx: AppContext, course_id: uuid.UUID) -> CourseSummary:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        return _summaries(s, [_course(s, course_id)])[0]


@dataclass(frozen=True)
class Member:
    enrolment_id: uuid.UUID
    client_id: uuid.UUID
    given_name: str
    family_name: str
    status: str
    enrolled_on: date

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


def members(ctx: AppContext, course_id: uuid.UUID) -> list[Member]:
    """Enrolled first (by name), then the waiting list in order."""
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        _course(s, course_id)
        rows = s.execute(
            select(CourseEnrolment.id, Client.id, Client.preferred_name, Client.given_name,
                   Client.family_name, CourseEnrolment.status, CourseEnrolment.enrolled_on,
                   CourseEnrolment.created_at, Client.search_name)
            .join(Client, Client.id == CourseEnrolment.client_id)
            .where(*_live(course_id), CourseEnrolment.status.in_(("enrolled", "waiting")))
        ).all()
    ordered = sorted(rows, key=lambda r: (r[5] != "enrolled",
                                          r[8] if r[5] == "enrolled" else "", r[7]))
    return [Member(eid, cid, pref or given, family, status, on)
            for eid, cid, pref, given, family, status, on, _, _ in ordered]


def courses_for_client(ctx: AppContext, client_id: uuid.UUID) -> list[tuple[CourseSummary, str]]:
    """The courses a person is on or waiting for, with their status (for their record)."""
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        rows = s.execute(select(Course, CourseEnrolment.status)
                         .join(CourseEnrolment, CourseEnrolment.course_id == Course.id)
                         .where(CourseEnrolment.client_id == client_id,
                                CourseEnrolment.deleted_at.is_(None),
                                Course.deleted_at.is_(None))).all()
        found = _summaries(s, [c for c, _ in rows])
    return [(summary, status) for summary, (_, status) in zip(found, rows, strict=True)]
