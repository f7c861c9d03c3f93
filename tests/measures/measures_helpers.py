"""Helpers shared by the measures tests."""

from __future__ import annotations

from wellbeing_desktop.domain.measures import MeasureDefinition
from wellbeing_desktop.domain.measures.registry import shipped


def definition(name: str) -> MeasureDefinition:
    found = shipped().find(name)
    assert found is not None
    return found


def answers_for(name: str, total: int) -> list[int]:
    """Answers (in item order) that add up to `total`, filling items from the first."""
    d = definition(name)
    top = max(d.items[0].values)
    out = []
    for _ in d.items:
        take = min(top, total)
        out.append(take)
        total -= take
    assert total == 0, "total out of range"
    return out
