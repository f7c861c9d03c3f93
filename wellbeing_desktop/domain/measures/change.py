"""Change over an episode, first against last, for any measure: the total where there is one
(AUDIT-C, BMI), otherwise each item that can be compared (hours of sleep, active days,
smoking status). Which way is better comes from the definition (per item where it says)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import chain
from typing import cast

from wellbeing_desktop.domain.measures.definitions import Band, Item, MeasureDefinition
from wellbeing_desktop.domain.measures.scoring import Answer


@dataclass(frozen=True)
class Taken:
    """One valid administration, as the change needs it."""

    on: date
    answers: tuple[Answer, ...]
    total: float | None


@dataclass(frozen=True)
class Change:
    measure_id: str
    key: str | None  # None for the total
    label: str
    first: float
    last: float
    first_text: str
    last_text: str
    first_on: date
    last_on: date
    direction: str  # "better" | "worse" | "same"

    @property
    def difference(self) -> float:
        return self.last - self.first

    def as_json(self) -> dict[str, object]:
        return {"measure": self.measure_id, "item": self.key, "label": self.label,
                "first": self.first, "last": self.last, "first_on": self.first_on.isoformat(),
                "last_on": self.last_on.isoformat(), "direction": self.direction}


def _number(value: Answer) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _direction(first: float, last: float, higher_is: str) -> str:
    if first == last:
        return "same"
    return "better" if (last > first) == (higher_is == "better") else "worse"


def describe(definition: MeasureDefinition, item: Item | None, value: float) -> str:
    """`7.5 hours (7 to 9 hours …)`, `Current smoker`, `6 (increasing or higher risk …)`."""
    if item is None:
        band = definition.band_for(value)
        return f"{value:g}" + (f", {band.label}" if band else "")
    label = item.option_label(int(value)) if not item.is_number else ""
    if label:
        return label
    text = f"{value:g}" + (f" {item.unit}" if item.unit else "")
    band = item.band_for(value)
    return text + (f", {band.label}" if band else "")


@cache  # bands are frozen tuples; reports ask this once per person and item
def _middle_is_best(bands: tuple[Band, ...]) -> bool:
    # A middle band can be the best (sleep 7–9 hours, a healthy BMI): then judge by band
    # level (lower is better), not by which way the number moved.
    levels = [b.level for b in sorted(bands, key=lambda b: b.min)]
    return bool(levels) and levels != sorted(levels) and levels != sorted(levels, reverse=True)


def _by_level(bands: Sequence[Band], first: float, last: float) -> str:
    fb = next((b for b in bands if b.contains(first)), None)
    lb = next((b for b in bands if b.contains(last)), None)
    if fb is None or lb is None or fb.level == lb.level:
        return "same"
    return "better" if lb.level < fb.level else "worse"


# One compared total or item: (item or None for the total, label, first administration and
# value, last administration and value, direction).
_Compared = tuple[Item | None, str, Taken, float, Taken, float, str]


def _compare(definition: MeasureDefinition, taken: Sequence[Taken]) -> list[_Compared]:
    """The rule: first against last of `taken` (oldest first, valid ones only)."""
    if len(taken) < 2:
        return []
    out: list[_Compared] = []
    totals = [t for t in taken if t.total is not None]
    total_direction = "same"
    if definition.has_total and len(totals) >= 2:
        a, b = totals[0], totals[-1]
        assert a.total is not None and b.total is not None
        total_direction = (_by_level(definition.bands, a.total, b.total)
                           if _middle_is_best(definition.bands)
                           else _direction(a.total, b.total, definition.higher_is))
        out.append((None, definition.short_title, a, a.total, b, b.total, total_direction))
    if definition.has_total and not definition.inputs:
        return out
    for index, item in enumerate(definition.items):
        if item.key == definition.consent_item or item.key in definition.inputs[1:]:
            continue  # "agrees" and height are not outcomes
        answered = [(t, _number(t.answers[index])) for t in taken if index < len(t.answers)]
        answered = [(t, v) for t, v in answered if v is not None]
        if len(answered) < 2:
            continue
        (a, first), (b, last) = answered[0], answered[-1]
        assert first is not None and last is not None
        if item.key in definition.inputs:  # weight moves the way the BMI moved
            direction = total_direction if first != last else "same"
        elif _middle_is_best(item.bands):
            direction = _by_level(item.bands, first, last)
        else:
            direction = _direction(first, last, definition.direction(item))
        out.append((item, f"{definition.short_title}: {item.short}", a, first, b, last,
                    direction))
    return out


def changes(definition: MeasureDefinition, taken: Sequence[Taken]) -> list[Change]:
    """First against last of `taken` (oldest first, valid ones only); empty with fewer than 2."""
    return [Change(definition.id, item.key if item else None, label, first, last,
                   describe(definition, item, first), describe(definition, item, last),
                   a.on, b.on, direction)
            for item, label, a, first, b, last, direction in _compare(definition, taken)]


@dataclass(frozen=True)
class ChangeCount:
    """How many people moved which way on one measure's total or item, first against last."""

    measure_id: str
    key: str | None  # None for the total
    label: str
    people: int      # measured twice or more (on this total or item)
    better: int
    same: int
    worse: int


def change_counts(definitions: Mapping[str, MeasureDefinition],
                  series: Iterable[tuple[str, Sequence[Taken]]],
                  weighted: Iterable[tuple[str, Sequence[Taken], int]] = ()) -> list[ChangeCount]:
    """Counts of `changes` over people: `series` gives, per person and measure, the measure id
    and that person's valid administrations oldest first; `weighted` the same for `n` people
    at once (who share the administrations that decide the change, e.g. the same first and
    last total). Measures not in `definitions` are skipped. Ordered as the definitions and
    their items are."""
    tally: dict[tuple[str, str | None], list[int]] = {}
    labels: dict[tuple[str, str | None], str] = {}
    # A measure judged on its total alone is judged by its first and last totals only: each
    # pair is judged once (the same rule, far fewer calls over many people).
    judged: dict[tuple[str, float, float], list[_Compared]] = {}
    for measure_id, taken, n in chain(((m, t, 1) for m, t in series), weighted):
        definition = definitions.get(measure_id)
        if definition is None:
            continue
        if definition.has_total and not definition.inputs:
            totals = [t for t in taken if t.total is not None]
            if len(totals) < 2:
                continue
            pair = (measure_id, cast(float, totals[0].total), cast(float, totals[-1].total))
            compared = judged.get(pair)
            if compared is None:
                compared = judged[pair] = _compare(definition, [totals[0], totals[-1]])
        else:
            compared = _compare(definition, taken)
        for item, label, *_values, direction in compared:
            key = (definition.id, item.key if item else None)
            labels[key] = label
            counts = tally.setdefault(key, [0, 0, 0])
            counts[("better", "same", "worse").index(direction)] += n
    order = {d.id: (d.order, d.id, [None, *(i.key for i in d.items)])
             for d in definitions.values()}

    def position(key: tuple[str, str | None]) -> tuple[int, str, int]:
        rank, name, items = order[key[0]]
        return rank, name, items.index(key[1]) if key[1] in items else len(items)

    return [ChangeCount(m, k, labels[(m, k)], sum(c), c[0], c[1], c[2])
            for (m, k), c in sorted(tally.items(), key=lambda kv: position(kv[0]))]
