"""Scoring one administration: total, band, caseness, validity under the missing-item rule,
per-item bands (ONS4) and risk items (PHQ-9 item 9)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from wellbeing_desktop.domain.measures.definitions import NOT_APPLICABLE, Item, MeasureDefinition

# An answer: an option's value, a measured amount (kg, hours), "NA" (not applicable) or None
# (missing).
Answer = int | float | str | None


@dataclass(frozen=True)
class AnswerProblem:
    item: int | None  # 1-based item number; None for the whole form (wrong count)
    message: str

    def __str__(self) -> str:
        return self.message


class AnswerError(ValueError):
    """Answers that are not possible for this measure (as opposed to merely missing)."""

    def __init__(self, problems: list[AnswerProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(p.message for p in problems))


@dataclass(frozen=True)
class ItemResult:
    number: int
    key: str
    label: str
    value: Answer
    band: str | None = None
    band_level: int | None = None


@dataclass(frozen=True)
class Score:
    measure_id: str
    total: int | float | None
    band: str | None
    band_level: int | None
    caseness: bool | None
    valid: bool
    errors: tuple[str, ...]
    items: tuple[ItemResult, ...]
    unanswered: tuple[int, ...]  # 1-based numbers of items with no answer (not "NA")
    risk_messages: tuple[str, ...] = ()
    prorated: bool = False

    @property
    def complete(self) -> bool:
        return not self.unanswered

    @property
    def risk(self) -> bool:
        return bool(self.risk_messages)

    def as_json(self, definition: MeasureDefinition) -> dict[str, object]:
        """The `wellbeing score --json` shape (issue 4)."""
        data: dict[str, object] = {
            "measure": self.measure_id,
            "total": self.total if self.valid else None,
            "band": self.band,
            "caseness": self.caseness,
            "valid": self.valid,
            "errors": list(self.errors),
        }
        if not definition.has_total or definition.repeats:
            data["items"] = [
                {"item": r.number, "key": r.key, "label": r.label, "value": r.value,
                 "band": r.band}
                for r in self.items
            ]
        if self.risk_messages:
            data["risk"] = list(self.risk_messages)
        return data


def _is_number(answer: Answer) -> bool:
    return isinstance(answer, int | float) and not isinstance(answer, bool)


def describe_allowed(item: Item) -> str:
    if item.is_number:
        step = "" if item.decimals == 0 else f" (up to {item.decimals} decimal place" \
            f"{'s' if item.decimals > 1 else ''})"
        whole = " whole" if item.decimals == 0 else ""
        unit = f" {item.unit}" if item.unit else ""
        return (f"a{whole} number from {item.min:g} to {item.max:g}{unit}{step}, "
                "or - for missing")
    values = sorted(item.values)
    if values == list(range(values[0], values[-1] + 1)) and len(values) > 2:
        text = f"{values[0]} to {values[-1]}"
    else:
        text = ", ".join(str(v) for v in values)
    extra = ", NA (not applicable)" if item.not_applicable_allowed else ""
    return f"{text}{extra}, or - for missing"


def parse_answer(raw: str) -> Answer:
    """Command-line spelling: a number, `NA` for not applicable, `-` for missing."""
    text = raw.strip()
    if text in ("-", ""):
        return None
    if text.upper() in (NOT_APPLICABLE, "N/A"):
        return NOT_APPLICABLE
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return text  # reported by `check_answers` as not allowed
    return value if value == value and abs(value) != float("inf") else text


def check_answers(definition: MeasureDefinition, answers: Sequence[Answer]) -> tuple[Item, ...]:
    """The items answered; raise `AnswerError` naming each impossible answer."""
    count = len(answers)
    if definition.repeats:
        if not definition.repeat_min <= count <= definition.repeat_max:
            raise AnswerError([AnswerProblem(None, (
                f"{definition.id} takes {definition.repeat_min} to {definition.repeat_max} "
                f"{definition.repeat_label.lower()} ratings; {count} given"))])
    elif count != len(definition.items):
        raise AnswerError([AnswerProblem(None, (
            f"{definition.id} has {len(definition.items)} items; {count} "
            f"answer{'s' if count != 1 else ''} given"))])
    items = definition.items_for(count)
    problems: list[AnswerProblem] = []
    for number, (item, answer) in enumerate(zip(items, answers, strict=True), start=1):
        if answer is None:
            continue
        if answer == NOT_APPLICABLE and item.not_applicable_allowed:
            continue
        if not _is_number(answer) or not item.allows(answer):  # type: ignore[arg-type]
            shown = answer if answer != NOT_APPLICABLE else "NA (not applicable)"
            allowed = describe_allowed(item)
            problems.append(AnswerProblem(number, (
                f"item {number} ({item.short}): {shown} is not allowed; allowed"
                f"{':' if item.is_number else ' values are'} {allowed}")))
    if not problems:
        problems = _conditions(definition, items, answers)
    if problems:
        raise AnswerError(problems)
    return items


def _conditions(definition: MeasureDefinition, items: Sequence[Item],
                answers: Sequence[Answer]) -> list[AnswerProblem]:
    """Items answered when they should not be: without consent, or when another answer
    makes them not apply (cigarettes a day for someone who never smoked)."""
    by_key = {item.key: (number, item, answer) for number, (item, answer)
              in enumerate(zip(items, answers, strict=True), start=1)}
    problems: list[AnswerProblem] = []
    consent = by_key.get(definition.consent_item or "")
    if consent is not None and consent[2] != 1:
        for number, item, answer in by_key.values():
            if item.key != definition.consent_item and answer is not None:
                problems.append(AnswerProblem(number, (
                    f"item {number} ({item.short}): cannot be recorded unless item "
                    f"{consent[0]} ({consent[1].short}) is 1 (yes)")))
        return problems
    for number, item, answer in by_key.values():
        if item.needs is None or answer is None or item.needs.item not in by_key:
            continue
        other_number, other, other_answer = by_key[item.needs.item]
        if other_answer != item.needs.value:
            label = other.option_label(item.needs.value)
            problems.append(AnswerProblem(number, (
                f"item {number} ({item.short}): only answered when item {other_number} "
                f"({other.short}) is {item.needs.value}{f' ({label})' if label else ''}")))
    return problems


def _round(value: float, decimals: int) -> int | float:
    quantum = Decimal(1).scaleb(-decimals)
    rounded = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return int(rounded) if decimals == 0 else float(rounded)


def _numbers(values: Sequence[int]) -> str:
    words = [str(v) for v in values]
    if len(words) == 1:
        return f"item {words[0]} is"
    return f"items {', '.join(words[:-1])} and {words[-1]} are"


def _declined(definition: MeasureDefinition, items: Sequence[Item],
              answers: Sequence[Answer]) -> bool:
    if definition.consent_item is None:
        return False
    return any(item.key == definition.consent_item and answer == 0
               for item, answer in zip(items, answers, strict=True))


def _bmi(definition: MeasureDefinition, items: Sequence[Item],
         answers: Sequence[Answer]) -> float | None:
    """Body mass index: weight (kg) / height (m) squared, when both were measured."""
    given = {item.key: answer for item, answer in zip(items, answers, strict=True)}
    weight, height = (given.get(key) for key in definition.inputs[:2])
    if not _is_number(weight) or not _is_number(height) or not height:
        return None
    value = float(weight) / (float(height) / 100) ** 2  # type: ignore[arg-type]
    value = min(max(value, definition.min_total), definition.max_total)
    return float(_round(value, definition.decimals))


def score(definition: MeasureDefinition, answers: Sequence[Answer]) -> Score:
    """Score `answers` (in item order). Impossible answers raise `AnswerError`; missing ones
    make the result invalid when the measure's missing-item rule says so."""
    items = check_answers(definition, answers)
    unanswered = tuple(n for n, a in enumerate(answers, start=1) if a is None)
    not_applicable = tuple(n for n, a in enumerate(answers, start=1) if a == NOT_APPLICABLE)
    numbers: list[int | float] = [a for a in answers if isinstance(a, int | float)
                                  and not isinstance(a, bool)]
    results: list[ItemResult] = []
    for number, (item, answer) in enumerate(zip(items, answers, strict=True), start=1):
        band = item.band_for(answer) if _is_number(answer) else None  # type: ignore[arg-type]
        results.append(ItemResult(number, item.key, item.short, answer,
                                  band.label if band else None, band.level if band else None))
    errors: list[str] = []
    total: int | float | None = None
    prorated = False
    rule = definition.missing_rule
    if rule == "complete":
        if unanswered:
            errors.append(f"{_numbers(unanswered)} unanswered; {definition.id} needs every item")
        else:
            total = sum(numbers)
    elif rule == "prorate":
        gaps = len(unanswered) + len(not_applicable)
        if gaps > definition.max_missing:
            errors.append(
                f"{gaps} items are missing or not applicable; {definition.id} allows at most "
                f"{definition.max_missing}")
        elif gaps:
            total = _round(sum(numbers) * len(items) / len(numbers), 0)
            prorated = True
        else:
            total = sum(numbers)
    elif not numbers:  # each_item
        errors.append(f"nothing is answered; {definition.id} needs at least one answer")
    elif _declined(definition, items, answers):
        errors.append(definition.consent_message)
    elif definition.method == "mean":
        total = _round(sum(numbers) / len(numbers), definition.decimals)
    elif definition.method == "bmi":
        total = _bmi(definition, items, answers)
    valid = not errors
    band = definition.band_for(total) if total is not None else None
    risk = tuple(
        risk.message
        for risk in definition.risk_items
        for item, answer in zip(items, answers, strict=True)
        if item.key == risk.item and isinstance(answer, int) and answer > risk.above
    )
    return Score(
        measure_id=definition.id,
        total=total,
        band=band.label if band else None,
        band_level=band.level if band else None,
        caseness=definition.is_case(total) if total is not None else None,
        valid=valid,
        errors=tuple(errors),
        items=tuple(results),
        unanswered=unanswered,
        risk_messages=risk,
        prorated=prorated,
    )
