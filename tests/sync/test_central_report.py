"""The central report over merged records: the same figures on SQLite and the real PostgreSQL,
the same as the desktop Reports page for the same data and period, and its files (CSV with
small numbers suppressed, a PDF with charts read back)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from enrolment_helpers import merge_enrolled
from sqlalchemy import update
from sync_helpers import Keys

from wellbeing_desktop.cli import main
from wellbeing_desktop.domain.report_tables import Rate, Table, suppress
from wellbeing_desktop.services import reports, sync
from wellbeing_desktop.services.demo import load_demo
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.services.sync import central_reports
from wellbeing_desktop.storage.models import Client

TODAY = date(2026, 11, 24)


@pytest.fixture
def merged(make_device: Any, keys: Keys, central_url: str, tmp_path: Path) -> tuple[Any, str]:
    """A demo clinic (everyone consenting) merged into the central records."""
    ctx = make_device("clinic")
    load_demo(ctx, clients=160, services=20, seed=3, today=TODAY)
    with ctx.store.session() as s:
        s.execute(update(Client).values(consent_central_records=True))
    out = tmp_path / f"{uuid.uuid4().hex[:8]}.wbsync"
    sync.export(ctx, out, recipient=keys.public, full=True)
    [outcome] = merge_enrolled([out], central_url, keys.private)
    assert outcome.ok, outcome.error
    return ctx, central_url


def _table(report: central_reports.CentralReport, key: str) -> Table:
    return next(t for t in report.tables if t.key == key)


@pytest.mark.parametrize("period", ["90d", "365d"])
def test_same_figures_as_the_desktop_reports_page(merged: tuple[Any, str], period: str) -> None:
    ctx, url = merged
    desk = reports.team_report(ctx, period, today=TODAY)
    assert desk.since is not None
    report = central_reports.central_report(url, central_reports.Period(desk.since, TODAY))
    [activity] = _table(report, "activity").rows
    assert activity[1] == desk.referrals_received > 0
    [outcome] = _table(report, "outcomes").rows
    o = desk.outcomes
    assert outcome[1:3] == (o.finished_course, o.case_at_start)
    assert outcome[3] == Rate(o.recovered, o.case_at_start)
    assert outcome[4] == Rate(o.reliable_improvement, o.finished_course)
    assert outcome[5] == Rate(o.reliable_recovery, o.case_at_start)
    assert outcome[6] == Rate(o.reliable_deterioration, o.finished_course)
    [attendance] = _table(report, "attendance").rows
    by_outcome = {c.code: c.count for c in desk.appointments_by_outcome}
    assert attendance[1] == sum(by_outcome.values())
    assert attendance[2] == by_outcome["attended"]
    assert attendance[3] == Rate(by_outcome["did_not_attend"],
                                 by_outcome["attended"] + by_outcome["did_not_attend"])


def test_splits_add_up_and_equality_and_quality_tables(merged: tuple[Any, str]) -> None:
    _ctx, url = merged
    span = central_reports.Period(TODAY - timedelta(days=365), TODAY)
    whole = central_reports.central_report(url, span)
    for split in ("clinic", "practitioner"):
        parts = central_reports.central_report(url, span, split)
        for key, column in (("activity", 1), ("activity", 2), ("outcomes", 1),
                            ("attendance", 1)):
            rows = _table(parts, key).rows
            assert sum(int(r[column]) for r in rows) == _table(whole, key).rows[0][column]
        if split == "practitioner":
            assert all(not str(r[0]).startswith(("0", "1")) for r in _table(parts, "activity")
                       .rows) and len(_table(parts, "activity").rows) > 1
    ethnic = _table(whole, "equality_ethnic_category")
    assert sum(int(r[1]) for r in ethnic.rows) == _table(whole, "activity").rows[0][1]
    labels = {str(r[0]) for r in ethnic.rows}
    assert "Not asked" in labels and any(label.startswith("White") for label in labels)
    quality = dict((r[0], r[1]) for r in _table(whole, "data_quality").rows)
    nhs = quality["NHS number"]
    assert isinstance(nhs, Rate) and 0 < nhs.numerator < nhs.denominator


def test_suppression_hides_small_numbers_and_rates_made_from_them() -> None:
    table = Table("t", "T", ("a", "n", "rate"), (("x", 3, Rate(3, 40)), ("y", 0, Rate(10, 40)),
                                                  ("z", 12, Rate(6, 4))))
    assert suppress(table).rows == (("x", "*", "*"), ("y", 0, Rate(10, 40)),
                                    ("z", 12, "*"))


def test_periods() -> None:
    q = central_reports.quarter("2026Q4")
    assert (q.since, q.until) == (date(2026, 10, 1), date(2026, 12, 31))
    fy = central_reports.financial_year("2026-27")
    assert (fy.since, fy.until) == (date(2026, 4, 1), date(2027, 3, 31))
    with pytest.raises(ValidationError):
        central_reports.financial_year("2026-29")
    with pytest.raises(ValidationError):
        central_reports.period(date(2026, 5, 1), date(2026, 4, 1))


def test_command_json_csv_and_pdf(merged: tuple[Any, str], tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from pypdf import PdfReader

    _ctx, url = merged
    assert main(["central", "report", "--db", url, "--from", "2025-11-25", "--to",
                 str(TODAY), "--by", "practitioner", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["by"] == "practitioner" and data["suppressed"] is False
    folder = tmp_path / "csv"
    assert main(["central", "report", "--db", url, "--financial-year", "2026-27", "--out",
                 str(folder)]) == 0
    raw = (folder / "activity.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads it as UTF-8
    unmet = (folder / "equality_ethnic_category.csv").read_text(encoding="utf-8-sig")
    assert "*" in unmet  # small groups suppressed in files
    pdf = tmp_path / "report.pdf"
    assert main(["central", "report", "--db", url, "--quarter", "2026Q4", "--out",
                 str(pdf)]) == 0
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "NHS Talking Therapies outcomes" in text and "suppressed" in text
    capsys.readouterr()
    with pytest.raises(SystemExit) as bad_date:
        main(["central", "report", "--db", url, "--from", "2026-13-01", "--to", "2026-12-01"])
    assert bad_date.value.code == 2
    assert main(["central", "report", "--db", url, "--from", "2026-12-01", "--to",
                 "2026-11-01"]) == 2
    assert main(["central", "report", "--db", url, "--quarter", "2026Q4", "--out",
                 str(tmp_path / "r.docx")]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_workbook_one_sheet_per_table_numbers_as_numbers_small_ones_suppressed(
        merged: tuple[Any, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    _ctx, url = merged
    book_path = tmp_path / "report.xlsx"
    assert main(["central", "report", "--db", url, "--from", "2025-11-25", "--to", str(TODAY),
                 "--out", str(book_path), "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["written"] == [str(book_path)]
    book = load_workbook(book_path)
    keys = [t["key"] for t in data["tables"]]
    assert book.sheetnames == ["about", *keys]
    activity = book["activity"]
    header = [c.value for c in activity[1]]
    assert header[:3] == ["Scope", "Referrals received", "Entering (first contact)"]
    assert header[3:6] == ["Waited under 6 weeks", "Waited under 6 weeks: count",
                           "Waited under 6 weeks: of"]
    [service] = next(r for r in data["tables"] if r["key"] == "activity")["rows"]
    row = list(activity[2])
    assert row[1].value == service[1] and isinstance(row[1].value, int) and row[1].value >= 5
    waited = service[3]
    assert row[3].number_format == "0.0%"
    assert row[3].value == pytest.approx(waited["rate"])
    assert (row[4].value, row[5].value) == (waited["numerator"], waited["denominator"])
    # the same suppression as the CSV files: small groups in the equality tables become "*"
    ethnic = book["equality_ethnic_category"]
    cells = [c.value for r in ethnic.iter_rows(min_row=2) for c in r]
    assert "*" in cells and not any(isinstance(v, int) and 0 < v < 5 for v in cells)
    # its columns do not depend on what was suppressed
    full = tmp_path / "full.xlsx"
    assert main(["central", "report", "--db", url, "--from", "2025-11-25", "--to", str(TODAY),
                 "--out", str(full), "--unsuppressed"]) == 0
    capsys.readouterr()
    unsuppressed = load_workbook(full)
    for key in keys:
        assert [c.value for c in unsuppressed[key][1]] == [c.value for c in book[key][1]]
    assert any(isinstance(v, int) and 0 < v < 5 for r in
               unsuppressed["equality_ethnic_category"].iter_rows(min_row=2, values_only=True)
               for v in r)


def test_extract_pseudonymised_and_identifiable(merged: tuple[Any, str], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import csv
    import json

    _ctx, url = merged
    key = tmp_path / "pseudonym.key"

    def run(folder: Path, *extra: str) -> dict[str, list[dict[str, str]]]:
        assert main(["central", "extract", "--db", url, "--from", "2025-11-25", "--to",
                     str(TODAY), "--out", str(folder), "--json", *extra]) == 0
        made = json.loads(capsys.readouterr().out)
        out = {}
        for name in made["files"]:
            with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
                out[name] = list(csv.DictReader(f))
            assert len(out[name]) == made["files"][name]
        return out

    first = run(tmp_path / "a", "--pseudonym-key", str(key))
    assert key.stat().st_mode & 0o777 == 0o600
    assert first["patient"] and all(p["NHSNumber"] == "" and p["Postcode"] == "" and
                                    p["PersonBirthDate"] == "" for p in first["patient"])
    patients = {p["LocalPatientId"] for p in first["patient"]}
    assert all(len(pid) == 20 for pid in patients)
    # every referral and contact links to a patient in the file
    assert {r["LocalPatientId"] for r in first["referral"]} <= patients
    referrals = {r["ServiceRequestId"] for r in first["referral"]}
    assert first["care_contact"]
    assert {c["ServiceRequestId"] for c in first["care_contact"]} <= referrals | {""}
    phq = [a for a in first["coded_scored_assessment"] if a["AssessmentToolLocal"] == "PHQ-9"]
    assert phq and all(a["CodedAssessmentToolSnomedCt"] == "720433000" for a in phq)
    gad = [a for a in first["coded_scored_assessment"] if a["AssessmentToolLocal"] == "GAD-7"]
    assert gad and all(a["CodedAssessmentToolSnomedCt"] == "445455005" for a in gad)
    wsas = [a for a in first["coded_scored_assessment"] if a["AssessmentToolLocal"] == "WSAS"]
    assert wsas and all(a["CodedAssessmentToolSnomedCt"] == "" for a in wsas)  # not verified
    again = run(tmp_path / "b", "--pseudonym-key", str(key))
    assert {p["LocalPatientId"] for p in again["patient"]} == patients  # same key, same ids
    other = run(tmp_path / "c", "--pseudonym-key", str(tmp_path / "other.key"))
    assert not patients & {p["LocalPatientId"] for p in other["patient"]}
    named = run(tmp_path / "d", "--identifiable")
    assert any(p["NHSNumber"] for p in named["patient"])
    assert {len(p["LocalPatientId"]) for p in named["patient"]} == {32}
    assert main(["central", "extract", "--db", url, "--quarter", "2026Q4", "--out",
                 str(tmp_path / "e")]) == 2  # neither a key nor --identifiable
    assert "pseudonym-key" in capsys.readouterr().err


def _device_changes(ctx: Any, since: date, until: date) -> dict[str, tuple[int, int, int, int]]:
    """The same figures read straight from the clinic's own store, person by person."""
    from itertools import groupby

    from sqlalchemy import select

    from wellbeing_desktop.domain.measures.change import Taken, change_counts
    from wellbeing_desktop.domain.measures.registry import shipped
    from wellbeing_desktop.storage.models.measures import MeasureAdministration as MA
    from wellbeing_desktop.sync.change_queries import CHANGE_MEASURES

    definitions = {m: d for m in CHANGE_MEASURES if (d := shipped().find(m)) is not None}
    with ctx.store.session() as s:
        rows = s.execute(select(MA).where(MA.deleted_at.is_(None), MA.valid.is_(True),
                                          MA.taken_on >= since, MA.taken_on <= until)
                         .order_by(MA.client_id, MA.measure_id, MA.taken_on, MA.created_at,
                                   MA.id)).scalars().all()
        series = [(m, [Taken(r.taken_on, tuple(r.answers or ()), r.total) for r in items])
                  for (_c, m), items in groupby(rows, key=lambda r: (r.client_id, r.measure_id))]
    return {c.label: (c.people, c.better, c.same, c.worse)
            for c in change_counts(definitions, series)}


