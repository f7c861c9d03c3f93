"""The central report's figures: one set of SQLAlchemy Core queries for SQLite and PostgreSQL.

Each figure is counted in the database, grouped by a *split* (the whole service, each clinic
device, or each practitioner); only the paired outcome of each ended episode is judged in
Python, by the same rule (`domain.measures.outcomes.paired_outcome`) and on the same rows the
desktop Reports page uses, so the two agree for the same data and period (tested).

Periods are inclusive dates. Which date places a record in the period:
referrals received (`received_on`), entering (`first_contact_on`), waits (entering in the
period), ended episodes and their outcomes (`discharged_on`), appointments (`starts_at`, past
ones: not `booked`), signposting (`signposted_on`), unmet needs (`recorded_on`).
Clients whose consent withdrawal is in force (sync_restrictions) are left out of everything.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import chain, repeat
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    case,
    func,
    literal,
    or_,
    select,
)

from wellbeing_desktop.domain.measures.change import ChangeCount
from wellbeing_desktop.domain.measures.outcomes import (
    COURSE_MINIMUM_CONTACTS,
    paired_outcome,
    rules_from,
)
from wellbeing_desktop.domain.measures.registry import shipped
from wellbeing_desktop.domain.reports import EpisodeFlags, OutcomeRates, outcome_rates
from wellbeing_desktop.storage.models import Client, Practitioner, Referral
from wellbeing_desktop.storage.models.casework import Appointment
from wellbeing_desktop.storage.models.directory import DirService
from wellbeing_desktop.storage.models.measures import MeasureAdministration
from wellbeing_desktop.storage.models.signposting import Signposting, UnmetNeed

SPLITS = ("service", "clinic", "practitioner")
WEEKS_6, WEEKS_18 = 42, 126
EQUALITY_FIELDS = ("gender_identity", "ethnic_category", "employment_status",
                   "accommodation_status", "disability", "carer_status")
SERVICE = "Whole service"


@dataclass(frozen=True)
class Period:
    since: date
    until: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.since, time.min)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.until + timedelta(days=1), time.min)


@dataclass(frozen=True)
class Figures:
    """Raw figures per split group (a group is a device id, practitioner name or SERVICE)."""

    period: Period
    split: str
    groups: tuple[str, ...]
    counts: dict[str, dict[str, int]]        # figure -> group -> count
    outcomes: dict[str, OutcomeRates]        # group -> NHS TT outcome counts
    signposting: list[tuple[str, str, int, int]]   # service, need, made, engaged
    unmet: list[tuple[str, str, int]]               # need, area, count
    equality: dict[str, list[tuple[str, int, int, int]]]  # field -> (code, referred, case, recovered)
    quality: list[tuple[str, int, int]]             # item, recorded, of
    # group -> people first against last on ONS4, WSAS, GBO and the physical-health measures
    changes: dict[str, list[ChangeCount]] = field(default_factory=dict)


def _days(conn: Connection, later: Any, earlier: Any) -> ColumnElement[Any]:
    """Whole days between two DATE columns, in the dialect's own arithmetic."""
    days: ColumnElement[Any]
    if conn.dialect.name == "sqlite":
        days = func.julianday(later) - func.julianday(earlier)
    else:
        days = later - earlier  # PostgreSQL: date - date is an integer of days
    return days


def group_column(split: str, table: Any) -> ColumnElement[Any]:
    column: ColumnElement[Any] = literal(SERVICE)
    if split == "clinic":
        column = table.c.origin_device
    elif split == "practitioner":
        column = table.c.practitioner_id
    return column


def _restricted(conn: Connection) -> list[uuid.UUID]:
    # Imported here: the desktop Reports page uses change_queries, which builds on this
    # module, and need not load the merge.
    from wellbeing_desktop.sync.merge.restrictions import restricted_clients

    return [uuid.UUID(r.client_id) for r in restricted_clients(conn)]


def live(table: Any, restricted: list[uuid.UUID]) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [table.c.deleted_at.is_(None)]
    if restricted and "client_id" in table.c:
        where.append(table.c.client_id.notin_(restricted))
    elif restricted and table.name == "clients":
        where.append(table.c.id.notin_(restricted))
    return where


def _by_group(conn: Connection, stmt: Any) -> dict[str, int]:
    return {str(g): int(n or 0) for g, n in conn.execute(stmt).all()}


