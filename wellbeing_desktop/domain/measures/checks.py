"""The checks for meaning that follow the JSON schema: bands that cover every possible score
exactly once, options and rules that fit the scoring method, references between items. Each
problem is (field, message) so the loader can name the file and field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any


def _grid(low: float, high: float, decimals: int) -> list[float]:
    step = Decimal(1).scaleb(-decimals)
    values: list[float] = []
    current = Decimal(str(low))
    end = Decimal(str(high))
    while current <= end and len(values) <= 100_000:
        values.append(float(current))
        current += step
    return values


def _coverage(bands: Iterable[Mapping[str, Any]], values: Iterable[float], where: str,
              problems: list[tuple[str, str]]) -> None:
    spans = [(b["min"], b["max"]) for b in bands]
    for value in values:
        hits = [low for low, high in spans if low <= value <= high]
        if len(hits) != 1:
            what = "no band" if not hits else f"{len(hits)} bands"
            problems.append((where, f"a score of {value:g} falls in {what}; bands must cover "
                                    "every possible score exactly once"))
            return


def check_meaning(data: Mapping[str, Any]) -> list[tuple[str, str]]:
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
                _coverage(item["bands"], sorted(set(values)), f"items[{index}].bands",
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
        _coverage(data["bands"], _grid(scoring["min"], scoring["max"], decimals), "bands",
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
            _coverage(item["bands"], _grid(item["min"], item["max"], decimals),
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
