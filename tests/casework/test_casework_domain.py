"""Pure rules: NHS number, postcode, nicknames, referral flow, SMART goals."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wellbeing_desktop.domain import casework, goals, nhs_number, nicknames, postcode


@pytest.mark.safety
def test_nhs_number_check_digit_and_display() -> None:
    assert nhs_number.is_valid("943 476 5919")
    assert nhs_number.is_valid("9434765919")
    assert not nhs_number.is_valid("9434765918")
    assert "10 digits" in (nhs_number.problem("94347659") or "")
    assert "digits only" in (nhs_number.problem("94347659AB") or "")
    assert nhs_number.display("9434765919") == "943 476 5919"


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
@pytest.mark.safety
def test_every_nine_digits_get_a_check_digit_or_none(body: str) -> None:
    check = nhs_number.check_digit(body)
    if check is None:
        assert not any(nhs_number.is_valid(body + str(d)) for d in range(10))
    else:
        valid = [d for d in range(10) if nhs_number.is_valid(body + str(d))]
        assert valid == [check]


def test_postcodes() -> None:
    for good in ("KM1 4AB", "km14ab", "SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT"):
        assert postcode.is_valid(good), good
    for bad in ("KM1", "12345", "KM1 4CI", "QQ1 1AA", "KM1 4A"):
        assert not postcode.is_valid(bad), bad
    assert postcode.normalise(" km1  4ab ") == "KM1 4AB"


def test_nicknames_accents_and_hyphens() -> None:
    assert nicknames.same_given_name("William", "bill")
    assert nicknames.same_given_name("Amelia", "Millie")
    assert nicknames.same_given_name("Zoë", "zoe")
    assert nicknames.same_given_name("Jonathon", "Jonathan")  # one letter apart
    assert not nicknames.same_given_name("Sam", "Tom")
    assert nicknames.same_family_name("Lloyd-Jones", "lloyd jones")
    assert nicknames.same_family_name("O'Brien", "OBrien")
    assert nicknames.same_family_name("Smith-Patel", "Patel")
    assert not nicknames.same_family_name("Smith", "Jones")


def test_referral_flow() -> None:
    assert casework.can_move("received", "contacted")
    assert not casework.can_move("received", "active")
    assert casework.can_move("discharged", "active")
    assert casework.waiting_days(date(2026, 1, 1), date(2026, 1, 11)) == 10
    assert casework.waiting_days(date(2026, 1, 1), None) is None


def test_smart_goal_problems() -> None:
    draft = goals.GoalDraft("Walk", "", "", "", None, "nonsense")
    fields = {f for f, _ in goals.problems(draft, today=date(2026, 1, 1),
                                             known_domains=frozenset({"sleep"}))}
    assert fields == {"what", "measure_of_success", "by_when", "domain"}
    good = goals.GoalDraft("Walk to the park three times a week", "More energy", "",
                           "Three walks a week for a month", date(2026, 3, 1), "sleep")
    assert goals.problems(good, today=date(2026, 1, 1), known_domains=frozenset({"sleep"})) == []
    assert goals.trend([2, 5, 7]) == "up"
    assert goals.trend([4]) == ""
