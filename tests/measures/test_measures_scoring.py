"""Scoring, bands and missing-item rules of every shipped measure (DESIGN §4)."""

from __future__ import annotations

import pytest
from measures_helpers import answers_for, definition

from wellbeing_desktop.domain.measures import NOT_APPLICABLE, AnswerError, score

# Every band boundary, as DESIGN §4 states them (not read from the definitions under test).
BOUNDARIES = [
    ("PHQ-9", 0, "minimal"), ("PHQ-9", 4, "minimal"), ("PHQ-9", 5, "mild"), ("PHQ-9", 9, "mild"),
    ("PHQ-9", 10, "moderate"), ("PHQ-9", 14, "moderate"), ("PHQ-9", 15, "moderately severe"),
    ("PHQ-9", 19, "moderately severe"), ("PHQ-9", 20, "severe"), ("PHQ-9", 27, "severe"),
    ("GAD-7", 0, "minimal"), ("GAD-7", 4, "minimal"), ("GAD-7", 5, "mild"), ("GAD-7", 9, "mild"),
    ("GAD-7", 10, "moderate"), ("GAD-7", 14, "moderate"), ("GAD-7", 15, "severe"),
    ("GAD-7", 21, "severe"),
    ("WSAS", 0, "subclinical"), ("WSAS", 9, "subclinical"),
    ("WSAS", 10, "significant functional impairment"),
    ("WSAS", 20, "significant functional impairment"),
    ("WSAS", 21, "moderately severe or worse"), ("WSAS", 40, "moderately severe or worse"),
]


@pytest.mark.parametrize(("measure", "total", "band"), BOUNDARIES)
@pytest.mark.safety
def test_every_band_boundary(measure: str, total: int, band: str) -> None:
    result = score(definition(measure), answers_for(measure, total))
    assert result.valid
    assert result.total == total
    assert result.band == band


@pytest.mark.parametrize(("measure", "total", "case"), [
    ("PHQ-9", 9, False), ("PHQ-9", 10, True), ("GAD-7", 7, False), ("GAD-7", 8, True),
])
@pytest.mark.safety
def test_caseness_cut_offs(measure: str, total: int, case: bool) -> None:
    assert score(definition(measure), answers_for(measure, total)).caseness is case


def test_wsas_has_no_caseness() -> None:
    assert score(definition("WSAS"), [8, 8, 8, 8, 8]).caseness is None


ONS_BANDS = {
    "satisfaction": ["low"] * 5 + ["medium"] * 2 + ["high"] * 2 + ["very high"] * 2,
    "worthwhile": ["low"] * 5 + ["medium"] * 2 + ["high"] * 2 + ["very high"] * 2,
    "happiness": ["low"] * 5 + ["medium"] * 2 + ["high"] * 2 + ["very high"] * 2,
    "anxiety": ["very low"] * 2 + ["low"] * 2 + ["medium"] * 2 + ["high"] * 5,
}


@pytest.mark.parametrize("value", range(11))
def test_ons4_every_item_band(value: int) -> None:
    result = score(definition("ONS4"), [value] * 4)
    assert result.total is None and result.band is None and result.valid
    for item in result.items:
        assert item.band == ONS_BANDS[item.key][value], (item.key, value)


# Missing-item rules -------------------------------------------------------------------------

@pytest.mark.parametrize("measure", ["PHQ-9", "GAD-7"])
@pytest.mark.safety
def test_complete_rule_one_missing_is_invalid_and_named(measure: str) -> None:
    d = definition(measure)
    answers: list[int | str | None] = [1] * len(d.items)
    answers[2] = None
    result = score(d, answers)
    assert not result.valid and result.total is None and result.band is None
    assert result.unanswered == (3,)
    assert "item 3 is unanswered" in result.errors[0]


def test_complete_rule_names_several_missing_items() -> None:
    result = score(definition("PHQ-9"), [None, 1, 1, None, 1, 1, 1, 1, None])
    assert result.errors == ("items 1, 4 and 9 are unanswered; PHQ-9 needs every item",)


def test_wsas_work_not_applicable_is_prorated() -> None:
    result = score(definition("WSAS"), [NOT_APPLICABLE, 4, 4, 4, 4])
    assert result.valid and result.prorated and result.total == 20
    assert result.band == "significant functional impairment"


