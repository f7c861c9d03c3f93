"""Wellbeing, functioning and physical health first against last, per person in a period:
the central report's table and the desktop Reports page's card (one query, one rule).

The rule is domain.measures.change (the measure's own direction; ONS4 and the physical-health
measures item by item). What is read, and why this way (profiled on 1,000,000 records):

- measures judged on their total alone (WSAS, goals, AUDIT-C, AUDIT): the first and last
  valid total of each person are picked in SQL (one window ordering) and the pairs counted in
  SQL, so Python judges each distinct (first, last) pair once, not each person;
- measures compared item by item (ONS4, smoking, activity, sleep, BMI): the administrations of
  people measured twice or more, answers read as text and decoded with orjson (the drivers'
  JSON decoding was the largest single cost).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from itertools import groupby
from typing import Any

import orjson
from sqlalchemy import ColumnElement, Connection, Text, case, cast, func, or_, select

from wellbeing_desktop.domain.measures.change import ChangeCount, Taken, change_counts
from wellbeing_desktop.domain.measures.definitions import MeasureDefinition
from wellbeing_desktop.domain.measures.registry import shipped
from wellbeing_desktop.storage.models.measures import MeasureAdministration
from wellbeing_desktop.sync.report_queries import Period, group_column, live

# Measures whose change is reported per person (PHQ-9 and GAD-7 are judged per episode, as
# NHS Talking Therapies outcomes, in report_queries).
CHANGE_MEASURES = ("WSAS", "ONS4", "GBO", "AUDIT-C", "AUDIT", "Smoking", "Activity", "Sleep",
                   "BMI")


def _definitions() -> dict[str, MeasureDefinition]:
    return {m: d for m in CHANGE_MEASURES if (d := shipped().find(m)) is not None}


def _by_total(d: MeasureDefinition) -> bool:
    return d.has_total and not d.inputs


def measure_changes(conn: Connection, period: Period, split: str = "service",
                    restricted: list[uuid.UUID] | None = None,
                    practitioner: uuid.UUID | None = None) -> dict[str, list[ChangeCount]]:
    """Split group -> counts better / same / worse per measure total or item, first against
    last valid administration taken in the period. `practitioner` limits it to a caseload
    (the desktop page for a practitioner without the team's figures)."""
    ma = MeasureAdministration.__table__
    definitions = _definitions()
    group = group_column(split, ma).label("grp")
    where = [*live(ma, restricted or []), ma.c.valid.is_(True),
             ma.c.taken_on >= period.since, ma.c.taken_on <= period.until]
    if practitioner is not None:
        where.append(ma.c.practitioner_id == practitioner)
    totals = [m for m, d in definitions.items() if _by_total(d)]
    items = [m for m in definitions if m not in totals]
    series: dict[str, list[tuple[str, list[Taken], int]]] = defaultdict(list)
    _total_pairs(conn, group, [*where, ma.c.measure_id.in_(totals)], series)
    _item_series(conn, group, [*where, ma.c.measure_id.in_(items)], series)
    return {grp: change_counts(definitions, [], weighted=s) for grp, s in series.items()}


def _total_pairs(conn: Connection, group: Any, where: list[ColumnElement[bool]],
                 series: dict[str, list[tuple[str, list[Taken], int]]]) -> None:
    ma = MeasureAdministration.__table__
    part = (group, ma.c.client_id, ma.c.measure_id)
    ranked = select(
        group, ma.c.client_id, ma.c.measure_id, ma.c.total,
        func.row_number().over(partition_by=part, order_by=(ma.c.taken_on, ma.c.created_at,
                                                             ma.c.id)).label("k"),
        func.count().over(partition_by=part).label("n"),
    ).where(*where, ma.c.total.is_not(None)).subquery("ranked")
    pairs = select(
        ranked.c.grp, ranked.c.measure_id,
        func.max(case((ranked.c.k == 1, ranked.c.total))).label("first"),
        func.max(case((ranked.c.k == ranked.c.n, ranked.c.total))).label("last"),
    ).where(ranked.c.n >= 2, or_(ranked.c.k == 1, ranked.c.k == ranked.c.n)) \
        .group_by(ranked.c.grp, ranked.c.client_id, ranked.c.measure_id).subquery("pairs")
    day = date(2000, 1, 1)  # dates do not enter the counts
    for grp, measure, a, b, n in conn.execute(
            select(pairs.c.grp, pairs.c.measure_id, pairs.c.first, pairs.c.last, func.count())
            .group_by(pairs.c.grp, pairs.c.measure_id, pairs.c.first, pairs.c.last)):
        series[str(grp)].append((str(measure), [Taken(day, (), float(a)),
                                                Taken(day, (), float(b))], int(n)))


def _item_series(conn: Connection, group: Any, where: list[ColumnElement[bool]],
                 series: dict[str, list[tuple[str, list[Taken], int]]]) -> None:
    ma = MeasureAdministration.__table__
    twice = select(ma.c.client_id, ma.c.measure_id).where(*where) \
        .group_by(ma.c.client_id, ma.c.measure_id).having(func.count() >= 2).subquery("twice")
    rows = conn.execute(
        select(group, ma.c.client_id, ma.c.measure_id, ma.c.taken_on,
               cast(ma.c.answers, Text), ma.c.total)
        .join(twice, (twice.c.client_id == ma.c.client_id)
              & (twice.c.measure_id == ma.c.measure_id))
        .where(*where)
        .order_by(group, ma.c.client_id, ma.c.measure_id, ma.c.taken_on, ma.c.created_at,
                  ma.c.id))
    for (grp, _client, measure), person in groupby(rows, key=lambda r: (r[0], r[1], r[2])):
        taken = [Taken(r[3], tuple(orjson.loads(r[4]) or ()) if r[4] else (),
                       None if r[5] is None else float(r[5])) for r in person]
        series[str(grp)].append((str(measure), taken, 1))
