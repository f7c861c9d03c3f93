"""The central report: figures over the merged records for a period, split by clinic device
or practitioner, as tables (JSON, a folder of CSV files, or a PDF with charts).

Files are for people outside the central team, so small numbers are suppressed in them
(domain/report_tables.py) unless the analyst asks otherwise; JSON on the terminal is the
central team's own view and is not suppressed unless asked.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from wellbeing_desktop.domain import coded
from wellbeing_desktop.domain.needs import domain_label
from wellbeing_desktop.domain.report_tables import Rate, Table, cell_json, cell_text, suppress
from wellbeing_desktop.services.errors import FieldProblem, ValidationError
from wellbeing_desktop.services.sync.history import SyncError
from wellbeing_desktop.services.sync.report_workbook import rate_columns, write_workbook
from wellbeing_desktop.storage.files import atomic_write
from wellbeing_desktop.sync import central, report_queries
from wellbeing_desktop.sync.crypto import BundleError
from wellbeing_desktop.sync.report_queries import Figures, Period


@dataclass(frozen=True)
class CentralReport:
    period: Period
    split: str
    tables: tuple[Table, ...]
    suppressed: bool = False
    # Which columns of each table hold rates, from the unsuppressed tables (the workbook's
    # columns must not depend on what was suppressed).
    rate_columns: tuple[tuple[int, ...], ...] = ()

    def __post_init__(self) -> None:
        if not self.rate_columns:
            object.__setattr__(self, "rate_columns", rate_columns(self.tables))

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.period.since.isoformat(), "to": self.period.until.isoformat(),
                "by": self.split, "suppressed": self.suppressed,
                "tables": [{"key": t.key, "title": t.title, "columns": list(t.columns),
                            "rows": [[cell_json(c) for c in row] for row in t.rows],
                            "note": t.note} for t in self.tables]}

    def suppressed_copy(self) -> CentralReport:
        return CentralReport(self.period, self.split, tuple(suppress(t) for t in self.tables),
                             True, self.rate_columns)


# periods -----------------------------------------------------------------------------------

def quarter(text: str) -> Period:
    """A calendar quarter written 2026Q3 (or 2026-Q3)."""
    m = re.fullmatch(r"(\d{4})-?[Qq]([1-4])", text.strip())
    if not m:
        raise ValidationError([FieldProblem("quarter", f"{text!r} is not a quarter like 2026Q3")])
    year, q = int(m[1]), int(m[2])
    start = date(year, 3 * q - 2, 1)
    end = date(year + (q == 4), (3 * q) % 12 + 1, 1) - timedelta(days=1)
    return Period(start, end)


def financial_year(text: str) -> Period:
    """The NHS financial year, 1 April to 31 March: 2026 or 2026-27 is April 2026 – March 2027."""
    m = re.fullmatch(r"(\d{4})(?:[-/](\d{2}|\d{4}))?", text.strip())
    if not m or (m[2] and int(m[2][-2:]) != (int(m[1]) + 1) % 100):
        raise ValidationError([FieldProblem("financial_year",
                                            f"{text!r} is not a financial year like 2026-27")])
    year = int(m[1])
    return Period(date(year, 4, 1), date(year + 1, 3, 31))


def period(since: date | None, until: date | None, *, quarter_text: str | None = None,
           financial_year_text: str | None = None) -> Period:
    chosen = [x for x in (since or until, quarter_text, financial_year_text) if x]
    if len(chosen) != 1:
        raise ValidationError([FieldProblem("period", "give --from and --to, or --quarter, or "
                                                      "--financial-year (one of them)")])
    if quarter_text:
        return quarter(quarter_text)
    if financial_year_text:
        return financial_year(financial_year_text)
    if since is None or until is None:
        raise ValidationError([FieldProblem("period", "give both --from and --to")])
    if until < since:
        raise ValidationError([FieldProblem("to", "--to is before --from")])
    return Period(since, until)


# the report --------------------------------------------------------------------------------

def central_report(db_url: str, span: Period, split: str = "service") -> CentralReport:
    try:
        engine = central.open_central(db_url)
    except BundleError as exc:
        raise SyncError(str(exc)) from None
    try:
        with engine.connect() as conn:
            figures = report_queries.figures(conn, span, split)
            names = report_queries.group_names(conn, split,
                                               {*figures.groups, *figures.changes})
    finally:
        engine.dispose()
    return CentralReport(span, split, build_tables(figures, names))


def build_tables(f: Figures, names: dict[str, str]) -> tuple[Table, ...]:
    head = "Clinic" if f.split == "clinic" else "Practitioner" if f.split == "practitioner" \
        else "Scope"

    def n(figure: str, group: str) -> int:
        return f.counts.get(figure, {}).get(group, 0)

    groups = sorted(f.groups, key=lambda g: names.get(g, g)) or [report_queries.SERVICE]
    activity = Table("activity", "Referrals, entering and waits", (
        head, "Referrals received", "Entering (first contact)",
        "Waited under 6 weeks", "Waited under 18 weeks", "Assessed",
        "Assessed within 6 weeks", "Assessed within 18 weeks", "Ended"), tuple(
        (names.get(g, g), n("referrals", g), n("entering", g),
         Rate(n("waited_6_weeks", g), n("entering", g)),
         Rate(n("waited_18_weeks", g), n("entering", g)), n("assessed", g),
         Rate(n("assessed_6_weeks", g), n("assessed", g)),
         Rate(n("assessed_18_weeks", g), n("assessed", g)), n("ended", g)) for g in groups),
        "Waits are from the referral received to the first contact, for people whose first "
        "contact was in the period (6 weeks = 42 days, 18 weeks = 126 days).", chart_column=1)
    outcome_rows = []
    for g in groups:
        o = f.outcomes.get(g)
        if o is None:
            outcome_rows.append((names.get(g, g), 0, 0, Rate(0, 0), Rate(0, 0), Rate(0, 0),
                                 Rate(0, 0)))
            continue
        outcome_rows.append((names.get(g, g), o.finished_course, o.case_at_start,
                             Rate(o.recovered, o.case_at_start),
                             Rate(o.reliable_improvement, o.finished_course),
                             Rate(o.reliable_recovery, o.case_at_start),
                             Rate(o.reliable_deterioration, o.finished_course)))
    outcomes = Table("outcomes", "NHS Talking Therapies outcomes (ended episodes)", (
        head, "Finished a course", "Case at start", "Recovery", "Reliable improvement",
        "Reliable recovery", "Reliable deterioration"), tuple(outcome_rows),
        "Finished a course: two or more attended contacts with paired PHQ-9 and GAD-7. "
        "Recovery and reliable recovery are among those who were a case at the start; reliable "
        "improvement and deterioration among all who finished a course.")
    attendance = Table("attendance", "Appointments and did-not-attend rate", (
        head, "Appointments (past)", "Attended", "DNA rate"), tuple(
        (names.get(g, g), n("appointments", g), n("attended", g),
         Rate(n("did_not_attend", g), n("attended", g) + n("did_not_attend", g)))
        for g in groups), "DNA rate: did not attend among attended and did not attend.")
    signposting = Table("signposting", "Signposting reach by service and need", (
        "Service", "Need", "Signposted", "Engaged"), tuple(
        (service, domain_label(need), made, Rate(engaged, made))
        for service, need, made, engaged in f.signposting), chart_column=2)
    unmet = Table("unmet_needs", "Gaps in provision: needs with no suitable service", (
        "Need", "Area", "Times"), tuple((domain_label(need), area or "(no area)", count)
                                        for need, area, count in f.unmet), chart_column=2)
    equality = tuple(
        Table(f"equality_{name}", f"Access and outcomes by {coded.code_list(name).label.lower()}",
              ("Category", "Referrals received", "Case at start, finished", "Recovery"),
              tuple((coded.code_list(name).label_of(code), referred, cases,
                     Rate(recovered, cases)) for code, referred, cases, recovered in rows),
              chart_column=1)
        for name, rows in f.equality.items())
    change = Table("measure_change", "Wellbeing, functioning and physical health: first against "
                   "last", (head, "Measure", "People measured twice or more", "Better", "Same",
                            "Worse"), tuple(
        (names.get(g, g), c.label, c.people, Rate(c.better, c.people), Rate(c.same, c.people),
         Rate(c.worse, c.people))
        for g in sorted(f.changes, key=lambda g: names.get(g, g)) for c in f.changes[g]),
        "Per person and measure: the first against the last valid score taken in the period "
        "(ONS4 and the physical-health measures item by item). Better and worse follow each "
        "measure's direction (WSAS and AUDIT-C: lower is better; ONS4 anxiety: lower is "
        "better; goals, the other ONS4 items and active days: higher is better).",
        chart_column=2)
    quality = Table("data_quality", "Data quality: coverage", ("Item", "Coverage"), tuple(
        (item, Rate(have, of)) for item, have, of in f.quality),
        "Of the referrals received in the period (paired scores: of the episodes ended; mode: "
        "of the past appointments).")
    return (activity, outcomes, change, attendance, signposting, unmet, *equality, quality)


# files -------------------------------------------------------------------------------------

def write_report(report: CentralReport, out: Path) -> list[Path]:
    """Write `report` as a PDF (out ends .pdf), an Excel workbook (.xlsx) or CSV files in the
    folder `out`."""
    suffix = out.suffix.lower()
    subtitle = (f"{report.period.since:%d %B %Y} to {report.period.until:%d %B %Y}"
                + ("" if report.split == "service" else f", by {report.split}"))
    if suffix == ".pdf":
        from wellbeing_desktop.packs.report_pdf import render_report

        atomic_write(out, render_report("Central report", subtitle, report.tables,
                                        suppressed=report.suppressed))
        return [out]
    if suffix == ".xlsx":
        write_workbook(out, f"Central report, {subtitle}", report.tables, report.rate_columns,
                       suppressed=report.suppressed)
        return [out]
    if suffix:
        raise ValidationError([FieldProblem("out", f"{out.name}: use a .pdf or .xlsx file, or "
                                                   "a folder for CSV files")])
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in report.tables:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(table.columns)
        writer.writerows([cell_text(c) for c in row] for row in table.rows)
        path = out / f"{table.key}.csv"
        # UTF-8 with a byte order mark, so Excel reads names and dashes correctly.
        atomic_write(path, "\ufeff" + buffer.getvalue())
        written.append(path)
    return written