def test_wellbeing_and_physical_health_change_first_against_last(
        merged: tuple[Any, str]) -> None:
    ctx, url = merged
    since = TODAY - timedelta(days=365)
    report = central_reports.central_report(url, central_reports.Period(since, TODAY))
    table = _table(report, "measure_change")
    got = {str(r[1]): (r[2], *(int(c.numerator) for c in r[3:6] if isinstance(c, Rate)))
           for r in table.rows}
    expected = _device_changes(ctx, since, TODAY)
    assert got == expected
    labels = set(got)
    assert {"WSAS", "ONS4: Anxiety", "Goals"} <= labels, labels
    assert any(label.startswith("AUDIT-C") or label.startswith("Smoking") for label in labels)
    assert all(p >= 1 and b + s + w == p for p, b, s, w in got.values())
    # the desktop Reports page shows the same figures for the clinic's own records
    desk = reports.team_report(ctx, "365d", today=TODAY)
    assert desk.since is not None
    same_span = central_reports.central_report(url, central_reports.Period(desk.since, TODAY))
    assert [(c.label, c.people, c.better, c.same, c.worse) for c in desk.changes] == [
        (str(r[1]), r[2], *(int(c.numerator) for c in r[3:6] if isinstance(c, Rate)))
        for r in _table(same_span, "measure_change").rows]
    by_clinic = central_reports.central_report(url, central_reports.Period(since, TODAY),
                                               "clinic")
    clinic_wsas = [r for r in _table(by_clinic, "measure_change").rows if r[1] == "WSAS"]
    assert sum(int(r[2]) for r in clinic_wsas) == got["WSAS"][0]


