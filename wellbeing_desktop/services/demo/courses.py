"""Demo courses and physical-health figures: four courses in the demo town (sleep, stress,
cook and eat, a walking group) — two finished, one running, one to come — with registers
taken for the sessions held and each mark written as the person's care contact (as the
register screen does); more courses at scale. Physical-health measures (sleep, activity,
smoking, alcohol, weight) at the start and the latest contact for about half the clients."""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import text

from wellbeing_desktop.domain import courses as rules
from wellbeing_desktop.domain.measures import score
from wellbeing_desktop.domain.measures.registry import shipped
from wellbeing_desktop.services.demo.context import DemoContext
from wellbeing_desktop.services.demo.measures import _attended, fast_insert
from wellbeing_desktop.storage.models.casework import Appointment, GroupAttendance, GroupSession
from wellbeing_desktop.storage.models.courses import Course, CourseEnrolment
from wellbeing_desktop.storage.models.measures import MeasureAdministration

# (title, audience, venue, weekday, start, topics per week, weeks before today it starts)
COURSES = (
    ("Sleep well", "Adults whose sleep is affecting their day", "Kingsmere Library, Room 2",
     ("sleep", "routine", "stress", "sleep", "physical_activity", "sleep"), 10),
    ("Managing stress", "Anyone finding stress hard to manage", "Eastgate Community Centre",
     ("stress", "routine", "social_connection", "stress", "sleep", "stress"), 3),
    ("Cook and eat well", "People who want to eat well on a budget", "Riverside Family Hub "
     "kitchen", ("eating_well", "money_wellbeing", "eating_well", "weight", "eating_well",
                 "eating_well"), 8),
    ("Walking group", "Anyone wanting to be more active, at their own pace",
     "Meet at Kingsmere Park gates", ("physical_activity",) * 6, -1),
)
MARK_WEIGHTS = (("attended", 70), ("late", 6), ("left_early", 4), ("did_not_attend", 18),
                ("cancelled_service", 2))


def _mark(rng: random.Random) -> str:
    roll = rng.randrange(100)
    for code, weight in MARK_WEIGHTS:
        if roll < weight:
            return code
        roll -= weight
    return "attended"


def generate(ctx: DemoContext) -> None:
    _courses(ctx)
    _physical(ctx)


