"""Reports' health-promotion figures: courses (places, finished a course by its own rule,
group contacts) and the physical-health measures first against last (smokers who set a quit
date or stopped, people more active at the end, drinking that came down). Counted from a few
grouped SQL reads, so 50,000 clients stay within the Reports figures' time."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select

from wellbeing_desktop.domain import courses as rules
from wellbeing_desktop.storage.models.casework import Appointment, GroupAttendance, GroupSession
from wellbeing_desktop.storage.models.courses import Course, CourseEnrolment
from wellbeing_desktop.storage.models.measures import MeasureAdministration


@dataclass(frozen=True)
class CourseFigures:
    courses: int           # courses with a session in the period
    places: int            # people enrolled on them
    ended_places: int      # places on courses whose last session is in the period
    finished: int          # of those, people who met the course's completion rule
    group_contacts: int    # attended group contacts (late and left early included)


@dataclass(frozen=True)
class HealthFigures:
    smokers: int                 # current smokers at their first smoking status in the period
    set_quit_date: int           # of them, a quit date set at any point
    quit_at_4_weeks: int         # of them, not smoking 4 weeks after the quit date
    activity_pairs: int          # people with two or more activity measures
    more_active: int             # of them, more active days at the last than the first
    alcohol_positive: int        # AUDIT-C positive (5+) at the first, with a later AUDIT-C
    alcohol_lower: int           # of them, a lower AUDIT-C at the last


def course_figures(s: Any, mine: uuid.UUID | None, since: date | None,
                   until: date) -> CourseFigures:
    end = datetime.combine(until + timedelta(days=1), time.min)
    start = datetime.combine(since, time.min) if since else datetime.min
    g = GroupSession.__table__
    live: list[ColumnElement[bool]] = [g.c.deleted_at.is_(None), g.c.course_id.is_not(None)]
    if mine is not None:
        live.append(g.c.practitioner_id == mine)
    spans = s.execute(select(g.c.course_id, func.min(g.c.starts_at), func.max(g.c.starts_at))
                      .where(*live).group_by(g.c.course_id)).all()
    running = {cid for cid, first, last in spans if first < end and last >= start}
    ended = {cid for cid, _first, last in spans if start <= last < end}
    if not running:
        return CourseFigures(0, 0, 0, 0, _group_contacts(s, mine, start, end))
    e = CourseEnrolment.__table__
    enrolled = s.execute(select(e.c.course_id, e.c.client_id).where(
        e.c.course_id.in_(running), e.c.status == "enrolled", e.c.deleted_at.is_(None))).all()
    rule = dict(s.execute(select(Course.__table__.c.id, Course.__table__.c.complete_after)
                          .where(Course.__table__.c.id.in_(ended))).all())
    a = GroupAttendance.__table__
    present = {(cid, pid): n for cid, pid, n in s.execute(
        select(g.c.course_id, a.c.client_id, func.count())
        .join(g, g.c.id == a.c.group_session_id)
        .where(g.c.course_id.in_(ended), a.c.attendance.in_(rules.PRESENT),
               a.c.deleted_at.is_(None), g.c.deleted_at.is_(None))
        .group_by(g.c.course_id, a.c.client_id)).all()}
    ended_places = [(cid, pid) for cid, pid in enrolled if cid in ended]
    finished = sum(1 for key in ended_places if present.get(key, 0) >= rule.get(key[0], 1))
    return CourseFigures(len(running), len(enrolled), len(ended_places), finished,
                         _group_contacts(s, mine, start, end))


def _group_contacts(s: Any, mine: uuid.UUID | None, start: datetime, end: datetime) -> int:
    ap = Appointment.__table__
    where = [ap.c.deleted_at.is_(None), ap.c.mode == "group", ap.c.outcome == "attended",
             ap.c.starts_at >= start, ap.c.starts_at < end]
    if mine is not None:
        where.append(ap.c.practitioner_id == mine)
    return int(s.execute(select(func.count()).select_from(ap).where(*where)).scalar() or 0)


def health_figures(s: Any, mine: uuid.UUID | None, since: date | None,
                   until: date) -> HealthFigures:
    ma = MeasureAdministration.__table__
    where = [ma.c.deleted_at.is_(None), ma.c.valid.is_(True), ma.c.taken_on <= until,
             ma.c.measure_id.in_(("Smoking", "Activity", "AUDIT-C"))]
    if since is not None:
        where.append(ma.c.taken_on >= since)
    if mine is not None:
        where.append(ma.c.practitioner_id == mine)
    by: dict[tuple[uuid.UUID, str], list[tuple[Any, float | None]]] = defaultdict(list)
    for cid, measure, answers, total in s.execute(
            select(ma.c.client_id, ma.c.measure_id, ma.c.answers, ma.c.total).where(*where)
            .order_by(ma.c.client_id, ma.c.taken_on, ma.c.created_at)):
        by[(cid, measure)].append((answers or [], total))
    smokers = quit_date = quit_4 = pairs = active = positive = lower = 0
    for (_cid, measure), rows in by.items():
        if measure == "Smoking":
            if _at(rows[0][0], 0) != 2:
                continue
            smokers += 1
            quit_date += any(_at(r[0], 2) == 1 for r in rows)
            quit_4 += any(_at(r[0], 3) == 1 for r in rows)
        elif measure == "Activity":
            days = [d for d in (_at(r[0], 0) for r in rows) if d is not None]
            if len(days) >= 2:
                pairs += 1
                active += days[-1] > days[0]
        else:
            totals = [t for _, t in rows if t is not None]
            if len(totals) >= 2 and totals[0] >= 5:
                positive += 1
                lower += totals[-1] < totals[0]
    return HealthFigures(smokers, quit_date, quit_4, pairs, active, positive, lower)


def _at(answers: list[Any], index: int) -> float | None:
    value = answers[index] if index < len(answers) else None
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def rows(courses: CourseFigures, health: HealthFigures) -> list[tuple[str, str, str]]:
    """For the CSV: figures only, nobody named."""
    return [
        ("courses", "courses running", str(courses.courses)),
        ("courses", "places", str(courses.places)),
        ("courses", "places on courses that ended", str(courses.ended_places)),
        ("courses", "finished a course", str(courses.finished)),
        ("courses", "group contacts attended", str(courses.group_contacts)),
        ("physical health", "smokers at first", str(health.smokers)),
        ("physical health", "smokers who set a quit date", str(health.set_quit_date)),
        ("physical health", "smokers not smoking at 4 weeks", str(health.quit_at_4_weeks)),
        ("physical health", "activity measured twice or more", str(health.activity_pairs)),
        ("physical health", "more active at the end", str(health.more_active)),
        ("physical health", "AUDIT-C positive at first, measured again",
         str(health.alcohol_positive)),
        ("physical health", "AUDIT-C lower at the end", str(health.alcohol_lower)),
    ]
