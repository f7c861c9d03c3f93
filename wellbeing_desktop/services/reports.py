"""Figures for the team: caseload, referrals, waiting times, attendance, NHS Talking Therapies
outcomes of ended episodes, and how often people reached the services we suggested.

A practitioner sees figures for their own caseload; a supervisor sees the whole team's.
Everything is counted in SQL or from small per-episode rows, so 50,000 clients stay quick.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select

from wellbeing_desktop.domain import coded
from wellbeing_desktop.domain.casework import MODES, OUTCOMES, REFERRAL_SOURCES, REFERRAL_STATUSES
from wellbeing_desktop.domain.measures.change import ChangeCount
from wellbeing_desktop.domain.measures.outcomes import paired_outcome, rules_from
from wellbeing_desktop.domain.measures.registry import shipped
from wellbeing_desktop.domain.report_tables import Rate, Table
from wellbeing_desktop.domain.reports import EpisodeFlags, OutcomeRates, Wait, outcome_rates, waits
from wellbeing_desktop.services import permissions, signposting
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import FieldProblem, ValidationError
from wellbeing_desktop.services.health_reports import (
    CourseFigures,
    HealthFigures,
    course_figures,
    health_figures,
)
from wellbeing_desktop.services.health_reports import rows as health_rows
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.casework import Appointment
from wellbeing_desktop.storage.models.measures import MeasureAdministration
from wellbeing_desktop.sync.change_queries import measure_changes
from wellbeing_desktop.sync.report_queries import SERVICE, Period

# Periods offered on the Reports screen: (code, label, days back; None = everything).
PERIODS: tuple[tuple[str, str, int | None], ...] = (
    ("90d", "Last 3 months", 91),
    ("365d", "Last 12 months", 365),
    ("all", "All time", None),
)
# Calendar periods (worked out from today) and any dates the person chooses.
CALENDAR_PERIODS: tuple[tuple[str, str], ...] = (
    ("quarter", "This quarter"),
    ("last_quarter", "Last quarter"),
    ("financial_year", "This financial year"),
    ("custom", "Chosen dates"),
)
# The coded fields the caseload is broken down by (who was referred).
EQUALITY_FIELDS = ("gender_identity", "ethnic_category", "employment_status",
                   "accommodation_status", "disability", "carer_status")


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def period_span(period: str, today: date, since: date | None = None,
                until: date | None = None) -> tuple[str, date | None, date]:
    """(label, first day or None for everything, last day) of a period code."""
    days_back = {code: (label, days) for code, label, days in PERIODS}
    if period in days_back:
        label, days = days_back[period]
        return label, (today - timedelta(days=days) if days is not None else None), today
    if period == "quarter":
        return "This quarter", _quarter_start(today), today
    if period == "last_quarter":
        end = _quarter_start(today) - timedelta(days=1)
        return "Last quarter", _quarter_start(end), end
    if period == "financial_year":
        start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
        return "This financial year", start, today
    if period == "custom":
        if since is None or until is None:
            raise ValidationError([FieldProblem("since", "Choose the first and last day.")])
        if until < since:
            raise ValidationError([FieldProblem("until", "The last day is before the first.")])
        return f"{since:%d %b %Y} to {until:%d %b %Y}", since, until
    raise KeyError(f"unknown period {period!r}")


@dataclass(frozen=True)
class Count:
    code: str
    label: str
    count: int


@dataclass(frozen=True)
class ServiceUse:
    name: str
    used: int
    got_there: int
    reported_wrong: int


@dataclass(frozen=True)
class TeamReport:
    scope: str                      # "the whole team" or "your caseload"
    period_label: str
    since: date | None
    until: date
    referrals_received: int
    referrals_by_source: tuple[Count, ...]
    open_by_status: tuple[Count, ...]
    wait_to_first_contact: Wait
    wait_to_assessment: Wait
    appointments_by_mode: tuple[Count, ...]
    appointments_by_outcome: tuple[Count, ...]
    outcomes: OutcomeRates
    services: tuple[ServiceUse, ...]
    # Who was referred in the period, by each coded field: (field label, counts by answer).
    equality: tuple[tuple[str, tuple[Count, ...]], ...] = ()
    courses: CourseFigures | None = None
    health: HealthFigures | None = None
    # Wellbeing, functioning and physical health, first against last per person in the
    # period: the central report's query and rule (sync.report_queries.measure_changes).
    changes: tuple[ChangeCount, ...] = ()


def _labelled(codes: tuple[tuple[str, str], ...], counts: dict[str, int]) -> tuple[Count, ...]:
    known = [Count(code, label, counts.get(code, 0)) for code, label in codes]
    other = sum(n for code, n in counts.items() if code not in dict(codes))
    if other:
        known.append(Count("other_values", "Other", other))
    return tuple(known)


def team_report(ctx: AppContext, period: str = "365d", *, today: date | None = None,
                since: date | None = None, until: date | None = None) -> TeamReport:
    permissions.require(ctx.actor, "reports.view")
    label, since, until = period_span(period, today or date.today(), since, until)
    team = permissions.allowed(ctx.actor, "reports.view_all") or ctx.actor.id is None
    mine: uuid.UUID | None = None if team else ctx.actor.id

    ref = Referral.__table__
    live: list[ColumnElement[bool]] = [ref.c.deleted_at.is_(None)]
    if mine is not None:
        live.append(ref.c.practitioner_id == mine)
    received = [*live, ref.c.received_on <= until]
    if since is not None:
        received.append(ref.c.received_on >= since)

    with ctx.store.read() as s:
        by_source: dict[str, int] = dict(s.execute(
            select(ref.c.source, func.count()).where(*received).group_by(ref.c.source)).all())
        by_status: dict[str, int] = dict(s.execute(
            select(ref.c.status, func.count())
            .where(*live, ref.c.status.notin_(("discharged", "closed")))
            .group_by(ref.c.status)).all())
        dates = s.execute(select(ref.c.received_on, ref.c.first_contact_on, ref.c.assessed_on)
                          .where(*received)).all()
        modes, outcomes_ = _appointments(s, mine, since, until)
        episodes = _ended_episodes(s, mine, since, until)
        services = tuple(ServiceUse(f.name, f.times_used, f.times_got_there, f.times_wrong_details)
                         for f in _service_figures(ctx))
        equality = _equality(s, received)
        courses = course_figures(s, mine, since, until)
        health = health_figures(s, mine, since, until)
        changes = measure_changes(s.connection(), Period(since or date.min, until),
                                  practitioner=mine).get(SERVICE, [])
    return TeamReport(
        scope="the whole team" if team else "your caseload",
        period_label=label, since=since, until=until,
        referrals_received=sum(by_source.values()),
        referrals_by_source=_labelled(REFERRAL_SOURCES, by_source),
        open_by_status=tuple(c for c in _labelled(REFERRAL_STATUSES, by_status)
                             if c.code not in ("discharged", "closed")),
        wait_to_first_contact=waits((f - r).days for r, f, _ in dates if f is not None),
        wait_to_assessment=waits((a - r).days for r, _, a in dates if a is not None),
        appointments_by_mode=_labelled(MODES, modes),
        appointments_by_outcome=_labelled(OUTCOMES, outcomes_),
        outcomes=outcome_rates(episodes),
        services=services,
        equality=equality,
        courses=courses,
        health=health,
        changes=tuple(changes),
    )


def _equality(s: Any, received: list[ColumnElement[bool]]) -> tuple[
        tuple[str, tuple[Count, ...]], ...]:
    ref, cl = Referral.__table__, Client.__table__
    out = []
    for name in EQUALITY_FIELDS:
        cl_list = coded.code_list(name)
        counts = dict(s.execute(select(cl.c[name], func.count()).select_from(
            ref.join(cl, cl.c.id == ref.c.client_id)).where(*received)
            .group_by(cl.c[name])).all())
        order = ["", *(c for c, _ in cl_list.codes)]
        codes = sorted(counts, key=lambda c: order.index(c) if c in order else len(order))
        out.append((cl_list.label, tuple(Count(c, cl_list.label_of(c), int(counts[c]))
                                         for c in codes)))
    return tuple(out)


def _service_figures(ctx: AppContext) -> list[Any]:
    # Per-service figures are the team's: a practitioner sees them too (they choose services).
    return signposting.service_figures(ctx)[:15]


def _appointments(s: Any, mine: uuid.UUID | None, since: date | None,
                  until: date) -> tuple[dict[str, int], dict[str, int]]:
    ap = Appointment.__table__
    where = [ap.c.deleted_at.is_(None), ap.c.starts_at < datetime.combine(
        until + timedelta(days=1), time.min)]
    if since is not None:
        where.append(ap.c.starts_at >= datetime.combine(since, time.min))
    if mine is not None:
        where.append(ap.c.practitioner_id == mine)
    past = [*where, ap.c.outcome != "booked"]
    modes = dict(s.execute(select(ap.c.mode, func.count()).where(*past)
                           .group_by(ap.c.mode)).all())
    outcomes = dict(s.execute(select(ap.c.outcome, func.count()).where(*past)
                              .group_by(ap.c.outcome)).all())
    return modes, outcomes


def _ended_episodes(s: Any, mine: uuid.UUID | None, since: date | None,
                    until: date) -> list[EpisodeFlags]:
    """Paired first/last PHQ-9 and GAD-7 of each episode discharged in the period."""
    phq_rule, gad_rule = rules_from(shipped())
    ref, ma, ap = Referral.__table__, MeasureAdministration.__table__, Appointment.__table__
    where = [ref.c.deleted_at.is_(None), ref.c.discharged_on.is_not(None),
             ref.c.discharged_on <= until]
    if since is not None:
        where.append(ref.c.discharged_on >= since)
    if mine is not None:
        where.append(ref.c.practitioner_id == mine)
    ended = select(ref.c.id).where(*where).subquery()
    scores: dict[uuid.UUID, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for rid, measure, total in s.execute(
        select(ma.c.referral_id, ma.c.measure_id, ma.c.total)
        .where(ma.c.referral_id.in_(select(ended.c.id)), ma.c.deleted_at.is_(None),
               ma.c.valid.is_(True), ma.c.total.is_not(None),
               ma.c.measure_id.in_((phq_rule.measure_id, gad_rule.measure_id)))
        .order_by(ma.c.referral_id, ma.c.taken_on, ma.c.created_at)
    ):
        scores[rid][measure].append(float(total))
    attended = dict(s.execute(
        select(ap.c.referral_id, func.count())
        .where(ap.c.referral_id.in_(select(ended.c.id)), ap.c.outcome == "attended",
               ap.c.deleted_at.is_(None))
        .group_by(ap.c.referral_id)).all())
    flags = []
    for rid, by_measure in scores.items():
        phq, gad = by_measure.get(phq_rule.measure_id, []), by_measure.get(gad_rule.measure_id, [])
        if len(phq) < 2 or len(gad) < 2:
            continue
        result = paired_outcome((phq[0], phq[-1]), (gad[0], gad[-1]), phq9_rule=phq_rule,
                                gad7_rule=gad_rule, attended_contacts=attended.get(rid, 0))
        flags.append(EpisodeFlags(
            finished_course=bool(result.finished_course),
            case_at_start=result.caseness_first,
            recovered=result.recovery,
            reliable_improvement=result.reliable_improvement,
            reliable_deterioration=result.reliable_deterioration,
            reliable_recovery=result.reliable_recovery,
        ))
    return flags


def as_rows(report: TeamReport) -> list[tuple[str, str, str]]:
    """The report flattened to (section, figure, value) rows: figures only, nobody named."""
    rows: list[tuple[str, str, str]] = [
        ("period", "from", report.since.isoformat() if report.since else ""),
        ("period", "to", report.until.isoformat()),
        ("period", "scope", report.scope),
        ("referrals", "received", str(report.referrals_received)),
    ]
    rows += [("referrals by source", c.label, str(c.count)) for c in report.referrals_by_source]
    rows += [("open caseload", c.label, str(c.count)) for c in report.open_by_status]
    for name, wait in (("to first contact", report.wait_to_first_contact),
                       ("to assessment", report.wait_to_assessment)):
        rows += [(f"waiting days {name}", "median", _num(wait.median)),
                 (f"waiting days {name}", "90th percentile", _num(wait.p90)),
                 (f"waiting days {name}", "counted", str(wait.counted))]
    rows += [("appointments by mode", c.label, str(c.count)) for c in report.appointments_by_mode]
    rows += [("appointments by outcome", c.label, str(c.count))
             for c in report.appointments_by_outcome]
    o = report.outcomes
    rows += [("outcomes", label, str(value)) for label, value in (
        ("ended with paired scores", o.ended_with_scores),
        ("finished course", o.finished_course), ("case at start", o.case_at_start),
        ("recovered", o.recovered), ("reliable recovery", o.reliable_recovery),
        ("reliable improvement", o.reliable_improvement),
        ("reliable deterioration", o.reliable_deterioration))]
    if report.courses is not None and report.health is not None:
        rows += health_rows(report.courses, report.health)
    for s in report.services:
        rows += [(f"service: {s.name}", "times suggested", str(s.used)),
                 (f"service: {s.name}", "got there", str(s.got_there)),
                 (f"service: {s.name}", "reported wrong", str(s.reported_wrong))]
    for field_label, counts in report.equality:
        rows += [(f"referred, by {field_label.lower()}", c.label, str(c.count)) for c in counts]
    return rows


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def save_csv(figures: TeamReport, path: str) -> None:
    """Write the figures as CSV, atomically (a half-written file never replaces a good one).

    (Not named `report`: the worker passes its progress reporter to a parameter of that name.)"""
    import csv
    import io

    from wellbeing_desktop.storage.files import atomic_write

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(("section", "figure", "value"))
    writer.writerows(as_rows(figures))
    # UTF-8 with a byte order mark: Excel then reads names and dashes correctly.
    atomic_write(path, "\ufeff" + buffer.getvalue())


def as_tables(report: TeamReport) -> list[Table]:
    """The figures as report tables (for the PDF), with a chart where one helps."""
    o = report.outcomes
    held = sum(c.count for c in report.appointments_by_outcome if c.code != "booked")
    tables = [
        Table("referrals", "Referrals received, by source", ("Source", "Referrals"),
              tuple((c.label, c.count) for c in report.referrals_by_source if c.count),
              chart_column=1),
        Table("caseload", "Open caseload, by stage", ("Stage", "People"),
              tuple((c.label, c.count) for c in report.open_by_status), chart_column=1),
        Table("waits", "Waiting times (days)", ("From referral", "Half within",
                                                "9 in 10 within", "People"), tuple(
            (name, _num(w.median), _num(w.p90), w.counted) for name, w in (
                ("to first contact", report.wait_to_first_contact),
                ("to assessment", report.wait_to_assessment)))),
        Table("appointments", "Appointments held, and how they went", ("", "Number"), tuple(
            [(c.label, c.count) for c in report.appointments_by_mode if c.count]
            + [(c.label, Rate(c.count, held)) for c in report.appointments_by_outcome
               if c.count and c.code != "booked"])),
        Table("outcomes", "Outcomes of ended episodes (NHS Talking Therapies)", ("", "Rate"), (
            ("Ended with paired scores", o.ended_with_scores),
            ("Finished a course", o.finished_course),
            ("Recovery", Rate(o.recovered, o.case_at_start)),
            ("Reliable recovery", Rate(o.reliable_recovery, o.case_at_start)),
            ("Reliable improvement", Rate(o.reliable_improvement, o.finished_course)),
            ("Reliable deterioration", Rate(o.reliable_deterioration, o.finished_course)))),
        Table("services", "Services used most", ("Service", "Suggested", "Got there",
                                                 "Wrong details"), tuple(
            (x.name, x.used, x.got_there, x.reported_wrong) for x in report.services),
            chart_column=1),
    ]
    if report.changes:
        tables.append(Table(
            "measure_change", "Wellbeing, functioning and physical health: first against last",
            ("Measure", "People measured twice or more", "Better", "Same", "Worse"), tuple(
                (c.label, c.people, Rate(c.better, c.people), Rate(c.same, c.people),
                 Rate(c.worse, c.people)) for c in report.changes), chart_column=1))
    tables += [Table(f"equality_{n}", f"Referred, by {label.lower()}", (label, "Referrals"),
                     tuple((c.label, c.count) for c in counts), chart_column=1)
               for n, (label, counts) in enumerate(report.equality)]
    return tables


def save_pdf(figures: TeamReport, path: str) -> None:
    """The figures as a PDF with charts, written atomically. Numbers from 1 to 4 are
    suppressed (the PDF may leave the team)."""
    from wellbeing_desktop.domain.report_tables import suppress
    from wellbeing_desktop.packs.report_pdf import render_report
    from wellbeing_desktop.storage.files import atomic_write

    since = figures.since.strftime("%d %B %Y") if figures.since else "the first record"
    atomic_write(path, render_report(
        "Team figures", f"{figures.period_label}: {since} to {figures.until:%d %B %Y}, for "
                        f"{figures.scope}", [suppress(t) for t in as_tables(figures)],
        suppressed=True))