def test_change_counts_follow_each_measure_direction() -> None:
    from wellbeing_desktop.domain.measures.change import Taken, change_counts
    from wellbeing_desktop.domain.measures.registry import shipped

    found = {m: shipped().find(m) for m in ("WSAS", "ONS4", "GBO")}
    definitions = {k: v for k, v in found.items() if v is not None}
    d1, d2 = date(2026, 1, 5), date(2026, 3, 2)
    counts = change_counts(definitions, [
        ("WSAS", [Taken(d1, (), 24.0), Taken(d2, (), 10.0)]),           # lower: better
        ("WSAS", [Taken(d1, (), 10.0), Taken(d2, (), 18.0)]),           # higher: worse
        ("WSAS", [Taken(d1, (), 10.0)]),                                # once: not counted
        ("GBO", [Taken(d1, (2,), 2.0), Taken(d2, (7,), 7.0)]),          # higher: better
        ("ONS4", [Taken(d1, (5, 5, 5, 8), None), Taken(d2, (7, 5, 4, 3), None)]),
        ("PHQ-9", [Taken(d1, (), 20.0), Taken(d2, (), 5.0)]),          # not asked for
    ])
    got = {c.label: (c.people, c.better, c.same, c.worse) for c in counts}
    assert got == {"WSAS": (2, 1, 0, 1), "Goals": (1, 1, 0, 0),
                   "ONS4: Life satisfaction": (1, 1, 0, 0), "ONS4: Worthwhile": (1, 0, 1, 0),
                   "ONS4: Happiness": (1, 0, 0, 1), "ONS4: Anxiety": (1, 1, 0, 0)}
    assert [c.label for c in counts][:2] == ["WSAS", "ONS4: Life satisfaction"]


def test_snomed_codes_only_with_a_citation() -> None:
    """Every code in resources/coded/snomed.json is marked verified with its source; every
    concept without a code says NOT VERIFIED (codes are never guessed)."""
    import json

    from wellbeing_desktop.resources import resource

    with resource("coded", "snomed.json").open(encoding="utf-8") as f:
        doc = json.load(f)
    entries = [v for v in doc["measure_totals"].values()]
    entries += [doc["referral_to_pathway"], doc["signposting"],
                *doc["social_prescribing"].values()]
    for entry in entries:
        if entry["code"] is None:
            assert entry["verified"] is False and entry["source"].startswith("NOT VERIFIED")
        else:
            assert entry["code"].isdigit() and 6 <= len(entry["code"]) <= 18
            assert entry["verified"] is True and len(entry["source"]) > 60
            assert "NOT VERIFIED" not in entry["source"]
    codes = {k: v["code"] for k, v in doc["measure_totals"].items()}
    assert codes["PHQ-9"] == "720433000" and codes["WSAS"] is None
