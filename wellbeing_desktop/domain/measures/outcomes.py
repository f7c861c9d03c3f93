"""NHS Talking Therapies paired outcomes: first against last PHQ-9 and GAD-7 of an episode.

- caseness: PHQ-9 ≥ 10 or GAD-7 ≥ 8 (cut-offs from the definitions);
- reliable improvement: a fall of at least the reliable change index (PHQ-9 6, GAD-7 4) on at
  least one measure, with no reliable rise on the other;
- reliable deterioration: a reliable rise on either, without reliable improvement on the other;
- no reliable change: neither (a reliable fall on one with a reliable rise on the other is
  neither improvement nor deterioration);
- recovery: a case at the first score and below caseness on both at the last;
- reliable recovery: recovery and reliable improvement;
- a finished course of treatment: at least two attended contacts.
"""

from __future__ import annotations

from dataclasses import dataclass

from wellbeing_desktop.domain.measures.definitions import LoadResult

COURSE_MINIMUM_CONTACTS = 2


@dataclass(frozen=True)
class PairRule:
    """Caseness cut-off (score at or above is a case) and reliable change index of a measure."""

    measure_id: str
    cutoff: float
    rci: float
    maximum: float

    def case(self, score: float) -> bool:
        return score >= self.cutoff

    def improved(self, first: float, last: float) -> bool:
        return first - last >= self.rci

    def deteriorated(self, first: float, last: float) -> bool:
        return last - first >= self.rci


PHQ9_RULE = PairRule("PHQ-9", 10, 6, 27)
GAD7_RULE = PairRule("GAD-7", 8, 4, 21)


def rules_from(definitions: LoadResult) -> tuple[PairRule, PairRule]:
    """The PHQ-9 and GAD-7 rules as the loaded definitions state them."""
    rules = []
    for fallback in (PHQ9_RULE, GAD7_RULE):
        found = definitions.find(fallback.measure_id)
        if (found is None or found.caseness_at_least is None
                or found.reliable_change_index is None):
            rules.append(fallback)
        else:
            rules.append(PairRule(found.id, found.caseness_at_least,
                                  found.reliable_change_index, found.max_total))
    return rules[0], rules[1]


def finished_course(attended_contacts: int | None,
                    minimum: int = COURSE_MINIMUM_CONTACTS) -> bool | None:
    """At least `minimum` attended contacts; None when the count is not known."""
    if attended_contacts is None:
        return None
    return attended_contacts >= minimum


@dataclass(frozen=True)
class PairedOutcome:
    phq9_first: float
    phq9_last: float
    gad7_first: float
    gad7_last: float
    caseness_first: bool
    caseness_last: bool
    reliable_improvement: bool
    reliable_deterioration: bool
    no_reliable_change: bool
    recovery: bool
    reliable_recovery: bool
    attended_contacts: int | None = None
    finished_course: bool | None = None

    def as_json(self) -> dict[str, object]:
        """The `wellbeing outcome --json` shape (issue 4), plus the extra flags."""
        return {
            "caseness_first": self.caseness_first,
            "caseness_last": self.caseness_last,
            "reliable_improvement": self.reliable_improvement,
            "reliable_deterioration": self.reliable_deterioration,
            "no_reliable_change": self.no_reliable_change,
            "recovery": self.recovery,
            "reliable_recovery": self.reliable_recovery,
            "finished_course": self.finished_course,
            "phq9": [self.phq9_first, self.phq9_last],
            "gad7": [self.gad7_first, self.gad7_last],
        }

    def summary(self) -> str:
        if self.reliable_recovery:
            return "reliable recovery"
        if self.recovery:
            return "recovered (change not reliable)"
        if self.reliable_improvement:
            return "reliable improvement"
        if self.reliable_deterioration:
            return "reliable deterioration"
        return "no reliable change"


def paired_outcome(
    phq9: tuple[float, float],
    gad7: tuple[float, float],
    *,
    phq9_rule: PairRule = PHQ9_RULE,
    gad7_rule: PairRule = GAD7_RULE,
    attended_contacts: int | None = None,
) -> PairedOutcome:
    """Flags for one episode from its first and last PHQ-9 and GAD-7 totals."""
    for rule, pair in ((phq9_rule, phq9), (gad7_rule, gad7)):
        for value in pair:
            if not 0 <= value <= rule.maximum:
                raise ValueError(f"{rule.measure_id} score {value} is outside 0 to {rule.maximum:g}")
    (p1, p2), (g1, g2) = phq9, gad7
    case_first = phq9_rule.case(p1) or gad7_rule.case(g1)
    case_last = phq9_rule.case(p2) or gad7_rule.case(g2)
    improved = (phq9_rule.improved(p1, p2), gad7_rule.improved(g1, g2))
    worse = (phq9_rule.deteriorated(p1, p2), gad7_rule.deteriorated(g1, g2))
    # "On at least one, with no reliable change the other way on the other."
    reliable_improvement = any(improved) and not any(worse)
    reliable_deterioration = any(worse) and not any(improved)
    recovery = case_first and not case_last
    return PairedOutcome(
        phq9_first=p1, phq9_last=p2, gad7_first=g1, gad7_last=g2,
        caseness_first=case_first,
        caseness_last=case_last,
        reliable_improvement=reliable_improvement,
        reliable_deterioration=reliable_deterioration,
        no_reliable_change=not reliable_improvement and not reliable_deterioration,
        recovery=recovery,
        reliable_recovery=recovery and reliable_improvement,
        attended_contacts=attended_contacts,
        finished_course=finished_course(attended_contacts),
    )