@pytest.mark.safety
def test_wsas_one_missing_item_is_prorated_half_up() -> None:
    # 3 + 4 + 5 + 6 = 18 over 4 items: mean 4.5, times 5 = 22.5 -> 23.
    result = score(definition("WSAS"), [3, 4, None, 5, 6])
    assert result.valid and result.total == 23 and result.band == "moderately severe or worse"


def test_wsas_prorating_can_cross_a_band() -> None:
    # 2 + 2 + 2 + 2 = 8 over 4 items -> 10: no longer subclinical.
    assert score(definition("WSAS"), [None, 2, 2, 2, 2]).total == 10


@pytest.mark.parametrize("answers", [
    [NOT_APPLICABLE, None, 4, 4, 4],
    [None, None, 4, 4, 4],
    [4, 4, None, 4, None],
])
@pytest.mark.safety
def test_wsas_more_than_one_missing_is_invalid(answers: list[int | str | None]) -> None:
    result = score(definition("WSAS"), answers)
    assert not result.valid and result.total is None
    assert "2 items are missing or not applicable; WSAS allows at most 1" in result.errors[0]


def test_not_applicable_only_on_the_wsas_work_item() -> None:
    with pytest.raises(AnswerError) as err:
        score(definition("WSAS"), [4, NOT_APPLICABLE, 4, 4, 4])
    assert err.value.problems[0].item == 2
    assert "item 2 (Home management): NA (not applicable) is not allowed" in str(err.value)
    with pytest.raises(AnswerError):
        score(definition("PHQ-9"), [NOT_APPLICABLE] + [0] * 8)


def test_ons4_missing_item_leaves_the_others() -> None:
    result = score(definition("ONS4"), [8, None, 3, 2])
    assert result.valid
    assert [i.band for i in result.items] == ["high", None, "low", "low"]


def test_ons4_nothing_answered_is_invalid() -> None:
    result = score(definition("ONS4"), [None] * 4)
    assert not result.valid and "nothing is answered" in result.errors[0]


def test_goals_mean_of_rated_goals() -> None:
    d = definition("GBO")
    assert score(d, [3]).total == 3
    assert score(d, [3, 4, 4]).total == pytest.approx(3.7)
    assert score(d, [2, None, 7]).total == pytest.approx(4.5)
    assert not score(d, [None, None]).valid


@pytest.mark.parametrize("count", [0, 6])
def test_goals_take_one_to_five(count: int) -> None:
    with pytest.raises(AnswerError, match="GBO takes 1 to 5 goal ratings"):
        score(definition("GBO"), [5] * count)


# Impossible answers --------------------------------------------------------------------------

def test_out_of_range_names_item_and_allowed_values() -> None:
    with pytest.raises(AnswerError) as err:
        score(definition("PHQ-9"), [0, 0, 4, 0, 0, 0, 0, 0, 0])
    assert str(err.value) == ("item 3 (Sleep): 4 is not allowed; allowed values are 0 to 3, "
                              "or - for missing")


def test_wrong_count() -> None:
    with pytest.raises(AnswerError, match="GAD-7 has 7 items; 6 answers given"):
        score(definition("GAD-7"), [0] * 6)


def test_every_bad_item_is_reported() -> None:
    with pytest.raises(AnswerError) as err:
        score(definition("GAD-7"), [9, 0, -1, 0, 0, 0, 0])
    assert [p.item for p in err.value.problems] == [1, 3]


# Risk ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("item9", "risk"), [(0, False), (1, True), (3, True), (None, False)])
@pytest.mark.safety
def test_phq9_item9_raises_risk(item9: int | None, risk: bool) -> None:
    result = score(definition("PHQ-9"), [0] * 8 + [item9])
    assert result.risk is risk
    if risk:
        assert "item 9" in result.risk_messages[0]


@pytest.mark.safety
def test_risk_is_raised_even_when_the_form_is_incomplete() -> None:
    result = score(definition("PHQ-9"), [None] * 8 + [2])
    assert not result.valid and result.risk


def test_json_shape_of_the_issue() -> None:
    d = definition("PHQ-9")
    data = score(d, [1, 2, 0, 3, 1, 0, 2, 1, 0]).as_json(d)
    assert data == {"measure": "PHQ-9", "total": 10, "band": "moderate", "caseness": True,
                    "valid": True, "errors": []}
