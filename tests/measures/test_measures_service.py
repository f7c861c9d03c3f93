"""The measures service on a real store: record, list, series, episode outcome, audit."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from measures_helpers import answers_for
from sqlalchemy import func, select

from wellbeing_desktop.services import measures
from wellbeing_desktop.services.context import Actor
from wellbeing_desktop.services.errors import NotFound, PermissionDenied, ValidationError
from wellbeing_desktop.storage.models import AuditEvent
from wellbeing_desktop.storage.models.measures import MeasureAdministration

TODAY = date(2026, 11, 24)


def _record(ctx: Any, client_id: uuid.UUID, measure: str, answers: list[Any], on: date,
            paper: bool = False) -> measures.RecordResult:
    return measures.record(ctx, measures.MeasureInput(client_id, measure, tuple(answers), on,
                                                      paper), today=TODAY)


def _count(ctx: Any) -> int:
    with ctx.store.read() as s:
        return int(s.execute(select(func.count()).select_from(MeasureAdministration)).scalar_one())


def test_record_scores_saves_and_audits(ctx: Any, client_id: uuid.UUID) -> None:
    result = _record(ctx, client_id, "phq9", [1, 2, 0, 3, 1, 0, 2, 1, 0], date(2026, 10, 1))
    view = result.administration
    assert (view.measure_id, view.total, view.band, view.caseness, view.valid) == (
        "PHQ-9", 10, "moderate", True, True)
    assert view.referral_id is not None  # linked to the open episode
    assert result.changed.entities == {"measure"}
    listed = measures.administrations(ctx, client_id)
    assert listed == [view]
    with ctx.store.read() as s:
        event = s.execute(select(AuditEvent.client_id, AuditEvent.entity_id, AuditEvent.detail)
                          .where(AuditEvent.action == "measures.record")).one()
    assert event.client_id == str(client_id) and event.entity_id == str(view.id)
    assert event.detail == "measure=PHQ-9 paper=0"  # no score or answers


def test_bad_input_names_the_field_and_writes_nothing(ctx: Any, client_id: uuid.UUID) -> None:
    with pytest.raises(ValidationError) as err:
        _record(ctx, client_id, "GAD-7", [0, 0, 0, 5, 0, 0, 0], date(2026, 12, 1))
    assert err.value.for_field("item_4").startswith("item 4 (Trouble relaxing): 5 is not allowed")
    assert err.value.for_field("taken_on") == "The date cannot be in the future."
    with pytest.raises(ValidationError) as err:
        _record(ctx, client_id, "PHQ-8", [0], date(2026, 10, 1))
    assert err.value.for_field("measure_id")
    with pytest.raises(NotFound):
        _record(ctx, uuid.uuid4(), "GAD-7", [0] * 7, date(2026, 10, 1))
    assert _count(ctx) == 0


def test_incomplete_paper_form_is_kept_but_not_valid(ctx: Any, client_id: uuid.UUID) -> None:
    result = _record(ctx, client_id, "PHQ-9", [1] * 8 + [None], date(2026, 9, 20), paper=True)
    assert result.administration.entered_from_paper
    assert not result.administration.valid and result.administration.total is None
    assert measures.series(ctx, client_id) == []  # invalid scores are not charted


def test_risk_item_is_audited_without_the_answer(ctx: Any, client_id: uuid.UUID) -> None:
    result = _record(ctx, client_id, "PHQ-9", [0] * 8 + [2], date(2026, 10, 1))
    assert result.risk
    with ctx.store.read() as s:
        actions = list(s.execute(select(AuditEvent.action, AuditEvent.detail)).all())
    assert ("measures.risk_item", "measure=PHQ-9") in actions


def test_series_over_time(ctx: Any, client_id: uuid.UUID) -> None:
    _record(ctx, client_id, "PHQ-9", answers_for("PHQ-9", 8), date(2026, 10, 15))
    _record(ctx, client_id, "PHQ-9", answers_for("PHQ-9", 16), date(2026, 9, 10))
    _record(ctx, client_id, "ONS4", [4, 5, None, 7], date(2026, 9, 10))
    found = {(s.measure_id, s.item_key): s for s in measures.series(ctx, client_id)}
    phq = found[("PHQ-9", None)]
    assert phq.dates == (date(2026, 9, 10), date(2026, 10, 15))
    assert phq.totals == (16.0, 8.0) and phq.caseness_cutoff == 10 and phq.maximum == 27
    assert found[("ONS4", "satisfaction")].totals == (4.0,)
    assert ("ONS4", "happiness") not in found
    assert found[("ONS4", "anxiety")].higher_is == "worse"


@pytest.mark.safety
def test_episode_outcome_first_against_last(ctx: Any, client_id: uuid.UUID) -> None:
    assert measures.episode_outcome(ctx, client_id) is None
    _record(ctx, client_id, "PHQ-9", answers_for("PHQ-9", 16), date(2026, 9, 10))
    _record(ctx, client_id, "GAD-7", answers_for("GAD-7", 12), date(2026, 9, 10))
    _record(ctx, client_id, "PHQ-9", answers_for("PHQ-9", 12), date(2026, 10, 1))
    assert measures.episode_outcome(ctx, client_id) is None  # GAD-7 only once
    _record(ctx, client_id, "GAD-7", answers_for("GAD-7", 10), date(2026, 10, 1))
    _record(ctx, client_id, "PHQ-9", answers_for("PHQ-9", 6), date(2026, 11, 1))
    _record(ctx, client_id, "GAD-7", answers_for("GAD-7", 5), date(2026, 11, 1))
    # Before the episode: not counted.
    _record(ctx, client_id, "PHQ-9", answers_for("PHQ-9", 27), date(2026, 8, 1))
    out = measures.episode_outcome(ctx, client_id)
    assert out is not None
    assert (out.phq9_first, out.phq9_last, out.gad7_first, out.gad7_last) == (16, 6, 12, 5)
    assert out.reliable_recovery


def test_remove_is_a_soft_delete(ctx: Any, client_id: uuid.UUID) -> None:
    view = _record(ctx, client_id, "GAD-7", [1] * 7, date(2026, 10, 1)).administration
    measures.remove(ctx, view.id)
    assert measures.administrations(ctx, client_id) == []
    assert _count(ctx) == 1
    with pytest.raises(NotFound):
        measures.remove(ctx, view.id)


def test_permission_is_checked(ctx: Any, client_id: uuid.UUID) -> None:
    ctx.actor = Actor(None, "nobody", "visitor")
    with pytest.raises(PermissionDenied):
        _record(ctx, client_id, "GAD-7", [1] * 7, date(2026, 10, 1))
