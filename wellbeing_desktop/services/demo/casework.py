"""Demo casework for each demo client, following their stage on the pathway: status history,
needs check, suitability, appointments with topics and notes, goals with reviews, group
sessions, discharge plans and a few risk concerns. Core inserts, so 50,000 clients stay fast."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy import select, text

from wellbeing_desktop.domain.casework import EXPECTATIONS
from wellbeing_desktop.domain.goals import review_due
from wellbeing_desktop.domain.needs import NEEDS_DOMAINS
from wellbeing_desktop.services.demo.context import DemoContext
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.casework import (
    Appointment,
    Discharge,
    Goal,
    GoalReview,
    GroupAttendance,
    GroupSession,
    NeedRating,
    NeedsAssessment,
    RiskConcern,
    SuitabilityDecision,
)
from wellbeing_desktop.storage.models.clients import ReferralStatusChange

VENUES = ["Kingsmere Health Centre, Room 3", "Canal Street Community Centre",
          "Kingsmere Library, Community Room", "Riverside Medical Centre"]
GROUPS = [("Sleep well: a four-week course", "Kingsmere Library, Community Room"),
          ("Moving more, feeling better", "St Mark's Church Hall, Kiln Row"),
          ("Money and wellbeing", "Canal Street Community Centre"),
          ("Managing stress", "Kingsmere Health Centre, Seminar Room")]
TOPIC_SETS = [("sleep", "routine"), ("physical_activity",), ("money_wellbeing", "stress"),
              ("smoking",), ("alcohol", "stress"), ("eating_well", "weight"),
              ("social_connection",), ("long_term_conditions", "physical_activity"),
              ("digital_skills",)]
ADVICE = {
    "sleep": "Agreed a regular getting-up time and a wind-down hour without the phone.",
    "routine": "Planned the week with one enjoyable thing each day.",
    "physical_activity": "Talked through starting with a 10-minute walk after lunch.",
    "money_wellbeing": "Gave the Citizens Advice debt line; started a simple budget together.",
    "stress": "Practised slow breathing; noticed early signs of stress.",
    "smoking": "Explained the local stop smoking service; client keen to book.",
    "alcohol": "Went through units; agreed three drink-free days a week.",
    "eating_well": "Looked at regular meals and a cheaper weekly shop.",
    "weight": "Discussed the local weight management course.",
    "social_connection": "Looked at the Tuesday walking group and the library craft club.",
    "long_term_conditions": "Talked about the diabetes self-management course.",
    "digital_skills": "Gave details of free help at the library to get online.",
}
NOTES = [
    "Client engaged well and was open about how things have been. Mood a little brighter "
    "than last time. Will try the plan before we next speak.",
    "Spoke by phone. Has managed two of the three steps. Finding evenings hard; we talked "
    "about what helps.",
    "Came with her sister. Talked through the letter from the council together and what "
    "it means.",
    "Tired today after a poor night. Kept the session short and agreed one small step.",
    "Pleased with progress. Reflected on what has changed since the start.",
]
GOALS = [
    ("Walk to the park and back three times a week", "I want more energy for my kids",
     "Start with once this week; go with a friend", "Three walks a week for four weeks",
     "physical_activity"),
    ("Go to bed by 11pm on weeknights", "I'm exhausted at work", "Phone off at 10pm; read",
     "In bed by 11 on at least four nights", "sleep"),
    ("Make a budget and call the debt advice line", "Stop the letters piling up",
     "Gather bills; book a call with Citizens Advice", "Budget done and call made", "money_debt"),
    ("Try the Tuesday walking group", "Meet people since moving here",
     "Look up the time; ask a neighbour to come", "Been to the group twice", "social"),
    ("Set a quit date and use the stop smoking service", "My chest and my money",
     "Book with the service; tell family", "Quit date set and kept for a week", "smoking"),
]
RISK = [
    ("measure:PHQ-9", "PHQ-9 item 9 answered 1 (several days).",
     "Asked directly: thoughts but no plans or intent. Safety plan agreed; crisis numbers "
     "given; GP informed with consent."),
    ("practitioner", "Said she sometimes feels everyone would be better off without her.",
     "Discussed with the duty clinician the same day; safety plan written together."),
]
DISCHARGE_PLANS = [
    ("Keep going to the walking group on Tuesdays and keep the bedtime routine.",
     "Your GP, or NHS 111 option 2 if things get harder.",
     "Call us on 01632 960 100 or self-refer online within six months."),
    ("Carry on with the budget; Citizens Advice will call about the debt plan.",
     "Citizens Advice (01632 960 455) about money; your GP about your health.",
     "Ring us on 01632 960 100; you will not need a new referral for six months."),
]
# At benchmark scale only every LARGE_SAMPLE-th client gets casework history: the 50,000-client
# set exists to measure lists and search, and must build in seconds (DESIGN §9).
LARGE_SAMPLE = 8
TODAY_SLOTS = [time(9, 30), time(11, 0), time(14, 0), time(15, 30)]


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng
    owner = dict(ctx.conn.execute(select(Client.id, Client.practitioner_id)).all())
    received = dict(ctx.conn.execute(select(Referral.id, Referral.received_on)).all())
    referral_dates = {r[0]: (r[1], r[2]) for r in ctx.conn.execute(
        select(Referral.id, Referral.first_contact_on, Referral.assessed_on)).all()}
    rows: dict[Any, list[dict[str, Any]]] = {t: [] for t in (
        ReferralStatusChange, NeedsAssessment, NeedRating, SuitabilityDecision, Appointment,
        Goal, GoalReview, Discharge, RiskConcern)}
    today_slot = 0
    active_seen = 0
    recent_dnas = 0
    for index, cid in enumerate(ctx.client_ids):
        if ctx.large and index % LARGE_SAMPLE:
            continue
        stage = ctx.client_stage[cid]
        rid = ctx.referral_ids[cid]
        who = owner.get(cid)
        got = received[rid]
        first, assessed = referral_dates[rid]
        history = [("", "received", got, "Referral received")]
        if stage != "referred" and first and assessed:
            history.append(("received", "contacted", first, "Phoned; assessment booked"))
            history.append(("contacted", "assessed", assessed, "Assessment: suitable"))
            if stage in ("active", "reviewing", "discharged"):
                history.append(("assessed", "active", assessed + timedelta(days=7),
                                "First session attended"))
            if stage in ("reviewing", "discharged"):
                history.append(("active", "reviewing", assessed + timedelta(days=50),
                                "Sessions offered completed; reviewing goals"))
        for old, new, on, why in history:
            rows[ReferralStatusChange].append({
                "client_id": cid, "referral_id": rid, "changed_on": min(on, ctx.today),
                "from_status": old, "to_status": new, "reason": why, "practitioner_id": who})
        if stage == "referred" or assessed is None:
            continue
        # needs check and suitability
        aid = ctx.uuid()
        rows[NeedsAssessment].append({"id": aid, "client_id": cid, "referral_id": rid,
                                      "assessed_on": assessed, "practitioner_id": who,
                                      "notes": "Holistic needs check at assessment."})
        chosen = rng.sample(NEEDS_DOMAINS, 3 if ctx.large else rng.randrange(2, 6))
        for rank, domain in enumerate(chosen):
            level = 2 if rank == 0 else rng.choice((1, 2))
            rows[NeedRating].append({"client_id": cid, "assessment_id": aid,
                                     "domain": domain.code, "level": level,
                                     "priority": 2 if rank == 0 else rng.choice((0, 1)),
                                     "notes": ""})
        mode = rng.choice(("in_person", "phone", "phone", "video"))
        adjusted = index % 9 == 4
        rows[SuitabilityDecision].append({
            "client_id": cid, "referral_id": rid, "decided_on": assessed,
            "decision": "suitable_adjusted" if adjusted else "suitable",
            "reasons": "Needs sit with the wider determinants (" +
                       ", ".join(d.label.lower() for d in chosen[:2]) +
                       "); wants practical support rather than therapy.",
            "adjustments": "Interpreter booked for every session." if adjusted else "",
            "expectations": [c for c, _ in EXPECTATIONS], "preferred_mode": mode,
            "practitioner_id": who})
        # appointments: every two weeks since assessment; most people in sessions were seen
        # in the last fortnight, a few have lapsed (last seen 3–8 weeks ago, nothing booked)
        # and a few missed one in the last fortnight.
        topics = rng.choice(TOPIC_SETS)
        attended = {"assessed": 0, "active": rng.randrange(1, 5), "reviewing": 6,
                    "discharged": 6}[stage]
        lapsed = stage in ("active", "reviewing") and index % 7 == 5
        if stage == "discharged":
            last = min(assessed + timedelta(days=7 + 14 * (attended - 1)),
                       ctx.today - timedelta(days=5))
        else:
            last = ctx.today - timedelta(days=rng.randrange(22, 50) if lapsed
                                         else rng.randrange(2, 14))
        days = [d for d in (last - timedelta(days=14 * k) for k in range(attended - 1, -1, -1))
                if d > assessed]
        start_day = days[0] if days else assessed + timedelta(days=7)
        last_seen = days[-1] if days else start_day
        for n, day in enumerate(days):
            outcome = "did_not_attend" if n == 1 and index % 5 == 0 else "attended"
            rows[Appointment].append(_appointment(
                ctx, cid, rid, who, datetime.combine(day, time(10 + n % 5, 0)), mode, outcome,
                topics if outcome == "attended" else (), rng.choice(NOTES)))
        if stage == "active" and not lapsed and (recent_dnas < 2 or index % 40 == 6):
            recent_dnas += 1
            missed = ctx.today - timedelta(days=rng.randrange(1, 10))
            rows[Appointment].append(_appointment(
                ctx, cid, rid, who, datetime.combine(missed, time(14, 0)), mode,
                "did_not_attend", (), ""))
        if stage in ("assessed", "active", "reviewing") and not lapsed:
            active_seen += 1
            if not ctx.large and today_slot < len(TODAY_SLOTS) and stage == "active":
                when = datetime.combine(ctx.today, TODAY_SLOTS[today_slot])
                today_slot += 1
            else:
                when = datetime.combine(ctx.today + timedelta(days=1 + active_seen % 13),
                                        time(9 + active_seen % 7, 30))
            if not (stage == "active" and index % 6 == 3):  # some have nothing booked
                rows[Appointment].append(_appointment(ctx, cid, rid, who, when, mode, "booked",
                                                      (), ""))
        # goals with reviews
        if stage in ("active", "reviewing", "discharged"):
            for g in range(1 if ctx.large else rng.randrange(1, 3)):
                what, why, steps, success, goal_domain = GOALS[(index + g) % len(GOALS)]
                gid = ctx.uuid()
                status = "active"
                if stage == "discharged":
                    status = rng.choice(("achieved", "achieved", "partly_achieved"))
                by_when = start_day + timedelta(days=rng.choice((56, 70, 84)))
                if status == "active":  # an active goal's date is still ahead
                    by_when = max(by_when, ctx.today + timedelta(days=rng.randrange(10, 45)))
                goal = {"id": gid, "client_id": cid, "referral_id": rid,
                        "what": what, "why": why, "steps": steps,
                        "measure_of_success": success,
                        "by_when": by_when, "domain": goal_domain,
                        "status": status, "set_on": start_day, "practitioner_id": who}
                rows[Goal].append(goal)
                last_review = None
                rating = rng.randrange(1, 4)
                # Reviewed at each later session; some were not reviewed at the latest one or
                # two, so their review is now due or a little overdue.
                skip = 0 if stage == "discharged" or lapsed else {1: 1, 4: 2}.get(
                    (index + g) % 6, 0)
                for on in days[1:len(days) - skip] if len(days) > skip else ():
                    rating = min(10, rating + rng.randrange(0, 3))
                    last_review = on
                    rows[GoalReview].append({"client_id": cid, "goal_id": gid,
                                             "reviewed_on": on, "rating": rating,
                                             "comment": rng.choice([
                                                 "Getting there", "A hard week but kept going",
                                                 "Really pleased", "Managed most days", ""])})
                goal["review_due_on"] = review_due(start_day, last_review, by_when)
        if stage == "discharged":
            what_next, contact, back = DISCHARGE_PLANS[index % len(DISCHARGE_PLANS)]
            out = min(last_seen + timedelta(days=3), ctx.today - timedelta(days=1))
            rows[Discharge].append({"client_id": cid, "referral_id": rid, "discharged_on": out,
                                    "reason": "completed", "reason_detail": "",
                                    "what_next": what_next, "who_to_contact": contact,
                                    "how_to_come_back": back,
                                    "follow_up_on": ctx.today + timedelta(days=index % 9 - 2),
                                    "follow_up_done_on": None, "practitioner_id": who})
            rows[ReferralStatusChange].append({
                "client_id": cid, "referral_id": rid, "changed_on": out,
                "from_status": "reviewing", "to_status": "discharged",
                "reason": "Completed the sessions", "practitioner_id": who})
        if stage == "active" and index % 13 == 2:
            source, detail, action = RISK[index % len(RISK)]
            raised = datetime.combine(ctx.today - timedelta(days=3), time(11, 0),
                                      tzinfo=ctx.now.tzinfo)
            rows[RiskConcern].append({
                "client_id": cid, "raised_at": raised, "source": source, "detail": detail,
                "action_taken": action,
                "crisis_contacts_shown": "NHS 111, option 2 111; Samaritans 116 123; "
                                         "Emergency 999",
                "raised_by": who, "acknowledged_by": who, "acknowledged_at": raised,
                "resolved_at": None, "resolution": ""})
        if ctx.large and len(rows[Appointment]) > 20_000:
            _flush(ctx, rows)
    _flush(ctx, rows)
    _groups(ctx)
    _last_contact(ctx)


def _last_contact(ctx: DemoContext) -> None:
    """Client.last_contact_on, as services.clients.refresh_last_contact keeps it."""
    ctx.conn.execute(text(
        "UPDATE clients SET last_contact_on = max("
        " coalesce((SELECT date(max(a.starts_at)) FROM appointments a"
        "  WHERE a.client_id = clients.id AND a.outcome = 'attended'), ''),"
        " coalesce((SELECT date(max(g.starts_at)) FROM group_attendances r"
        "  JOIN group_sessions g ON g.id = r.group_session_id"
        "  WHERE r.client_id = clients.id AND r.attendance = 'attended'), ''))"
        " WHERE id IN (SELECT client_id FROM appointments WHERE outcome = 'attended'"
        "  UNION SELECT client_id FROM group_attendances WHERE attendance = 'attended')"))


def _appointment(ctx: DemoContext, cid: uuid.UUID, rid: uuid.UUID, who: Any, when: datetime,
                 mode: str, outcome: str, topics: tuple[str, ...], notes: str) -> dict[str, Any]:
    return {"client_id": cid, "referral_id": rid, "starts_at": when, "minutes": 45,
            "mode": mode, "venue": ctx.rng.choice(VENUES) if mode == "in_person" else "",
            "outcome": outcome, "topics": list(topics),
            "advice": " ".join(ADVICE[t] for t in topics), "notes": notes if topics else "",
            "practitioner_id": who, "group_session_id": None}


def _flush(ctx: DemoContext, rows: dict[Any, list[dict[str, Any]]]) -> None:
    for model, batch in rows.items():
        ctx.insert(model.__table__, batch)
        batch.clear()


def _groups(ctx: DemoContext) -> None:
    """Two past and two coming group sessions with registers of active clients."""
    rng = ctx.rng
    members = [c for c in ctx.client_ids if ctx.client_stage[c] in ("active", "reviewing")]
    if not members:
        return
    sessions, register = [], []
    lead = ctx.practitioner_ids[1] if len(ctx.practitioner_ids) > 1 else None
    for n, (topic, venue) in enumerate(GROUPS):
        gid = ctx.uuid()
        day = ctx.today + timedelta(days=(n - 2) * 7 + 1)
        sessions.append({"id": gid, "topic": topic, "venue": venue,
                         "starts_at": datetime.combine(day, time(13, 30)), "minutes": 90,
                         "capacity": 12, "notes": "", "practitioner_id": lead,
                         "course_id": None, "number": None, "topics": [], "mode": "in_person"})
        for cid in rng.sample(members, min(len(members), rng.randrange(4, 9))):
            past = day < ctx.today
            register.append({"client_id": cid, "group_session_id": gid, "notes": "",
                             "attendance": (rng.choice(("attended", "attended", "attended",
                                                        "did_not_attend")) if past else
                                            "booked")})
    ctx.insert(GroupSession.__table__, sessions)  # type: ignore[arg-type]
    ctx.insert(GroupAttendance.__table__, register)  # type: ignore[arg-type]


