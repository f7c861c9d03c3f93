"""Property tests: totals stay in range and bands cover every total (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from measures_helpers import definition

from wellbeing_desktop.domain.measures import NOT_APPLICABLE, MeasureDefinition, score
from wellbeing_desktop.domain.measures.registry import shipped

NAMES = [d.id for d in shipped().ordered()]


@st.composite
def answered_form(draw: st.DrawFn) -> tuple[MeasureDefinition, list[int | str | None]]:
    d = definition(draw(st.sampled_from(NAMES)))
    count = draw(st.integers(d.repeat_min, d.repeat_max)) if d.repeats else len(d.items)
    answers: list[int | str | None] = []
    items = d.items_for(count)
    for item in items:
        if item.is_number:
            answers.append(draw(st.one_of(st.none(), st.integers(int(item.min), int(item.max)))))
            continue
        choices: list[int | str | None] = [*item.values, None]
        if item.not_applicable_allowed:
            choices.append(NOT_APPLICABLE)
        answers.append(draw(st.sampled_from(choices)))
    # What a form allows: nothing else without consent, and conditional items only when
    # their condition holds (the dialog disables them otherwise).
    keys = [item.key for item in items]
    if d.consent_item and answers[keys.index(d.consent_item)] != 1:
        answers = [a if k == d.consent_item else None for k, a in zip(keys, answers, strict=True)]
    for index, item in enumerate(items):
        if item.needs and answers[keys.index(item.needs.item)] != item.needs.value:
            answers[index] = None
    return d, answers


@given(answered_form())
def test_totals_in_range_and_always_banded(form: tuple[MeasureDefinition, list[int | str | None]]
                                           ) -> None:
    d, answers = form
    result = score(d, answers)
    if result.total is not None:
        assert result.valid
        assert d.min_total <= result.total <= d.max_total
        if d.bands:
            assert result.band is not None
        if d.caseness_at_least is not None:
            assert result.caseness is (result.total >= d.caseness_at_least)
    else:
        # A BMI form is valid with weight alone (kept); the total needs both measurements.
        assert not result.valid or not d.has_total or d.method == "bmi"
    for item in result.items:
        has_band = bool(d.items_for(len(answers))[item.number - 1].bands)
        assert (item.band is not None) == (has_band and isinstance(item.value, int | float))
    if not result.valid:
        assert result.errors


@given(st.sampled_from([n for n in NAMES if definition(n).bands]), st.data())
@pytest.mark.safety
def test_every_possible_total_has_exactly_one_band(name: str, data: st.DataObject) -> None:
    d = definition(name)
    step = 10 ** -(d.decimals if d.method in ("mean", "bmi") else 0)
    n = data.draw(st.integers(0, round((d.max_total - d.min_total) / step)))
    total = round(d.min_total + n * step, 2)
    assert sum(1 for b in d.bands if b.contains(total)) == 1


@given(st.lists(st.integers(0, 3), min_size=9, max_size=9))
@pytest.mark.safety
def test_phq9_complete_total_is_the_sum(answers: list[int]) -> None:
    result = score(definition("PHQ-9"), list(answers))
    assert result.total == sum(answers) and result.valid


@given(st.lists(st.integers(0, 8), min_size=4, max_size=4), st.integers(0, 4))
def test_wsas_prorated_total_stays_in_range(answered: list[int], gap: int) -> None:
    answers: list[int | str | None] = list(answered)
    answers.insert(gap, None)
    result = score(definition("WSAS"), answers)
    assert result.valid and result.total is not None and 0 <= result.total <= 40
    assert abs(result.total - sum(answered) * 5 / 4) <= 0.5


@given(st.integers(0, 27), st.integers(0, 27), st.integers(0, 21), st.integers(0, 21))
@pytest.mark.safety
def test_paired_outcome_flags_are_consistent(p1: int, p2: int, g1: int, g2: int) -> None:
    from wellbeing_desktop.domain.measures import paired_outcome

    out = paired_outcome((p1, p2), (g1, g2))
    assert not (out.reliable_improvement and out.reliable_deterioration)
    assert out.no_reliable_change == (not out.reliable_improvement
                                      and not out.reliable_deterioration)
    assert out.recovery == (out.caseness_first and not out.caseness_last)
    assert out.reliable_recovery == (out.recovery and out.reliable_improvement)
    # Swapping first and last swaps improvement and deterioration.
    back = paired_outcome((p2, p1), (g2, g1))
    assert back.reliable_improvement == out.reliable_deterioration
    assert back.reliable_deterioration == out.reliable_improvement
