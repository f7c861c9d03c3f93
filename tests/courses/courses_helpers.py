"""A 6-week sleep course in the demo town, and eight people to put on it."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from wellbeing_desktop.services import courses
from wellbeing_desktop.storage.models import Client, Referral

FIRST = datetime(2026, 10, 13, 13, 30)  # Tuesdays, 13:30, six weeks (all before the demo's today)
TOPICS = (("sleep",), ("sleep", "routine"), ("stress",), ("physical_activity",),
          ("eating_well",), ("sleep",))


def sleep_course(ctx: Any, capacity: int = 8, complete_after: int = 4) -> uuid.UUID:
    plan = tuple(courses.SessionPlan(FIRST + timedelta(weeks=n), TOPICS[n], minutes=90)
                 for n in range(6))
    return courses.create_course(ctx, courses.CourseInput(
        title="Sleep well", sessions=plan, capacity=capacity, complete_after=complete_after,
        audience="Adults whose sleep is affecting their day", venue="Kingsmere Library, "
        "Room 2", facilitators=("Sam Okoye", "Priya Shah"))).id


def people(ctx: Any, n: int, *, consent: bool = True) -> list[uuid.UUID]:
    out = []
    with ctx.store.session() as s:
        for i in range(n):
            given, family = f"Person{chr(65 + i)}", f"Sleeper{chr(65 + i)}"
            c = Client(given_name=given, family_name=family, search_name=f"{family} {given}".lower(),
                       consent_central_records=consent, status="active")
            s.add(c)
            s.flush()
            s.add(Referral(client_id=c.id, received_on=date(2026, 9, 1), source="gp",
                           status="active"))
            out.append(c.id)
    return out


def run_course(ctx: Any, n: int, *, absent: tuple[int, ...] = ()) -> tuple[uuid.UUID,
                                                                          list[uuid.UUID]]:
    """A sleep course with `n` people enrolled and every register taken: everyone attended
    every session except the people at the positions in `absent`, who never came."""
    from wellbeing_desktop.services import course_register

    course = sleep_course(ctx)
    group = people(ctx, n)
    for x in group:
        courses.enrol(ctx, course, x, today=date(2026, 10, 1))
    missing = {group[i] for i in absent}
    for session in courses.get_course(ctx, course).sessions:
        lines = course_register.register(ctx, session.id).lines
        course_register.take_register(ctx, session.id, {
            line.attendance_id: "did_not_attend" if line.client_id in missing else "attended"
            for line in lines})
    return course, group
