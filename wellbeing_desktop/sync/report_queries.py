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
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, case, func, literal, select

from wellbeing_desktop.domain.measures.outcomes import paired_outcome, rules_from
from wellbeing_desktop.domain.measures.registry import shipped
from wellbeing_desktop.domain.reports import EpisodeFlags, OutcomeRates, outcome_rates
from wellbeing_desktop.storage.models import Client, Practitioner, Referral
from wellbeing_desktop.storage.models.casework import Appointment
from wellbeing_desktop.storage.models.directory import DirService
from wellbeing_desktop.storage.models.measures import MeasureAdministration
from wellbeing_desktop.storage.models.signposting import Signposting, UnmetNeed
from wellbeing_desktop.sync.merge.restrictions import restricted_clients

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


def _days(conn: Connection, later: Any, earlier: Any) -> ColumnElement[Any]:
    """Whole days between two DATE columns, in the dialect's own arithmetic."""
    days: ColumnElement[Any]
    if conn.dialect.name == "sqlite":
        days = func.julianday(later) - func.julianday(earlier)
    else:
        days = later - earlier  # PostgreSQL: date - date is an integer of days
    return days


def _group(split: str, table: Any) -> ColumnElement[Any]:
    column: ColumnElement[Any] = literal(SERVICE)
    if split == "clinic":
        column = table.c.origin_device
    elif split == "practitioner":
        column = table.c.practitioner_id
    return column


def _restricted(conn: Connection) -> list[uuid.UUID]:
    return [uuid.UUID(r.client_id) for r in restricted_clients(conn)]


