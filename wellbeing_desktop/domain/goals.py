"""SMART goals: what makes a goal complete enough to save, and how its progress reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MAX_ACTIVE = 5
RATING_MIN, RATING_MAX = 0, 10
REVIEW_EVERY_DAYS = 28


def review_due(set_on: date, last_review: date | None, by_when: date | None) -> date:
    """A goal is reviewed every four weeks (from its last review, or from when it was set),
    and at the latest on its own "by when" date."""
    due = (last_review or set_on) + timedelta(days=REVIEW_EVERY_DAYS)
    return min(due, by_when) if by_when is not None else due


@dataclass(frozen=True)
class GoalDraft:
    what: str
    why: str
    steps: str
    measure_of_success: str
    by_when: date | None
    domain: str


def problems(goal: GoalDraft, *, today: date, known_domains: frozenset[str]) -> list[tuple[str, str]]:
    """(field, message) for each SMART part that is missing or wrong."""
    out: list[tuple[str, str]] = []
    if not goal.what.strip():
        out.append(("what", "say what the person wants to do (Specific)"))
    elif len(goal.what.strip()) < 5:
        out.append(("what", "describe the goal in a few words"))
    if not goal.measure_of_success.strip():
        out.append(("measure_of_success", "say how you will both know it is done (Measurable)"))
    if goal.by_when is None:
        out.append(("by_when", "choose a date to aim for (Time-bound)"))
    elif goal.by_when < today:
        out.append(("by_when", "the date to aim for has already passed"))
    if goal.domain and goal.domain not in known_domains:
        out.append(("domain", "choose an area from the list"))
    return out


def rating_problem(rating: int) -> str | None:
    if not RATING_MIN <= rating <= RATING_MAX:
        return f"must be between {RATING_MIN} and {RATING_MAX}"
    return None


def trend(ratings: list[int]) -> str:
    """"up", "down", "steady" or "" (fewer than two reviews), first vs latest."""
    if len(ratings) < 2:
        return ""
    if ratings[-1] > ratings[0]:
        return "up"
    if ratings[-1] < ratings[0]:
        return "down"
    return "steady"