def _courses(ctx: DemoContext) -> None:
    rng = ctx.rng
    # People already a few sessions in join a course (as services offer them), so the demo
    # keeps its mix of episodes that did and did not reach two attended contacts.
    seen = _seen(ctx)
    members = [c for c in ctx.client_ids if ctx.client_stage.get(c) in ("active", "reviewing")
               and len(seen.get(c, ())) >= 2]
    if len(members) < 4:
        return
    lead = ctx.practitioner_ids[0] if ctx.practitioner_ids else None
    rounds = max(1, len(ctx.client_ids) // 1600)  # 50,000 clients: about 30 of each course
    courses, sessions, enrolments, register, contacts = [], [], [], [], []
    now = datetime.combine(ctx.today, time(12, 0))
    for n in range(rounds):
        for k, (title, audience, venue, topics, weeks_ago) in enumerate(COURSES):
            cid = ctx.uuid()
            first = datetime.combine(ctx.today - timedelta(weeks=weeks_ago + n % 4),
                                     time(10 + 3 * (k % 2), 30))
            capacity = 10
            courses.append({"id": cid, "title": title, "audience": audience,
                            "capacity": capacity, "complete_after": 4, "mode": "in_person",
                            "venue": venue, "facilitators": ["Sam Okoye"],
                            "register_names": "first_initial", "certificate": True,
                            "status": "finished" if first + timedelta(weeks=6) < now
                            else "running" if first < now else "planned",
                            "notes": "", "practitioner_id": lead})
            held = []
            for week, topic in enumerate(topics):
                gid = ctx.uuid()
                starts = first + timedelta(weeks=week)
                sessions.append({"id": gid, "topic": topic.replace("_", " ").capitalize(),
                                 "venue": venue, "starts_at": starts, "minutes": 90,
                                 "capacity": capacity, "notes": "", "practitioner_id": lead,
                                 "course_id": cid, "number": week + 1, "topics": [topic],
                                 "mode": "in_person"})
                held.append((gid, starts, topic))
            size = min(len(members), rng.randrange(7, 13))
            for place, client in enumerate(rng.sample(members, size)):
                status = "enrolled" if place < capacity else "waiting"
                enrolments.append({"client_id": client, "course_id": cid,
                                   "referral_id": ctx.referral_ids.get(client),
                                   "status": status, "enrolled_on": first.date() - timedelta(
                                       days=rng.randrange(3, 20))})
                if status != "enrolled":
                    continue
                for gid, starts, topic in held:
                    mark = _mark(rng) if starts < now else rules.BOOKED
                    register.append({"client_id": client, "group_session_id": gid,
                                     "attendance": mark, "notes": ""})
                    if mark == rules.BOOKED:
                        continue
                    contacts.append({
                        "client_id": client, "referral_id": ctx.referral_ids.get(client),
                        "starts_at": starts, "minutes": 90, "mode": "group", "venue": venue,
                        "outcome": rules.CONTACT_OUTCOME[mark], "topics": [topic],
                        "advice": "", "notes": "" if mark in ("attended", "did_not_attend")
                        else rules.mark_label(mark), "practitioner_id": lead,
                        "group_session_id": gid})
    ctx.insert(Course.__table__, courses)  # type: ignore[arg-type]
    ctx.insert(GroupSession.__table__, sessions)  # type: ignore[arg-type]
    ctx.insert(CourseEnrolment.__table__, enrolments)  # type: ignore[arg-type]
    ctx.insert(GroupAttendance.__table__, register)  # type: ignore[arg-type]
    ctx.insert(Appointment.__table__, contacts)  # type: ignore[arg-type]
    # Last contact, as services.clients.refresh_last_contact keeps it, for course members only
    # (one statement over everyone costs seconds at 50,000 clients).
    ctx.conn.execute(text(
        "UPDATE clients SET last_contact_on = max(coalesce(last_contact_on, ''),"
        " coalesce((SELECT date(max(a.starts_at)) FROM appointments a"
        "  WHERE a.client_id = clients.id AND a.outcome = 'attended'), ''))"
        " WHERE id IN (SELECT client_id FROM appointments WHERE mode = 'group'"
        "  AND group_session_id IN (SELECT id FROM group_sessions WHERE course_id IS NOT NULL)"
        "  AND outcome = 'attended')"))


def _seen(ctx: DemoContext) -> dict[Any, list[Any]]:
    """Each client's attended contact days, read once for both steps here."""
    if "attended" not in ctx.extra:
        ctx.extra["attended"] = _attended(ctx)
    found: dict[Any, list[Any]] = ctx.extra["attended"]
    return found


def _physical(ctx: DemoContext) -> None:
    """First and latest physical-health measures, moving mostly the right way."""
    rng = ctx.rng
    defs = shipped()
    attended = _seen(ctx)
    share = 0.1 if ctx.large else 0.5
    rows: list[dict[str, Any]] = []
    for cid, days in attended.items():
        if len(days) < 2 or rng.random() > share:
            continue
        first, last = days[0], days[-1]
        better = rng.random() < 0.7
        hours0 = rng.choice((4.5, 5.0, 5.5, 6.0, 6.5))
        days0 = rng.randrange(0, 4)
        smoker = rng.random() < 0.3
        drinks = rng.random() < 0.25
        forms: list[tuple[str, tuple[Any, ...], tuple[Any, ...]]] = [
            ("Sleep", (hours0, rng.randrange(2, 5)),
             (min(9.0, hours0 + (1.5 if better else 0.0)), rng.randrange(0, 3) if better
              else rng.randrange(2, 5))),
            ("Activity", (days0, float(rng.randrange(6, 12))),
             (min(7, days0 + (rng.randrange(1, 4) if better else 0)),
              float(rng.randrange(4, 10)))),
        ]
        if smoker:
            quit_ = better and rng.random() < 0.5
            forms.append(("Smoking", (2, rng.randrange(5, 25), 0, None, None),
                          (1, None, 1, 1, rng.randrange(2, 8)) if quit_ else
                          (2, rng.randrange(3, 20), 1 if better else 0, None, None)))
        if drinks:
            start = (rng.randrange(2, 5), rng.randrange(1, 4), rng.randrange(1, 4))
            end = tuple(max(0, a - (1 if better else 0)) for a in start)
            forms.append(("AUDIT-C", start, end))
        if not ctx.large and rng.random() < 0.4:
            height = float(rng.randrange(150, 195))
            weight = float(rng.randrange(60, 115))
            forms.append(("BMI", (1, weight, height),
                          (1, weight - (rng.randrange(1, 5) if better else -1), height)))
        for measure, a, b in forms:
            definition = defs.find(measure)
            if definition is None:
                continue
            for on, answers in ((first, a), (last, b)):
                result = score(definition, list(answers))
                rows.append({"client_id": cid, "referral_id": ctx.referral_ids.get(cid),
                             "measure_id": definition.id, "taken_on": on,
                             "answers": list(answers),
                             "total": None if result.total is None else float(result.total),
                             "band": result.band, "caseness": result.caseness,
                             "valid": result.valid, "entered_from_paper": False,
                             "practitioner_id": None})
        if len(rows) >= 5_000:
            fast_insert(ctx, MeasureAdministration.__table__, rows)  # type: ignore[arg-type]
            rows = []
    fast_insert(ctx, MeasureAdministration.__table__, rows)  # type: ignore[arg-type]
