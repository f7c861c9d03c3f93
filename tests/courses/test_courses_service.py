"""Courses through the services on a real store: set up, enrol with a waiting list, withdraw,
take registers, and attendance counted wherever contacts are counted."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from courses_helpers import FIRST, people, sleep_course

from wellbeing_desktop.domain import courses as rules
from wellbeing_desktop.services import course_register, courses, measure_progress, sessions, today
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.storage.models import Client


def test_bad_course_names_each_field(ctx: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        courses.create_course(ctx, courses.CourseInput(
            title=" ", sessions=(courses.SessionPlan(FIRST, ("no_such_topic",)),),
            capacity=1, complete_after=3))
    fields = {p.field for p in caught.value.problems}
    assert fields == {"title", "capacity", "complete_after", "sessions[1].topics", "venue"}
    assert courses.list_courses(ctx) == []


def test_enrol_waiting_list_and_withdraw(ctx: Any) -> None:
    course = sleep_course(ctx, capacity=3)
    a, b, c, d = people(ctx, 4)
    on = date(2026, 10, 1)
    assert [courses.enrol(ctx, course, x, today=on).status for x in (a, b, c)] == ["enrolled"] * 3
    waiting = courses.enrol(ctx, course, d, today=on)
    assert (waiting.status, waiting.position) == ("waiting", 1)
    with pytest.raises(ValidationError, match="already on this course"):
        courses.enrol(ctx, course, a, today=on)
    summary = courses.get_course(ctx, course)
    assert (summary.enrolled, summary.waiting, len(summary.sessions)) == (3, 1, 6)
    assert summary.rule_text == "attended at least 4 of 6"
    first = course_register.register(ctx, summary.sessions[0].id)
    assert {line.client_id for line in first.lines} == {a, b, c}  # not the waiting list
    mine = next(m for m in courses.members(ctx, course) if m.client_id == a)
    courses.withdraw(ctx, mine.enrolment_id, today=on)
    assert {line.client_id for line in course_register.register(
        ctx, summary.sessions[0].id).lines} == {b, c, d}
    assert [(m.client_id, m.status) for m in courses.members(ctx, course)][-1][1] == "enrolled"
    assert [(s.id, status) for s, status in courses.courses_for_client(ctx, d)] == [
        (course, "enrolled")]


def test_register_feeds_contacts_episode_counts_and_today(ctx: Any) -> None:
    course = sleep_course(ctx)
    group = people(ctx, 3)
    for x in group:
        courses.enrol(ctx, course, x, today=date(2026, 10, 1))
    summary = courses.get_course(ctx, course)
    plan = {  # marks per session for each person
        group[0]: ["attended", "late", "attended", "left_early", "did_not_attend", "attended"],
        group[1]: ["attended", "did_not_attend", "cancelled_service", "attended",
                   "did_not_attend", "did_not_attend"],
        group[2]: ["did_not_attend", "attended", "cancelled_service", "attended", "attended",
                   "attended"],
    }
    for n, session in enumerate(summary.sessions):
        lines = course_register.register(ctx, session.id).lines
        course_register.take_register(ctx, session.id, {
            line.attendance_id: plan[line.client_id][n] for line in lines})
    done = {p.client_id: (p.attended, p.finished) for p in course_register.progress(ctx, course)}
    assert done == {group[0]: (5, True), group[1]: (2, False), group[2]: (4, True)}
    # Each mark is a care contact on the person's sessions tab, mode "group".
    contacts = sessions.list_for_client(ctx, group[0])
    assert len(contacts) == 6 and {c.mode for c in contacts} == {"group"}
    assert sorted(c.outcome for c in contacts).count("attended") == 5
    assert next(c for c in contacts if c.notes == "Late").outcome == "attended"
    with ctx.store.read() as s:
        last = s.get(Client, group[0]).last_contact_on
    assert last == summary.sessions[-1].starts_at.date()
    # NHS Talking Therapies: group contacts count towards the episode's attended contacts.
    with ctx.store.read() as s:
        from wellbeing_desktop.storage.models import Referral

        rid = s.query(Referral.id).filter(Referral.client_id == group[1]).scalar()
        assert measure_progress.attended_contacts(s, group[1], rid) == 2
    # Today: missed the last two sessions (cancelled-by-us sessions do not count against).
    missed = {m.client_id for m in course_register.missed_last_two(ctx)}
    assert missed == {group[1]}
    assert [i.client_id for i in today.summary(ctx).missed_groups] == [group[1]]
    # Changing a mark back to "booked" removes the contact again.
    line = next(x for x in course_register.register(ctx, summary.sessions[0].id).lines
                if x.client_id == group[0])
    course_register.take_register(ctx, summary.sessions[0].id, {line.attendance_id: "booked"})
    assert len(sessions.list_for_client(ctx, group[0])) == 5


def test_bad_register_changes_nothing(ctx: Any) -> None:
    course = sleep_course(ctx)
    (x,) = people(ctx, 1)
    courses.enrol(ctx, course, x, today=date(2026, 10, 1))
    session = courses.get_course(ctx, course).sessions[0]
    line = course_register.register(ctx, session.id).lines[0]
    with pytest.raises(ValidationError, match="not a register mark"):
        course_register.take_register(ctx, session.id, {line.attendance_id: "present"})
    assert course_register.register(ctx, session.id).lines[0].mark == rules.BOOKED
    assert sessions.list_for_client(ctx, x) == []
