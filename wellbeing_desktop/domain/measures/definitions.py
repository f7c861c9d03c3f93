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


def _grid(low: float, high: float, decimals: int) -> list[float]:
    step = Decimal(1).scaleb(-decimals)
    values: list[float] = []
    current = Decimal(str(low))
    end = Decimal(str(high))
    while current <= end and len(values) <= 100_000:
        values.append(float(current))
        current += step
    return values


def _coverage(bands: tuple[Band, ...], values: Iterable[float], where: str,
              problems: list[tuple[str, str]]) -> None:
    for value in values:
        hits = [b for b in bands if b.contains(value)]
        if len(hits) != 1:
            what = "no band" if not hits else f"{len(hits)} bands"
            problems.append((where, f"a score of {value:g} falls in {what}; bands must cover "
                                    "every possible score exactly once"))
            return


def _check_meaning(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    scoring = data["scoring"]
    method = scoring["method"]
    missing = data["missing"]
    rule = missing["rule"]
    keys = [item["key"] for item in data["items"]]
    for index, key in enumerate(keys):
        if keys.index(key) != index:
            problems.append((f"items[{index}].key", f"{key!r} is used by another item"))
    item_values: list[tuple[int, ...]] = []
    numbers = {item["key"] for item in data["items"] if item.get("kind") == "number"}
    for index, item in enumerate(data["items"]):
        if item.get("kind") == "number":
            _check_number(index, item, method, problems)
            item_values.append(())
            continue
        for name in ("min", "max", "decimals", "unit"):
            if name in item:
                problems.append((f"items[{index}].{name}", "is only for items of kind 'number'"))
        raw = item.get("options", data.get("options"))
        if raw is None:
            problems.append((f"items[{index}].options", "no options here or for the measure"))
            item_values.append(())
            continue
        values = tuple(int(o["value"]) for o in raw)
        if len(set(values)) != len(values):
            problems.append((f"items[{index}].options", "two options have the same value"))
        item_values.append(values)
        if item.get("not_applicable_allowed") and rule != "prorate":
            problems.append((f"items[{index}].not_applicable_allowed",
                             "'not applicable' needs the missing rule 'prorate'"))
        if "bands" in item:
            if method not in ("items", "bmi"):
                problems.append((f"items[{index}].bands", "item bands need scoring 'items'"))
            else:
                _coverage(_bands(item["bands"]), sorted(set(values)), f"items[{index}].bands",
                          problems)
    if numbers and method in ("sum", "mean"):
        problems.append(("items", "a measured amount (kind 'number') cannot be added to a "
                                  f"{method}; use scoring 'items' or 'bmi'"))
    for index, item in enumerate(data["items"]):
        needs = item.get("needs")
        if needs and needs["item"] not in keys:
            problems.append((f"items[{index}].needs.item",
                             f"no item has the key {needs['item']!r}"))
    _check_extras(data, keys, numbers, problems)
    if method in ("sum", "mean", "bmi"):
        for name in ("min", "max"):
            if name not in scoring:
                problems.append((f"scoring.{name}", f"is required for the {method!r} method"))
    if method == "sum" and not data.get("repeat") and all(item_values) and "max" in scoring:
        high = sum(max(v) for v in item_values)
        low = sum(min(v) for v in item_values)
        if (low, high) != (scoring.get("min"), scoring["max"]):
            problems.append(("scoring", f"min and max must be {low} and {high}, the lowest and "
                                        "highest sums of the options"))
    if method == "items":
        for name in ("bands", "caseness", "reliable_change"):
            if name in data:
                problems.append((name, "a measure scored item by item has no total to apply "
                                       "this to"))
        if rule != "each_item":
            problems.append(("missing.rule", "scoring 'items' needs the rule 'each_item'"))
    if "bands" in data and method != "items" and "min" in scoring and "max" in scoring:
        decimals = 0 if method == "sum" else int(scoring.get("decimals", 0))
        _coverage(_bands(data["bands"]), _grid(scoring["min"], scoring["max"], decimals), "bands",
                  problems)
    if "caseness" in data and "min" in scoring and "max" in scoring and not (
            scoring["min"] <= data["caseness"]["at_least"] <= scoring["max"]):
        problems.append(("caseness.at_least", "is outside the range of totals"))
    if rule == "prorate":
        if method != "sum":
            problems.append(("missing.rule", "'prorate' works with scoring 'sum' only"))
        if int(missing.get("max_missing", 0)) < 1:
            problems.append(("missing.max_missing", "'prorate' needs max_missing of 1 or more"))
        elif int(missing["max_missing"]) >= len(keys):
            problems.append(("missing.max_missing", "must be fewer than the number of items"))
    elif missing.get("max_missing"):
        problems.append(("missing.max_missing", f"has no meaning with the rule {rule!r}"))
    if method == "bmi" and rule != "each_item":
        problems.append(("missing.rule", "scoring 'bmi' needs the rule 'each_item'"))
    if rule == "each_item" and method == "sum":
        problems.append(("missing.rule", "a summed total cannot leave items out; use 'complete' "
                                         "or 'prorate'"))
    if data.get("repeat"):
        repeat = data["repeat"]
        if len(keys) != 1:
            problems.append(("repeat", "a repeating measure has exactly one item (the template)"))
        if repeat["min"] > repeat["max"]:
            problems.append(("repeat.min", "is more than repeat.max"))
        if rule != "each_item":
            problems.append(("missing.rule", "a repeating measure needs the rule 'each_item'"))
    for index, risk in enumerate(data.get("risk_items", [])):
        if risk["item"] not in keys:
            problems.append((f"risk_items[{index}].item", f"no item has the key {risk['item']!r}"))
    return problems


def _check_number(index: int, item: Mapping[str, Any], method: str,
                  problems: list[tuple[str, str]]) -> None:
    where = f"items[{index}]"
    if "options" in item or item.get("not_applicable_allowed"):
        problems.append((f"{where}.options", "an item of kind 'number' has no options"))
    if "min" not in item or "max" not in item:
        problems.append((where, "an item of kind 'number' needs min and max"))
        return
    if item["min"] >= item["max"]:
        problems.append((f"{where}.min", "must be less than max"))
        return
    if "bands" in item:
        if method != "items":
            problems.append((f"{where}.bands", "item bands need scoring 'items'"))
        else:
            decimals = min(2, int(item.get("decimals", 0)))
            _coverage(_bands(item["bands"]), _grid(item["min"], item["max"], decimals),
                      f"{where}.bands", problems)


def _check_extras(data: Mapping[str, Any], keys: list[str], numbers: set[str],
                  problems: list[tuple[str, str]]) -> None:
    """BMI inputs, the consent item and the follow-up measure."""
    scoring = data["scoring"]
    if scoring["method"] == "bmi":
        inputs = scoring.get("inputs", [])
        if len(inputs) != 2 or any(k not in numbers for k in inputs):
            problems.append(("scoring.inputs", "'bmi' needs the keys of two items of kind "
                                               "'number': weight in kg, then height in cm"))
    elif "inputs" in scoring:
        problems.append(("scoring.inputs", "is only for scoring 'bmi'"))
    consent = data.get("consent")
    if consent:
        item = next((i for i in data["items"] if i["key"] == consent["item"]), None)
        options = (item or {}).get("options", data.get("options")) or []
        if item is None:
            problems.append(("consent.item", f"no item has the key {consent['item']!r}"))
        elif item.get("kind") == "number" or {0, 1} - {o["value"] for o in options}:
            problems.append(("consent.item", "must be a choice with the answers 0 (no) and "
                                             "1 (yes)"))
    follow = data.get("follow_up")
    if follow:
        if scoring["method"] != "sum":
            problems.append(("follow_up", "needs a total (scoring 'sum')"))
        elif not scoring.get("min", 0) <= follow["at_least"] <= scoring.get("max", 0):
            problems.append(("follow_up.at_least", "is outside the range of totals"))


def parse_definition(data: Any, schema: dict[str, Any], file: str) -> MeasureDefinition:
    """Check `data` and build the definition; raise `InvalidDefinition` with every problem."""
    found = validate(data, schema)
    if not found:
        found = _check_meaning(data)
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
