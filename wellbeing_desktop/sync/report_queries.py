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


def figures(conn: Connection, period: Period, split: str = "service") -> Figures:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {', '.join(SPLITS)}")
    restricted = _restricted(conn)
    ref, ap = Referral.__table__, Appointment.__table__
    counts: dict[str, dict[str, int]] = {}
    g = _group(split, ref)
    received = [*_live(ref, restricted), ref.c.received_on >= period.since,
                ref.c.received_on <= period.until]
    counts["referrals"] = _by_group(conn, select(g, func.count()).where(*received).group_by(g))
    entering = [*_live(ref, restricted), ref.c.first_contact_on >= period.since,
                ref.c.first_contact_on <= period.until]
    wait = _days(conn, ref.c.first_contact_on, ref.c.received_on)
    for name, expr in (("entering", literal(1)),
                       ("waited_6_weeks", case((wait <= WEEKS_6, 1), else_=0)),
                       ("waited_18_weeks", case((wait <= WEEKS_18, 1), else_=0))):
        counts[name] = _by_group(conn, select(g, func.sum(expr)).where(*entering).group_by(g))
    assessed = [*_live(ref, restricted), ref.c.assessed_on >= period.since,
                ref.c.assessed_on <= period.until]
    await_ = _days(conn, ref.c.assessed_on, ref.c.received_on)
    for name, expr in (("assessed", literal(1)),
                       ("assessed_6_weeks", case((await_ <= WEEKS_6, 1), else_=0)),
                       ("assessed_18_weeks", case((await_ <= WEEKS_18, 1), else_=0))):
        counts[name] = _by_group(conn, select(g, func.sum(expr)).where(*assessed).group_by(g))
    ended = [*_live(ref, restricted), ref.c.discharged_on >= period.since,
             ref.c.discharged_on <= period.until]
    counts["ended"] = _by_group(conn, select(g, func.count()).where(*ended).group_by(g))
    ga = _group(split, ap)
    past = [*_live(ap, restricted), ap.c.starts_at >= period.start, ap.c.starts_at < period.end,
            ap.c.outcome != "booked"]
    for name, expr in (("appointments", literal(1)),
                       ("attended", case((ap.c.outcome == "attended", 1), else_=0)),
                       ("did_not_attend", case((ap.c.outcome == "did_not_attend", 1), else_=0))):
        counts[name] = _by_group(conn, select(ga, func.sum(expr)).where(*past).group_by(ga))
    flags = _episode_flags(conn, ended, g)
    outcomes = {group: outcome_rates(f for _, f in items) for group, items in flags.items()}
    groups = sorted({k for figure in counts.values() for k in figure} | set(outcomes))
    return Figures(period, split, tuple(groups), counts, outcomes,
                   _signposting(conn, period, restricted), _unmet(conn, period, restricted),
                   _equality(conn, received, flags), _quality(conn, period, received, ended,
                                                              restricted))


def _episode_flags(conn: Connection, ended: list[ColumnElement[bool]],
                   group: ColumnElement[Any]) -> dict[str, list[tuple[Any, EpisodeFlags]]]:
    """Paired first/last PHQ-9 and GAD-7 of each ended episode (as services.reports)."""
    phq_rule, gad_rule = rules_from(shipped())
    ref, ma, ap = Referral.__table__, MeasureAdministration.__table__, Appointment.__table__
    ended_ids = select(ref.c.id).where(*ended)
    group_of = {rid: str(gr) for rid, gr in conn.execute(select(ref.c.id, group).where(*ended))}
    scores: dict[Any, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for rid, measure, total in conn.execute(
        select(ma.c.referral_id, ma.c.measure_id, ma.c.total)
        .where(ma.c.referral_id.in_(ended_ids), ma.c.deleted_at.is_(None),
               ma.c.valid.is_(True), ma.c.total.is_not(None),
               ma.c.measure_id.in_((phq_rule.measure_id, gad_rule.measure_id)))
        .order_by(ma.c.referral_id, ma.c.taken_on, ma.c.created_at)
    ):
        scores[rid][measure].append(float(total))
    attended: dict[Any, int] = dict(conn.execute(
        select(ap.c.referral_id, func.count())
        .where(ap.c.referral_id.in_(ended_ids), ap.c.outcome == "attended",
               ap.c.deleted_at.is_(None)).group_by(ap.c.referral_id)).all())
    out: dict[str, list[tuple[Any, EpisodeFlags]]] = defaultdict(list)
    for rid, by_measure in scores.items():
        phq, gad = by_measure.get(phq_rule.measure_id, []), by_measure.get(gad_rule.measure_id, [])
        if len(phq) < 2 or len(gad) < 2:
            continue
        r = paired_outcome((phq[0], phq[-1]), (gad[0], gad[-1]), phq9_rule=phq_rule,
                           gad7_rule=gad_rule, attended_contacts=attended.get(rid, 0))
        out[group_of[rid]].append((rid, EpisodeFlags(
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
              flags: dict[str, list[tuple[Any, EpisodeFlags]]],
              ) -> dict[str, list[tuple[str, int, int, int]]]:
    """Access (referrals received) and outcomes (recovery among cases) by each coded field."""
    ref, cl = Referral.__table__, Client.__table__
    client_of: dict[Any, Any] = {}
    episode_refs = [rid for items in flags.values() for rid, _ in items]
    for chunk in _chunks(episode_refs, 5000):
        client_of.update(conn.execute(select(ref.c.id, ref.c.client_id)
                                      .where(ref.c.id.in_(chunk))).all())
    out: dict[str, list[tuple[str, int, int, int]]] = {}
    for name in EQUALITY_FIELDS:
        col = cl.c[name]
        referred: dict[str, int] = dict(conn.execute(select(col, func.count()).select_from(
            ref.join(cl, cl.c.id == ref.c.client_id)).where(*received).group_by(col)).all())
        value_of: dict[Any, str] = {}
        ids = list(set(client_of.values()))
        for chunk in _chunks(ids, 5000):
            value_of.update(conn.execute(select(cl.c.id, col).where(cl.c.id.in_(chunk))).all())
        cases: dict[str, int] = defaultdict(int)
        recovered: dict[str, int] = defaultdict(int)
        for items in flags.values():
            for rid, f in items:
                code = value_of.get(client_of.get(rid), "")
                if f.finished_course and f.case_at_start:
                    cases[code] += 1
                    recovered[code] += int(f.recovered)
        codes = sorted(set(referred) | set(cases), key=lambda c: (c == "", c))
        out[name] = [(str(c), int(referred.get(c, 0)), cases[c], recovered[c]) for c in codes]
    return out


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _quality(conn: Connection, period: Period, received: list[ColumnElement[bool]],
             ended: list[ColumnElement[bool]],
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
    paired = sum(len(v) for v in _episode_flags(conn, ended, literal(SERVICE)).values())
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
