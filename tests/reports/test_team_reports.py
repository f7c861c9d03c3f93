"""Team reports: figures counted from a small, known caseload written to a real store."""

from __future__ import annotations

import csv
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from wellbeing_desktop.domain.reports import EpisodeFlags, outcome_rates, percentile, waits
from wellbeing_desktop.services import reports
from wellbeing_desktop.services.context import ROLE_PRACTITIONER, Actor
from wellbeing_desktop.services.errors import PermissionDenied
from wellbeing_desktop.storage.models import Client, Practitioner, Referral
from wellbeing_desktop.storage.models.casework import Appointment
from wellbeing_desktop.storage.models.measures import MeasureAdministration

TODAY = date(2026, 11, 24)


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 0.5) is None
    assert percentile([7.0], 0.9) == 7.0
    values = [float(v) for v in range(1, 11)]
    assert percentile(values, 0.5) == 5.0
    assert percentile(values, 0.9) == 9.0
    assert percentile(values, 1.0) == 10.0
    assert waits([3, -1, 5]).counted == 2  # a negative wait is a typing error, not a figure
    with pytest.raises(ValueError):
        percentile(values, 0)


def test_rates_count_recovery_among_cases_who_finished() -> None:
    base = EpisodeFlags(True, True, True, True, False, True)
    rates = outcome_rates([
        base,
        replace(base, recovered=False, reliable_recovery=False),
        replace(base, case_at_start=False, recovered=False, reliable_recovery=False),
        replace(base, finished_course=False),  # did not finish: left out of every rate
    ])
    assert (rates.ended_with_scores, rates.finished_course, rates.case_at_start) == (4, 3, 2)
    assert rates.recovered == 1 and rates.recovery_rate == 0.5
    assert rates.reliable_improvement == 3 and rates.reliable_improvement_rate == 1.0
    assert outcome_rates([]).recovery_rate is None


def _episode(s: Any, practitioner: uuid.UUID, *, source: str, waited: int, phq: tuple[int, int],
             gad: tuple[int, int], attended: int, discharged: bool) -> None:
    client = Client(given_name="Test", family_name=f"Person {uuid.uuid4().hex[:6]}",
                    practitioner_id=practitioner, status="active")
    s.add(client)
    s.flush()
    received = TODAY - timedelta(days=60)
    referral = Referral(client_id=client.id, received_on=received, source=source,
                        first_contact_on=received + timedelta(days=waited),
                        assessed_on=received + timedelta(days=waited + 5),
                        status="discharged" if discharged else "active",
                        discharged_on=TODAY - timedelta(days=1) if discharged else None,
                        practitioner_id=practitioner)
    s.add(referral)
    s.flush()
    for n in range(attended):
        s.add(Appointment(client_id=client.id, referral_id=referral.id, outcome="attended",
                          mode="phone", practitioner_id=practitioner,
                          starts_at=datetime(2026, 10, 1, 10) + timedelta(days=7 * n)))
    s.add(Appointment(client_id=client.id, referral_id=referral.id, outcome="did_not_attend",
                      mode="in_person", practitioner_id=practitioner,
                      starts_at=datetime(2026, 11, 20, 10)))
    for measure, (first, last) in (("PHQ-9", phq), ("GAD-7", gad)):
        for when, total in ((received + timedelta(days=waited), first), (TODAY - timedelta(days=2), last)):
            s.add(MeasureAdministration(client_id=client.id, referral_id=referral.id,
                                        measure_id=measure, taken_on=when, answers=[],
                                        total=total, valid=True))


@pytest.fixture
def caseload(ctx: Any) -> dict[str, uuid.UUID]:
    with ctx.store.session() as s:
        lead = ctx.actor.id
        other = Practitioner(display_name="Priya Nair", role=ROLE_PRACTITIONER)
        s.add(other)
        s.flush()
        # Recovered with reliable improvement (PHQ 16→6, GAD 12→5).
        _episode(s, lead, source="gp", waited=4, phq=(16, 6), gad=(12, 5), attended=4,
                 discharged=True)
        # A case who did not recover (PHQ 18→15, GAD 10→9).
        _episode(s, lead, source="gp", waited=10, phq=(18, 15), gad=(10, 9), attended=3,
                 discharged=True)
        # One attended contact only: did not finish a course.
        _episode(s, other.id, source="self", waited=20, phq=(20, 4), gad=(15, 3), attended=1,
                 discharged=True)
        # Still in sessions: not an ended episode.
        _episode(s, other.id, source="step2", waited=2, phq=(12, 3), gad=(9, 2), attended=2,
                 discharged=False)
        return {"lead": lead, "other": other.id}


def test_team_report_counts_the_known_caseload(ctx: Any, caseload: dict[str, uuid.UUID]) -> None:
    report = reports.team_report(ctx, "365d", today=TODAY)
    assert report.scope == "the whole team"
    assert report.referrals_received == 4
    by_source = {c.code: c.count for c in report.referrals_by_source}
    assert by_source["gp"] == 2 and by_source["self"] == 1 and by_source["step2"] == 1
    assert {c.code: c.count for c in report.open_by_status}["active"] == 1
    assert report.wait_to_first_contact.counted == 4
    assert report.wait_to_first_contact.median == 4.0  # waits 2, 4, 10, 20
    assert report.wait_to_first_contact.p90 == 20.0
    outcomes = {c.code: c.count for c in report.appointments_by_outcome}
    assert outcomes["attended"] == 10 and outcomes["did_not_attend"] == 4
    o = report.outcomes
    assert (o.ended_with_scores, o.finished_course, o.case_at_start) == (3, 2, 2)
    assert (o.recovered, o.reliable_improvement, o.reliable_recovery) == (1, 1, 1)


def test_a_practitioner_sees_only_their_own_caseload(ctx: Any,
                                                     caseload: dict[str, uuid.UUID]) -> None:
    ctx.actor = Actor(caseload["other"], "Priya Nair", ROLE_PRACTITIONER)
    report = reports.team_report(ctx, "all", today=TODAY)
    assert report.scope == "your caseload"
    assert report.referrals_received == 2
    assert report.outcomes.ended_with_scores == 1 and report.outcomes.finished_course == 0


def test_period_limits_what_is_counted(ctx: Any, caseload: dict[str, uuid.UUID]) -> None:
    report = reports.team_report(ctx, "90d", today=TODAY + timedelta(days=200))
    assert report.referrals_received == 0 and report.outcomes.ended_with_scores == 0
    with pytest.raises(KeyError):
        reports.team_report(ctx, "fortnight")


def test_reports_need_a_signed_in_role(ctx: Any) -> None:
    ctx.actor = Actor(uuid.uuid4(), "Visitor", "visitor")
    with pytest.raises(PermissionDenied):
        reports.team_report(ctx)


@pytest.mark.safety
def test_csv_has_figures_and_no_names(ctx: Any, caseload: dict[str, uuid.UUID],
                                      tmp_path: Path) -> None:
    report = reports.team_report(ctx, "365d", today=TODAY)
    target = tmp_path / "figures.csv"
    reports.save_csv(report, str(target))
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads UTF-8
    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert rows[0] == ["section", "figure", "value"]
    assert ["outcomes", "recovered", "1"] in rows
    assert ["referrals", "received", "4"] in rows
    assert "Person" not in target.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".*.part"))
