"""A client's measures over time: the series drawn on the Measures tab, change from first to
last in the episode, and the episode's paired NHS Talking Therapies outcome. Works on the rows
`services.measures` has read, inside its unit of work."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wellbeing_desktop.domain.measures import MeasureSeries, PairedOutcome, paired_outcome, rules_from
from wellbeing_desktop.domain.measures.change import Change, Taken
from wellbeing_desktop.domain.measures.change import changes as measure_changes
from wellbeing_desktop.domain.measures.registry import shipped
from wellbeing_desktop.storage.models import Referral
from wellbeing_desktop.storage.models.casework import Appointment

if TYPE_CHECKING:
    from wellbeing_desktop.services.measures import Administration


def changes_in(rows: list[Administration]) -> list[Change]:
    out: list[Change] = []
    for definition in shipped().ordered():
        taken = [Taken(r.taken_on, r.answers, None if r.total is None else float(r.total))
                 for r in rows if r.measure_id == definition.id]
        out.extend(measure_changes(definition, taken))
    return out


def in_episode(s: Session, client_id: uuid.UUID,
                rows: list[Administration]) -> list[Administration]:
    """The valid administrations of the client's latest episode, oldest first: recorded
    against it, or (recorded with no referral) taken between its received and discharge
    dates."""
    episode = s.execute(
        select(Referral.id, Referral.received_on, Referral.discharged_on).where(
            Referral.client_id == client_id, Referral.deleted_at.is_(None))
        .order_by(Referral.received_on.desc()).limit(1)
    ).first()
    if episode is None:
        return []
    rid, received, discharged = episode
    return [
        r for r in rows
        if r.valid and (
            r.referral_id == rid or (
                r.referral_id is None and r.taken_on >= received
                and (discharged is None or r.taken_on <= discharged)))
    ]


def series_of(rows: list[Administration]) -> list[MeasureSeries]:
    out: list[MeasureSeries] = []
    for definition in shipped().ordered():
        mine = [r for r in rows if r.measure_id == definition.id and r.valid]
        if not mine:
            continue
        if definition.has_total:
            points = [(r.taken_on, float(r.total)) for r in mine if r.total is not None]
            low, high = definition.min_total, definition.max_total
            if definition.method == "bmi":
                low, high = chart_range([p[1] for p in points], low, high)
            out.append(MeasureSeries(
                definition.id, definition.short_title, tuple(p[0] for p in points),
                tuple(p[1] for p in points), definition.caseness_at_least,
                low, high, definition.bands, definition.higher_is))
            if not definition.inputs:
                continue
        for index, item in enumerate(definition.items):
            if not item.chart:  # a category (never / ex / current) is not a line
                continue
            item_points = [(r.taken_on, float(value)) for r in mine
                           for value in r.answers[index:index + 1]
                           if isinstance(value, int | float) and not isinstance(value, bool)]
            if item_points:
                low, high = (chart_range([p[1] for p in item_points], item.min, item.max)
                             if item.is_number else (min(item.values), max(item.values)))
                direction = definition.direction(item)
                if item.key == "anxiety" and item.higher_is is None:
                    direction = "worse"
                out.append(MeasureSeries(
                    definition.id, f"{definition.short_title}: {item.short}",
                    tuple(p[0] for p in item_points), tuple(p[1] for p in item_points), None,
                    low, high, item.bands, direction, item.key))
    return out


def chart_range(values: list[float], low: float, high: float) -> tuple[float, float]:
    """A measured amount is drawn on a scale around its values (a weight of 80 kg on a
    20–350 kg axis would be a flat line), widened to whole tens and kept within the item's
    range."""
    lo = max(low, (min(values) * 0.8) // 10 * 10)
    hi = min(high, -(-(max(values) * 1.2) // 10) * 10)
    return (lo, hi) if hi > lo else (low, high)


def attended_contacts(s: Session, client_id: uuid.UUID, referral_id: uuid.UUID) -> int:
    """Attended contacts in the episode (casework's appointments; a group place is one too)."""
    count: int = s.execute(
        select(func.count()).select_from(Appointment).where(
            Appointment.client_id == client_id, Appointment.referral_id == referral_id,
            Appointment.outcome == "attended", Appointment.deleted_at.is_(None))
    ).scalar_one()
    return count


def outcome_of(s: Session, client_id: uuid.UUID,
             rows: list[Administration]) -> PairedOutcome | None:
    phq_rule, gad_rule = rules_from(shipped())
    episode = s.execute(
        select(Referral.id, Referral.received_on, Referral.discharged_on).where(
            Referral.client_id == client_id, Referral.deleted_at.is_(None))
        .order_by(Referral.received_on.desc()).limit(1)
    ).first()
    if episode is None:
        return None
    rid, received, discharged = episode
    taken = [
        r for r in rows
        if r.valid and r.total is not None and (
            r.referral_id == rid or (
                r.referral_id is None and r.taken_on >= received
                and (discharged is None or r.taken_on <= discharged)))
    ]
    pairs: list[tuple[float, float]] = []
    for measure in (phq_rule.measure_id, gad_rule.measure_id):
        totals = [float(r.total) for r in taken
                  if r.measure_id == measure and r.total is not None]
        if len(totals) < 2:
            return None
        pairs.append((totals[0], totals[-1]))
    return paired_outcome(pairs[0], pairs[1], phq9_rule=phq_rule, gad7_rule=gad_rule,
                          attended_contacts=attended_contacts(s, client_id, rid))
