"""What the other areas recorded, turned into snapshot parts for printed documents.

Casework (goals, sessions' topics, next appointment, discharge), signposting (services with their
contact details) and measures (scores over time, first and last). Each function reads through
that area's service, so the same permissions and soft-delete rules apply.
"""

from __future__ import annotations

import uuid
from dataclasses import replace

from wellbeing_desktop.domain.costs import CostState
from wellbeing_desktop.domain.needs import domain_label
from wellbeing_desktop.packs.snapshot import (
    Goal,
    MeasurePoint,
    MeasureSeries,
    NextSteps,
    Outcome,
    PackSnapshot,
    ServiceEntry,
)
from wellbeing_desktop.services import discharge, goals, measures, sessions, signposting
from wellbeing_desktop.services.app import AppContext

# How an appointment will happen, in words that follow "It will be …".
HOW = {"in_person": "in person", "phone": "by phone", "video": "by video call",
       "group": "in a group", "text": "by text message"}
# Signposting whose outcome says the service is not for them any more is left off the plan.
LEFT_OFF = {"declined", "not_eligible", "service_closed"}
# Totals shown on plans and letters (ONS4 is reported item by item, not as a score).
CHARTED = ("PHQ-9", "GAD-7", "WSAS")


def casework(ctx: AppContext, client_id: uuid.UUID, snap: PackSnapshot) -> PackSnapshot:
    goal_list = tuple(
        Goal(g.what, tuple(line.strip(" -•\t") for line in g.steps.splitlines() if line.strip()),
             g.latest_rating)
        for g in goals.list_for_client(ctx, client_id) if g.status != "stopped")
    appointments = sessions.list_for_client(ctx, client_id)
    attended = [a for a in appointments if a.outcome == "attended"]
    topics: list[str] = []
    for a in sorted(attended, key=lambda a: a.starts_at):
        topics.extend(code for code in a.topics if code not in topics)
    upcoming = sessions.next_appointment(ctx, client_id)
    ended = discharge.get_for_client(ctx, client_id)
    if ended is not None:
        care = tuple(line for text in (ended.what_next, ended.who_to_contact,
                                       ended.how_to_come_back)
                     for line in (x.strip() for x in text.splitlines()) if line)
        next_steps = NextSteps(discharged=True, discharged_on=ended.discharged_on,
                               continued_care=care, follow_up_on=ended.follow_up_on)
    elif upcoming is not None:
        how = HOW.get(upcoming.mode, "")
        if upcoming.mode == "in_person" and upcoming.venue:
            how = f"at {upcoming.venue}"
        next_steps = NextSteps(next_appointment=upcoming.starts_at, appointment_how=how)
    else:
        next_steps = NextSteps()
    # Topics with no advice in the content files are printed with casework's own label.
    return replace(snap, goals=goal_list, topics=tuple(topics),
                   topic_names=tuple((code, sessions.topic_label(code)) for code in topics),
                   next_steps=next_steps, sessions_attended=len(attended))


def services(ctx: AppContext, client_id: uuid.UUID, snap: PackSnapshot) -> PackSnapshot:
    entries: list[ServiceEntry] = []
    seen: set[uuid.UUID] = set()
    for item in signposting.list_for_client(ctx, client_id):
        svc = item.service
        if item.outcome in LEFT_OFF or svc.withdrawn or svc.id in seen:
            continue
        seen.add(svc.id)
        where = svc.locations[0] if svc.locations else None
        entries.append(ServiceEntry(
            name=svc.name,
            description=svc.description,
            reason=domain_label(item.need) if item.need else "",
            phone=svc.phones[0].number if svc.phones else "",
            address=where.address if where else "",
            postcode=where.postcode if where else "",
            opening_times=svc.opening_times,
            website=svc.url or svc.organization_website,
            email=svc.email,
            what_to_expect=svc.how_to_refer,
            who_for=svc.eligibility,
            how_to_get_help=svc.application_process,
            # Not stated prints nothing: the plan never claims "free" for a service that did
            # not say so.
            cost=svc.cost.shown if svc.cost.state is not CostState.NOT_STATED else "",
            contact_made=item.kind in signposting.SHARING_KINDS,
        ))
    # Oldest first: the order they were talked about.
    return replace(snap, services=tuple(reversed(entries)))


def scores(ctx: AppContext, client_id: uuid.UUID, snap: PackSnapshot) -> PackSnapshot:
    charted: list[MeasureSeries] = []
    drawn = []
    outcomes: list[Outcome] = []
    for series in measures.series(ctx, client_id):
        if series.measure_id not in CHARTED or series.item_key is not None:
            continue
        drawn.append(series)
        points = tuple(MeasurePoint(on, total) for on, total in series.points)
        charted.append(MeasureSeries(series.measure_id, series.maximum, points))
        if len(points) >= 2:
            outcomes.append(Outcome(
                series.measure_id, _score(points[0].score, series.maximum),
                _score(points[-1].score, series.maximum)))
    physical = {d.id for d in measures.definitions() if d.area == "physical"}
    health = tuple(
        Outcome(c.measure_id if c.key is None else f"{c.measure_id}.{c.key}",
                c.first_text, c.last_text, c.direction)
        for c in measures.changes(ctx, client_id) if c.measure_id in physical)
    return replace(snap, measures=tuple(charted), chart_series=tuple(drawn),
                   outcomes=tuple(outcomes), health_changes=health)


def _score(value: float, maximum: float) -> str:
    shown = int(value) if float(value).is_integer() else round(value, 1)
    return f"{shown} out of {int(maximum)}"


EXTENDERS = (casework, services, scores)