def _sums(conn: Connection, counts: dict[str, dict[str, int]], group: ColumnElement[Any],
          conditions: dict[str, ColumnElement[bool]], where: list[ColumnElement[bool]]) -> None:
    """counts[figure][group] = rows meeting each condition, all in one grouped query."""
    names = list(conditions)
    for name in names:
        counts[name] = {}
    stmt = select(group, *(func.sum(case((conditions[n], 1), else_=0)) for n in names)) \
        .where(*where).group_by(group)
    for row in conn.execute(stmt):
        for name, value in zip(names, row[1:], strict=True):
            if value:
                counts[name][str(row[0])] = int(value)


def figures(conn: Connection, period: Period, split: str = "service") -> Figures:
    from wellbeing_desktop.sync import change_queries  # it builds on this module's helpers

    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}")
    restricted = _restricted(conn)
    ref, ap = Referral.__table__, Appointment.__table__
    counts: dict[str, dict[str, int]] = {}
    g = group_column(split, ref)
    received = [*live(ref, restricted), ref.c.received_on >= period.since,
                ref.c.received_on <= period.until]
    ended = [*live(ref, restricted), ref.c.discharged_on >= period.since,
             ref.c.discharged_on <= period.until]

    def within(col: Any) -> ColumnElement[bool]:
        inside: ColumnElement[bool] = col.between(period.since, period.until)
        return inside

    wait = _days(conn, ref.c.first_contact_on, ref.c.received_on)
    await_ = _days(conn, ref.c.assessed_on, ref.c.received_on)
    # Every referral figure in one pass over the table (one CASE per figure).
    figures_of = {
        "referrals": within(ref.c.received_on),
        "entering": within(ref.c.first_contact_on),
        "waited_6_weeks": within(ref.c.first_contact_on) & (wait <= WEEKS_6),
        "waited_18_weeks": within(ref.c.first_contact_on) & (wait <= WEEKS_18),
        "assessed": within(ref.c.assessed_on),
        "assessed_6_weeks": within(ref.c.assessed_on) & (await_ <= WEEKS_6),
        "assessed_18_weeks": within(ref.c.assessed_on) & (await_ <= WEEKS_18),
        "ended": within(ref.c.discharged_on),
    }
    _sums(conn, counts, g, figures_of, live(ref, restricted))
    ga = group_column(split, ap)
    past = [*live(ap, restricted), ap.c.starts_at >= period.start, ap.c.starts_at < period.end,
            ap.c.outcome != "booked"]
    _sums(conn, counts, ga, {"appointments": literal(True),
                             "attended": ap.c.outcome == "attended",
                             "did_not_attend": ap.c.outcome == "did_not_attend",
                             "mode_recorded": ap.c.mode != ""}, past)
    episodes = _episodes(conn, ended, g)
    by_group: dict[str, list[tuple[EpisodeFlags, int]]] = defaultdict(list)
    for (group, _coded, flags), n in episodes.items():
        by_group[group].append((flags, n))
    outcomes = {group: outcome_rates(chain.from_iterable(repeat(f, n) for f, n in items))
                for group, items in by_group.items()}
    groups = sorted({k for figure in counts.values() for k in figure} | set(outcomes))
    referred, quality = _received_by_person(conn, received)
    total = {name: sum(counts[name].values()) for name in ("ended", "appointments",
                                                           "mode_recorded")}
    return Figures(period, split, tuple(groups), counts, outcomes,
                   _signposting(conn, period, restricted), _unmet(conn, period, restricted),
                   _equality(referred, episodes),
                   [*quality, ("Paired PHQ-9 and GAD-7 scores (ended episodes)",
                               sum(episodes.values()),
                               total["ended"]),
                    ("Appointment mode recorded", total["mode_recorded"],
                     total["appointments"])],
                   change_queries.measure_changes(conn, period, split, restricted))


# One ended episode with paired scores is counted under its split group, its client's coded
# answers (EQUALITY_FIELDS, in order; for the equality tables) and the desktop's outcome flags.
# Episodes that share all three are counted together: Python then works per combination,
# not per episode.
EpisodeKey = tuple[str, tuple[str, ...], EpisodeFlags]


