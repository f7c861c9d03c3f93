"""NHS Talking Therapies paired outcomes: the truth table (DESIGN §4)."""

from __future__ import annotations

import pytest

from wellbeing_desktop.domain.measures import (
    GAD7_RULE,
    PHQ9_RULE,
    finished_course,
    paired_outcome,
    rules_from,
)

# (phq first, last), (gad first, last) -> case first, case last, RI, RD, recovery, RR
TABLE = [
    # Case at start, reliable improvement on both, below caseness on both: reliable recovery.
    ((15, 5), (12, 4), True, False, True, False, True, True),
    # Improvement on PHQ-9 only (6), GAD-7 unchanged, still a case on GAD-7: improvement only.
    ((16, 10 - 0), (10, 10), True, True, True, False, False, False),
    # PHQ-9 falls by exactly 6 (reliable), GAD-7 by 3 (not): still reliable improvement.
    ((12, 6), (9, 6), True, False, True, False, True, True),
    # PHQ-9 falls by 5 only, GAD-7 by 3: below caseness (recovery) but not reliable.
    ((11, 6), (9, 6), True, False, False, False, True, False),
    # Improvement on one with deterioration on the other: neither.
    ((18, 10), (5, 9), True, True, False, False, False, False),
    ((18, 12), (4, 8), True, True, False, False, False, False),
    # Reliable deterioration on GAD-7 (exactly 4), PHQ-9 unchanged.
    ((8, 8), (6, 10), False, True, False, True, False, False),
    # Reliable deterioration on PHQ-9, GAD-7 improves by 3 (not reliable): deterioration.
    ((5, 11), (7, 4), False, True, False, True, False, False),
    # Not a case at first: no recovery even though below caseness at the end.
    ((9, 2), (7, 1), False, False, True, False, False, False),
    # Caseness on GAD-7 alone at the start (8), exactly at the cut-offs.
    ((9, 9), (8, 7), True, False, False, False, True, False),
    # No change at all, a case throughout.
    ((14, 14), (11, 11), True, True, False, False, False, False),
    # GAD-7 reliable improvement (4) while PHQ-9 rises by 5 (not reliable).
    ((4, 9), (12, 8), True, True, True, False, False, False),
]


@pytest.mark.parametrize(("phq", "gad", "cf", "cl", "ri", "rd", "rec", "rr"), TABLE)
@pytest.mark.safety
def test_truth_table(phq: tuple[int, int], gad: tuple[int, int], cf: bool, cl: bool, ri: bool,
                     rd: bool, rec: bool, rr: bool) -> None:
    out = paired_outcome(phq, gad)
    assert (out.caseness_first, out.caseness_last) == (cf, cl)
    assert (out.reliable_improvement, out.reliable_deterioration) == (ri, rd)
    assert out.no_reliable_change is (not ri and not rd)
    assert (out.recovery, out.reliable_recovery) == (rec, rr)


@pytest.mark.safety
def test_rules_come_from_the_definitions(defs: object) -> None:
    phq, gad = rules_from(defs)  # type: ignore[arg-type]
    assert (phq.cutoff, phq.rci, phq.maximum) == (10, 6, 27)
    assert (gad.cutoff, gad.rci, gad.maximum) == (8, 4, 21)
    assert (phq, gad) == (PHQ9_RULE, GAD7_RULE)


@pytest.mark.parametrize(("attended", "finished"), [(None, None), (0, False), (1, False),
                                                     (2, True), (7, True)])
@pytest.mark.safety
def test_course_finished_needs_two_attended_contacts(attended: int | None,
                                                     finished: bool | None) -> None:
    assert finished_course(attended) is finished
    assert paired_outcome((15, 5), (12, 4), attended_contacts=attended).finished_course is finished


@pytest.mark.parametrize(("phq", "gad"), [((28, 3), (5, 5)), ((3, 3), (5, 22)), ((-1, 0), (0, 0))])
@pytest.mark.safety
def test_scores_out_of_range_are_refused(phq: tuple[int, int], gad: tuple[int, int]) -> None:
    with pytest.raises(ValueError, match="outside"):
        paired_outcome(phq, gad)


def test_json_keys_of_the_issue() -> None:
    data = paired_outcome((15, 5), (12, 4)).as_json()
    for key in ("caseness_first", "caseness_last", "reliable_improvement",
                "reliable_deterioration", "recovery", "reliable_recovery"):
        assert isinstance(data[key], bool)
