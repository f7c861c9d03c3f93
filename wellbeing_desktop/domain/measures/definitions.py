"""Measure definitions as data: parsed from `resources/measures/*.json`, checked against the
JSON schema and then for meaning (bands cover every total, options in range, rules that fit
the scoring). A bad file is reported by file and field and is not loaded; the others still are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from wellbeing_desktop.domain.measures.checks import check_meaning
from wellbeing_desktop.domain.measures.schema import validate

SCHEMA_FILE = "schema.json"
NOT_APPLICABLE = "NA"


@dataclass(frozen=True)
class Option:
    value: int
    label: str


@dataclass(frozen=True)
class Band:
    min: float
    max: float
    label: str
    level: int = 0

    def contains(self, value: float) -> bool:
        return self.min <= value <= self.max


@dataclass(frozen=True)
class Needs:
    """An item answered only when another item has a given answer (cigarettes a day: only
    for a current smoker)."""

    item: str
    value: int


@dataclass(frozen=True)
class Item:
    key: str
    text: str
    short: str
    options: tuple[Option, ...]
    not_applicable_allowed: bool = False
    bands: tuple[Band, ...] = ()
    kind: str = "choice"  # "choice" (one of the options) | "number" (a measured amount)
    min: float = 0
    max: float = 0
    decimals: int = 0
    unit: str = ""
    higher_is: str | None = None  # None: the measure's direction
    chart: bool = True
    needs: Needs | None = None

    @property
    def values(self) -> tuple[int, ...]:
        return tuple(o.value for o in self.options)

    @property
    def is_number(self) -> bool:
        return self.kind == "number"

    def allows(self, value: float) -> bool:
        """Whether `value` is a possible answer (an option, or a number in range)."""
        if not self.is_number:
            return isinstance(value, int) and value in self.values
        if not self.min <= value <= self.max:
            return False
        return Decimal(str(value)) == Decimal(str(value)).quantize(
            Decimal(1).scaleb(-self.decimals))

    def option_label(self, value: object) -> str:
        return next((o.label for o in self.options if o.value == value), "")

    def band_for(self, value: float) -> Band | None:
        return next((b for b in self.bands if b.contains(value)), None)


@dataclass(frozen=True)
class RiskItem:
    item: str
    above: float
    message: str


@dataclass(frozen=True)
class FollowUp:
    """A longer measure offered when the total reaches `at_least` (AUDIT-C → AUDIT)."""

    measure: str
    at_least: float
    message: str


@dataclass(frozen=True)
class MeasureDefinition:
    id: str
    title: str
    short_title: str
    instructions: str
    order: int
    items: tuple[Item, ...]
    method: str  # "sum" | "mean" | "items"
    min_total: float
    max_total: float
    decimals: int
    bands: tuple[Band, ...]
    caseness_at_least: float | None
    reliable_change_index: float | None
    missing_rule: str  # "complete" | "prorate" | "each_item"
    max_missing: int
    missing_note: str
    risk_items: tuple[RiskItem, ...]
    higher_is: str
    licence: str
    source: str
    repeat_min: int = 0
    repeat_max: int = 0
    repeat_label: str = ""
    codes: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)
    file: str = ""
    area: str = "mental"  # "mental" | "physical" | "person"
    inputs: tuple[str, ...] = ()  # "bmi": the weight (kg) and height (cm) items
    consent_item: str | None = None
    consent_message: str = ""
    follow_up: FollowUp | None = None

    @property
    def has_total(self) -> bool:
        return self.method != "items"

    def direction(self, item: Item | None = None) -> str:
        """Which way is better for an item (or the total): "worse" means higher is worse."""
        if item is not None and item.higher_is:
            return item.higher_is
        return self.higher_is

    def offers_follow_up(self, total: float | None) -> bool:
        return (self.follow_up is not None and total is not None
                and total >= self.follow_up.at_least)

    @property
    def repeats(self) -> bool:
        return self.repeat_max > 0

    def items_for(self, count: int | None = None) -> tuple[Item, ...]:
        """The items to answer; a repeating measure (goals) is its template `count` times."""
        if not self.repeats:
            return self.items
        n = self.repeat_min if count is None else count
        template = self.items[0]
        return tuple(replace(template, key=f"{template.key}_{i}",
                             short=f"{self.repeat_label} {i}") for i in range(1, n + 1))

    def band_for(self, total: float) -> Band | None:
        return next((b for b in self.bands if b.contains(total)), None)

    def is_case(self, total: float) -> bool | None:
        if self.caseness_at_least is None:
            return None
        return total >= self.caseness_at_least


@dataclass(frozen=True)
class DefinitionProblem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


@dataclass
class LoadResult:
    definitions: dict[str, MeasureDefinition]
    problems: list[DefinitionProblem]

    def find(self, name: str) -> MeasureDefinition | None:
        wanted = normalise_id(name)
        return next((d for d in self.definitions.values() if normalise_id(d.id) == wanted), None)

    def ordered(self) -> list[MeasureDefinition]:
        return sorted(self.definitions.values(), key=lambda d: (d.order, d.id))


def normalise_id(name: str) -> str:
    """"PHQ-9", "phq9" and "Phq 9" name the same measure."""
    return re.sub(r"[^A-Z0-9]", "", name.upper())


def _options(raw: Iterable[Mapping[str, Any]]) -> tuple[Option, ...]:
    return tuple(Option(int(o["value"]), str(o["label"])) for o in raw)


def _bands(raw: Iterable[Mapping[str, Any]]) -> tuple[Band, ...]:
    return tuple(Band(b["min"], b["max"], b["label"], int(b.get("level", 0))) for b in raw)


def parse_definition(data: Any, schema: dict[str, Any], file: str) -> MeasureDefinition:
    """Check `data` and build the definition; raise `InvalidDefinition` with every problem."""
    found = validate(data, schema)
    if not found:
        found = check_meaning(data)
    if found:
        raise InvalidDefinition([DefinitionProblem(file, f, m) for f, m in found])
    scoring = data["scoring"]
    shared = data.get("options")
    items = tuple(
        Item(
            key=item["key"],
            text=item["text"],
            short=item.get("short", item["text"]),
            options=() if item.get("kind") == "number" else _options(
                item.get("options", shared) or ()),
            not_applicable_allowed=bool(item.get("not_applicable_allowed", False)),
            bands=_bands(item.get("bands", [])),
            kind=item.get("kind", "choice"),
            min=item.get("min", 0),
            max=item.get("max", 0),
            decimals=int(item.get("decimals", 0)),
            unit=item.get("unit", ""),
            higher_is=item.get("higher_is"),
            chart=bool(item.get("chart", True)),
            needs=Needs(item["needs"]["item"], int(item["needs"]["value"]))
            if item.get("needs") else None,
        )
        for item in data["items"]
    )
    consent = data.get("consent") or {}
    follow = data.get("follow_up")
    repeat = data.get("repeat") or {}
    caseness = data.get("caseness")
    rci = data.get("reliable_change")
    return MeasureDefinition(
        id=data["id"],
        title=data["title"],
        short_title=data.get("short_title", data["id"]),
        instructions=data.get("instructions", ""),
        order=int(data.get("order", 100)),
        items=items,
        method=scoring["method"],
        min_total=scoring.get("min", 0),
        max_total=scoring.get("max", 0),
        decimals=int(scoring.get("decimals", 0)),
        bands=_bands(data.get("bands", [])),
        caseness_at_least=caseness["at_least"] if caseness else None,
        reliable_change_index=rci["index"] if rci else None,
        missing_rule=data["missing"]["rule"],
        max_missing=int(data["missing"].get("max_missing", 0)),
        missing_note=data["missing"].get("note", ""),
        risk_items=tuple(RiskItem(r["item"], r["above"], r["message"])
                         for r in data.get("risk_items", [])),
        higher_is=data.get("higher_is", "worse"),
        licence=data["licence"],
        source=data.get("source", ""),
        repeat_min=int(repeat.get("min", 0)),
        repeat_max=int(repeat.get("max", 0)),
        repeat_label=repeat.get("label", ""),
        codes=dict(data.get("codes", {})),
        file=file,
        area=data.get("area", "mental"),
        inputs=tuple(scoring.get("inputs", ())),
        consent_item=consent.get("item"),
        consent_message=consent.get("message", ""),
        follow_up=FollowUp(follow["measure"], follow["at_least"], follow["message"])
        if follow else None,
    )


class InvalidDefinition(Exception):
    def __init__(self, problems: list[DefinitionProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def load_schema(directory: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((directory / SCHEMA_FILE).read_text(encoding="utf-8"))
    return schema


def load_definitions(directory: Path, schema: dict[str, Any] | None = None) -> LoadResult:
    """Load every `*.json` definition in `directory` (except the schema)."""
    if schema is None:
        schema = load_schema(directory)
    result = LoadResult({}, [])
    for path in sorted(directory.glob("*.json")):
        if path.name == SCHEMA_FILE:
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            result.problems.append(DefinitionProblem(
                path.name, "", f"is not valid JSON (line {exc.lineno}, column {exc.colno})"))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            result.problems.append(DefinitionProblem(path.name, "", f"cannot be read ({exc})"))
            continue
        try:
            definition = parse_definition(data, schema, path.name)
        except InvalidDefinition as exc:
            result.problems.extend(exc.problems)
            continue
        clash = result.find(definition.id)
        if clash is not None:
            result.problems.append(DefinitionProblem(
                path.name, "id", f"{definition.id!r} is already defined in {clash.file}"))
            continue
        result.definitions[definition.id] = definition
    return result
