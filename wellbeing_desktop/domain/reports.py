"""Team figures from plain numbers: waiting-time percentiles and NHS Talking Therapies rates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The nearest-rank percentile (what a team reads as "9 in 10 waited this or less")."""
    if not values:
        return None
    if not 0 < fraction <= 1:
        raise ValueError("fraction must be in (0, 1]")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil without floats drifting
    return ordered[int(rank) - 1]


@dataclass(frozen=True)
class Wait:
    counted: int
    median: float | None
    p90: float | None


def waits(days: Iterable[int]) -> Wait:
    values = [float(d) for d in days if d >= 0]
    return Wait(len(values), percentile(values, 0.5), percentile(values, 0.9))


@dataclass(frozen=True)
class EpisodeFlags:
    """One ended episode's paired outcome, as far as it is known."""

    finished_course: bool
    case_at_start: bool
    recovered: bool
    reliable_improvement: bool
    reliable_deterioration: bool
    reliable_recovery: bool


@dataclass(frozen=True)
class OutcomeRates:
    """NHS Talking Therapies definitions: recovery is counted among people who finished a
    course (two or more attended contacts) and were a case at the start; reliable improvement
    and deterioration among everyone who finished a course."""

    ended_with_scores: int
    finished_course: int
    case_at_start: int
    recovered: int
    reliable_improvement: int
    reliable_deterioration: int
    reliable_recovery: int

    @property
    def recovery_rate(self) -> float | None:
        return self.recovered / self.case_at_start if self.case_at_start else None

    @property
    def reliable_recovery_rate(self) -> float | None:
        return self.reliable_recovery / self.case_at_start if self.case_at_start else None

    @property
    def reliable_improvement_rate(self) -> float | None:
        return self.reliable_improvement / self.finished_course if self.finished_course else None

    @property
    def reliable_deterioration_rate(self) -> float | None:
        return (self.reliable_deterioration / self.finished_course
                if self.finished_course else None)


def outcome_rates(episodes: Iterable[EpisodeFlags]) -> OutcomeRates:
    items = list(episodes)
    finished = [e for e in items if e.finished_course]
    cases = [e for e in finished if e.case_at_start]
    return OutcomeRates(
        ended_with_scores=len(items),
        finished_course=len(finished),
        case_at_start=len(cases),
        recovered=sum(e.recovered for e in cases),
        reliable_improvement=sum(e.reliable_improvement for e in finished),
        reliable_deterioration=sum(e.reliable_deterioration for e in finished),
        reliable_recovery=sum(e.reliable_recovery for e in cases),
    )