def _episodes(conn: Connection, ended: list[ColumnElement[bool]],
              group: ColumnElement[Any]) -> Counter[EpisodeKey]:
    """Paired first/last PHQ-9 and GAD-7 of each ended episode, judged as services.reports
    does. First and last are picked in SQL and joined to the episode, so Python sees one row
    of four scores per episode.

    Why this shape (EXPLAIN ANALYZE on 1,000,000 records, docs/central-records.md): one
    window ordering only (the last row of a partition is the one whose number equals the
    partition's count, so no second, descending sort); the ended episodes joined rather than
    tested with IN; only first and last rows reach the aggregate."""
    phq_rule, gad_rule = rules_from(shipped())
    ref, cl = Referral.__table__, Client.__table__
    ma, ap = MeasureAdministration.__table__, Appointment.__table__
    ended_ids = select(ref.c.id).where(*ended).subquery("ended_ids")
    part = (ma.c.referral_id, ma.c.measure_id)
    ranked = select(
        ma.c.referral_id, ma.c.measure_id, ma.c.total,
        func.row_number().over(partition_by=part, order_by=(ma.c.taken_on, ma.c.created_at,
                                                             ma.c.id)).label("k"),
        func.count().over(partition_by=part).label("n"),
    ).join(ended_ids, ended_ids.c.id == ma.c.referral_id).where(
        ma.c.deleted_at.is_(None), ma.c.valid.is_(True), ma.c.total.is_not(None),
        ma.c.measure_id.in_((phq_rule.measure_id, gad_rule.measure_id))).subquery("ranked")

    def pick(measure: str, rank: Any) -> Any:
        return func.max(case(((ranked.c.measure_id == measure) & (ranked.c.k == rank),
                              ranked.c.total)))

    pairs = select(
        ranked.c.referral_id,
        pick(phq_rule.measure_id, 1).label("p1"), pick(phq_rule.measure_id, ranked.c.n).label("p2"),
        pick(gad_rule.measure_id, 1).label("g1"), pick(gad_rule.measure_id, ranked.c.n).label("g2"),
    ).where(ranked.c.n >= 2, or_(ranked.c.k == 1, ranked.c.k == ranked.c.n)) \
        .group_by(ranked.c.referral_id).subquery("pairs")
    attended = select(ap.c.referral_id, func.count().label("n")) \
        .join(ended_ids, ended_ids.c.id == ap.c.referral_id) \
        .where(ap.c.outcome == "attended", ap.c.deleted_at.is_(None)) \
        .group_by(ap.c.referral_id).subquery("attended")
    rows = conn.execute(
        select(group, pairs.c.p1, pairs.c.p2, pairs.c.g1, pairs.c.g2,
               func.coalesce(attended.c.n, 0), *(cl.c[f] for f in EQUALITY_FIELDS))
        .select_from(ref.join(cl, cl.c.id == ref.c.client_id)
                     .join(pairs, pairs.c.referral_id == ref.c.id)
                     .outerjoin(attended, attended.c.referral_id == ref.c.id))
        .where(*ended, pairs.c.p1.is_not(None), pairs.c.g1.is_not(None)))
    judged: dict[tuple[float, float, float, float, bool], EpisodeFlags] = {}
    out: Counter[EpisodeKey] = Counter()
    for row in rows:
        # The flags depend only on the four scores and whether a course was finished, so
        # each combination is judged once (the same rule, fewer calls).
        key = (float(row[1]), float(row[2]), float(row[3]), float(row[4]),
               int(row[5]) >= COURSE_MINIMUM_CONTACTS)
        flags = judged.get(key)
        if flags is None:
            r = paired_outcome((key[0], key[1]), (key[2], key[3]), phq9_rule=phq_rule,
                               gad7_rule=gad_rule, attended_contacts=int(row[5]))
            flags = judged[key] = EpisodeFlags(
                bool(r.finished_course), r.caseness_first, r.recovery, r.reliable_improvement,
                r.reliable_deterioration, r.reliable_recovery)
        out[(str(row[0]), tuple(str(v or "") for v in row[6:]), flags)] += 1
    return out