def _live(table: Any, restricted: list[uuid.UUID]) -> list[ColumnElement[bool]]:
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
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}")
    restricted = _restricted(conn)
    ref, ap = Referral.__table__, Appointment.__table__
    counts: dict[str, dict[str, int]] = {}
    g = _group(split, ref)
    received = [*_live(ref, restricted), ref.c.received_on >= period.since,
                ref.c.received_on <= period.until]
    ended = [*_live(ref, restricted), ref.c.discharged_on >= period.since,
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
    _sums(conn, counts, g, figures_of, _live(ref, restricted))
    ga = _group(split, ap)
    past = [*_live(ap, restricted), ap.c.starts_at >= period.start, ap.c.starts_at < period.end,
            ap.c.outcome != "booked"]
    _sums(conn, counts, ga, {"appointments": literal(True),
                             "attended": ap.c.outcome == "attended",
                             "did_not_attend": ap.c.outcome == "did_not_attend"}, past)
    episodes = _episodes(conn, ended, g)
    by_group: dict[str, list[EpisodeFlags]] = defaultdict(list)
    for e in episodes:
        by_group[e.group].append(e.flags)
    outcomes = {group: outcome_rates(items) for group, items in by_group.items()}
    groups = sorted({k for figure in counts.values() for k in figure} | set(outcomes))
    return Figures(period, split, tuple(groups), counts, outcomes,
                   _signposting(conn, period, restricted), _unmet(conn, period, restricted),
                   _equality(conn, received, episodes),
                   _quality(conn, period, received, ended, len(episodes), restricted))


@dataclass(frozen=True)
class Episode:
    """One ended episode with paired scores: its split group, its client's coded answers (for
    the equality tables) and the desktop's outcome flags."""

    group: str
    coded: tuple[str, ...]  # EQUALITY_FIELDS, in order
    flags: EpisodeFlags


def _episodes(conn: Connection, ended: list[ColumnElement[bool]],
              group: ColumnElement[Any]) -> list[Episode]:
    """Paired first/last PHQ-9 and GAD-7 of each ended episode, judged as services.reports
    does. First and last are picked in SQL (window functions, both dialects) and joined to the
    episode, so Python sees one row of four scores per episode."""
    phq_rule, gad_rule = rules_from(shipped())
    ref, cl = Referral.__table__, Client.__table__
    ma, ap = MeasureAdministration.__table__, Appointment.__table__
    ended_ids = select(ref.c.id).where(*ended)
    order = (ma.c.taken_on, ma.c.created_at, ma.c.id)
    ranked = select(
        ma.c.referral_id, ma.c.measure_id, ma.c.total,
        func.row_number().over(partition_by=(ma.c.referral_id, ma.c.measure_id),
                               order_by=order).label("first_rank"),
        func.row_number().over(partition_by=(ma.c.referral_id, ma.c.measure_id),
                               order_by=tuple(c.desc() for c in order)).label("last_rank"),
        func.count().over(partition_by=(ma.c.referral_id, ma.c.measure_id)).label("n"),
    ).where(ma.c.referral_id.in_(ended_ids), ma.c.deleted_at.is_(None),
            ma.c.valid.is_(True), ma.c.total.is_not(None),
            ma.c.measure_id.in_((phq_rule.measure_id, gad_rule.measure_id))).subquery()
    def pick(measure: str, rank: Any) -> Any:
        return func.max(case(((ranked.c.measure_id == measure) & (rank == 1), ranked.c.total)))

    # One row per episode with its four scores: no per-score rows or ids reach Python.
    pairs = select(
        ranked.c.referral_id,
        pick(phq_rule.measure_id, ranked.c.first_rank).label("p1"),
        pick(phq_rule.measure_id, ranked.c.last_rank).label("p2"),
        pick(gad_rule.measure_id, ranked.c.first_rank).label("g1"),
        pick(gad_rule.measure_id, ranked.c.last_rank).label("g2"),
    ).where(ranked.c.n >= 2).group_by(ranked.c.referral_id).subquery()
    attended = select(ap.c.referral_id, func.count().label("n")).where(
        ap.c.referral_id.in_(ended_ids), ap.c.outcome == "attended",
        ap.c.deleted_at.is_(None)).group_by(ap.c.referral_id).subquery()
    rows = conn.execute(
        select(group, pairs.c.p1, pairs.c.p2, pairs.c.g1, pairs.c.g2,
               func.coalesce(attended.c.n, 0), *(cl.c[f] for f in EQUALITY_FIELDS))
        .select_from(ref.join(cl, cl.c.id == ref.c.client_id)
                     .join(pairs, pairs.c.referral_id == ref.c.id)
                     .outerjoin(attended, attended.c.referral_id == ref.c.id))
        .where(*ended, pairs.c.p1.is_not(None), pairs.c.g1.is_not(None)))
    out = []
    for row in rows:
        r = paired_outcome((float(row[1]), float(row[2])), (float(row[3]), float(row[4])),
                           phq9_rule=phq_rule, gad7_rule=gad_rule,
                           attended_contacts=int(row[5]))
        out.append(Episode(str(row[0]), tuple(str(v or "") for v in row[6:]), EpisodeFlags(
            bool(r.finished_course), r.caseness_first, r.recovery, r.reliable_improvement,
            r.reliable_deterioration, r.reliable_recovery)))
    return out


def _signposting(conn: Connection, period: Period,
                 restricted: list[uuid.UUID]) -> list[tuple[str, str, int, int]]:
    sp, ds = Signposting.__table__, DirService.__table__
    rows = conn.execute(
        select(ds.c.name, sp.c.need, func.count(),
               func.sum(case((sp.c.outcome == "engaged", 1), else_=0)))
        .join(ds, ds.c.id == sp.c.service_id)
        .where(*_live(sp, restricted), sp.c.signposted_on >= period.since,
               sp.c.signposted_on <= period.until)
        .group_by(ds.c.name, sp.c.need).order_by(func.count().desc(), ds.c.name)).all()
    return [(str(n), str(need), int(c), int(e or 0)) for n, need, c, e in rows]


def _unmet(conn: Connection, period: Period,
           restricted: list[uuid.UUID]) -> list[tuple[str, str, int]]:
    un = UnmetNeed.__table__
    rows = conn.execute(
        select(un.c.need, un.c.area, func.count())
        .where(*_live(un, restricted), un.c.recorded_on >= period.since,
               un.c.recorded_on <= period.until)
        .group_by(un.c.need, un.c.area).order_by(func.count().desc(), un.c.need)).all()
    return [(str(n), str(a), int(c)) for n, a, c in rows]


def _equality(conn: Connection, received: list[ColumnElement[bool]],
              episodes: list[Episode]) -> dict[str, list[tuple[str, int, int, int]]]:
    """Access (referrals received) and outcomes (recovery among those who finished as a case)
    by each coded field."""
    ref, cl = Referral.__table__, Client.__table__
    out: dict[str, list[tuple[str, int, int, int]]] = {}
    for index, name in enumerate(EQUALITY_FIELDS):
        col = cl.c[name]
        referred: dict[str, int] = {str(k or ""): int(v) for k, v in conn.execute(
            select(col, func.count()).select_from(ref.join(cl, cl.c.id == ref.c.client_id))
            .where(*received).group_by(col)).all()}
        cases: dict[str, int] = defaultdict(int)
        recovered: dict[str, int] = defaultdict(int)
        for e in episodes:
            if e.flags.finished_course and e.flags.case_at_start:
                cases[e.coded[index]] += 1
                recovered[e.coded[index]] += int(e.flags.recovered)
        codes = sorted(set(referred) | set(cases), key=lambda c: (c == "", c))
        out[name] = [(c, referred.get(c, 0), cases[c], recovered[c]) for c in codes]
    return out


def _quality(conn: Connection, period: Period, received: list[ColumnElement[bool]],
             ended: list[ColumnElement[bool]], paired: int,
             restricted: list[uuid.UUID]) -> list[tuple[str, int, int]]:
    """Coverage like the national data quality reports: of the referrals received in the
    period, how many have each item; paired scores among ended episodes; appointment mode."""
    ref, cl, ap = Referral.__table__, Client.__table__, Appointment.__table__
    joined = ref.join(cl, cl.c.id == ref.c.client_id)

    def filled(col: Any) -> Any:
        return func.sum(case((func.coalesce(col, "") != "", 1), else_=0))

    row = conn.execute(select(
        func.count(), filled(cl.c.nhs_number), filled(cl.c.postcode), filled(cl.c.gp_practice),
        func.sum(case((cl.c.ethnic_category.notin_(("", "Z")), 1), else_=0)),
        func.sum(case((cl.c.gender_identity.notin_(("", "X", "Z")), 1), else_=0)),
    ).select_from(joined).where(*received)).one()
    total = int(row[0] or 0)
    ended_n = int(conn.execute(select(func.count()).where(*ended)).scalar() or 0)
    modes = conn.execute(select(func.count(), func.sum(case((ap.c.mode != "", 1), else_=0)))
                         .where(*_live(ap, restricted), ap.c.starts_at >= period.start,
                                ap.c.starts_at < period.end, ap.c.outcome != "booked")).one()
    return [("NHS number", int(row[1] or 0), total), ("Postcode", int(row[2] or 0), total),
            ("GP practice", int(row[3] or 0), total),
            ("Ethnic category stated", int(row[4] or 0), total),
            ("Gender identity stated", int(row[5] or 0), total),
            ("Paired PHQ-9 and GAD-7 scores (ended episodes)", paired, ended_n),
            ("Appointment mode recorded", int(modes[1] or 0), int(modes[0] or 0))]


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