def _signposting(conn: Connection, period: Period,
                 restricted: list[uuid.UUID]) -> list[tuple[str, str, int, int]]:
    sp, ds = Signposting.__table__, DirService.__table__
    rows = conn.execute(
        select(ds.c.name, sp.c.need, func.count(),
               func.sum(case((sp.c.outcome == "engaged", 1), else_=0)))
        .join(ds, ds.c.id == sp.c.service_id)
        .where(*live(sp, restricted), sp.c.signposted_on >= period.since,
               sp.c.signposted_on <= period.until)
        .group_by(ds.c.name, sp.c.need).order_by(func.count().desc(), ds.c.name)).all()
    return [(str(n), str(need), int(c), int(e or 0)) for n, need, c, e in rows]


def _unmet(conn: Connection, period: Period,
           restricted: list[uuid.UUID]) -> list[tuple[str, str, int]]:
    un = UnmetNeed.__table__
    rows = conn.execute(
        select(un.c.need, un.c.area, func.count())
        .where(*live(un, restricted), un.c.recorded_on >= period.since,
               un.c.recorded_on <= period.until)
        .group_by(un.c.need, un.c.area).order_by(func.count().desc(), un.c.need)).all()
    return [(str(n), str(a), int(c)) for n, a, c in rows]


def _received_by_person(conn: Connection, received: list[ColumnElement[bool]]) -> tuple[
        list[tuple[tuple[str, ...], int]], list[tuple[str, int, int]]]:
    """One pass over the referrals received joined to their clients, grouped by the coded
    answers: the equality tables' access counts and the data-quality coverage together
    (was seven passes)."""
    ref, cl = Referral.__table__, Client.__table__

    def filled(col: Any) -> Any:
        return func.sum(case((func.coalesce(col, "") != "", 1), else_=0))

    fields = [cl.c[f] for f in EQUALITY_FIELDS]
    rows = conn.execute(select(
        *fields, func.count(), filled(cl.c.nhs_number), filled(cl.c.postcode),
        filled(cl.c.gp_practice),
        func.sum(case((cl.c.ethnic_category.notin_(("", "Z")), 1), else_=0)),
        func.sum(case((cl.c.gender_identity.notin_(("", "X", "Z")), 1), else_=0)),
    ).select_from(ref.join(cl, cl.c.id == ref.c.client_id)).where(*received)
        .group_by(*fields)).all()
    width = len(EQUALITY_FIELDS)
    referred = [(tuple(str(v or "") for v in row[:width]), int(row[width])) for row in rows]
    sums = [sum(int(row[i] or 0) for row in rows) for i in range(width, width + 6)]
    total = sums[0]
    return referred, [("NHS number", sums[1], total), ("Postcode", sums[2], total),
                      ("GP practice", sums[3], total), ("Ethnic category stated", sums[4], total),
                      ("Gender identity stated", sums[5], total)]


def _equality(referred_by: list[tuple[tuple[str, ...], int]],
              episodes: Counter[EpisodeKey]) -> dict[str, list[tuple[str, int, int, int]]]:
    """Access (referrals received) and outcomes (recovery among those who finished as a case)
    by each coded field."""
    out: dict[str, list[tuple[str, int, int, int]]] = {}
    for index, name in enumerate(EQUALITY_FIELDS):
        referred: dict[str, int] = defaultdict(int)
        for coded, n in referred_by:
            referred[coded[index]] += n
        cases: dict[str, int] = defaultdict(int)
        recovered: dict[str, int] = defaultdict(int)
        for (_group, coded, flags), n in episodes.items():
            if flags.finished_course and flags.case_at_start:
                cases[coded[index]] += n
                recovered[coded[index]] += n * int(flags.recovered)
        codes = sorted(set(referred) | set(cases), key=lambda c: (c == "", c))
        out[name] = [(c, referred.get(c, 0), cases[c], recovered[c]) for c in codes]
    return out


def group_names(conn: Connection, split: str, groups: Iterable[str]) -> dict[str, str]:
    """Readable names for groups: practitioners by name; devices by their short id."""
    names = {g: g for g in groups}
    if split == "practitioner":
        pr = Practitioner.__table__
        ids = [uuid.UUID(g) for g in names if _is_uuid(g)]
        if ids:
            found = {str(i): n for i, n in conn.execute(
                select(pr.c.id, pr.c.display_name).where(pr.c.id.in_(ids)))}
            names.update({g: found.get(g, g) for g in names if _is_uuid(g)})
        names.update({g: "No practitioner" for g in names if g == "None"})
    elif split == "clinic":
        names.update({g: f"Device {g[:8]}" for g in names if g != "central"})
    return names


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
