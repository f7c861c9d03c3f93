"""Definitions as data: the schema check at start-up, problems reported by file and field."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from wellbeing_desktop.domain.measures import load_definitions
from wellbeing_desktop.domain.measures.registry import definitions_dir
from wellbeing_desktop.domain.measures.schema import SchemaError, check_schema, validate

SHIPPED = definitions_dir()


def _raw(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SHIPPED / name).read_text(encoding="utf-8"))
    return data


def _folder(tmp_path: Path, files: dict[str, Any]) -> Path:
    folder = tmp_path / "measures"
    folder.mkdir()
    shutil.copy(SHIPPED / "schema.json", folder / "schema.json")
    for name, data in files.items():
        text = data if isinstance(data, str) else json.dumps(data)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_every_shipped_definition_loads(defs: Any) -> None:
    assert [d.id for d in defs.ordered()] == ["PHQ-9", "GAD-7", "WSAS", "ONS4", "GBO", "AUDIT-C",
                                              "AUDIT", "Smoking", "Activity", "Sleep", "BMI"]
    assert {d.id for d in defs.ordered() if d.area == "physical"} == {
        "AUDIT-C", "AUDIT", "Smoking", "Activity", "Sleep", "BMI"}
    for d in defs.definitions.values():
        assert d.licence


def test_the_schema_uses_only_checked_keywords() -> None:
    check_schema(json.loads((SHIPPED / "schema.json").read_text()))
    with pytest.raises(SchemaError, match="oneOf"):
        check_schema({"type": "object", "properties": {"a": {"oneOf": []}}})


def test_measure_names_are_matched_loosely(defs: Any) -> None:
    assert defs.find("phq9").id == "PHQ-9"
    assert defs.find("Gad 7").id == "GAD-7"
    assert defs.find("PHQ-8") is None


def _mutate(name: str, change: Any) -> dict[str, Any]:
    data = copy.deepcopy(_raw(name))
    change(data)
    return data


BAD = [
    ("missing title", lambda d: d.pop("title"), "title", "is required"),
    ("unknown field", lambda d: d.update(colour="red"), "colour", "is not a known field"),
    ("option value text", lambda d: d["options"][1].update(value="one"),
     "options[1].value", "must be an integer"),
    ("band gap", lambda d: d["bands"][1].update(min=6), "bands",
     "a score of 5 falls in no band"),
    ("band overlap", lambda d: d["bands"][1].update(min=4), "bands",
     "a score of 4 falls in 2 bands"),
    ("wrong max", lambda d: d["scoring"].update(max=30), "scoring", "min and max must be 0 and 27"),
    ("risk item unknown", lambda d: d["risk_items"][0].update(item="item9"),
     "risk_items[0].item", "no item has the key 'item9'"),
    ("duplicate key", lambda d: d["items"][1].update(key="interest"), "items[1].key",
     "'interest' is used by another item"),
    ("bad method", lambda d: d["scoring"].update(method="median"), "scoring.method",
     "must be one of"),
    ("caseness out of range", lambda d: d["caseness"].update(at_least=30), "caseness.at_least",
     "outside"),
    ("no items", lambda d: d.update(items=[]), "items", "needs at least 1 entries"),
    ("NA with complete rule", lambda d: d["items"][0].update(not_applicable_allowed=True),
     "items[0].not_applicable_allowed", "needs the missing rule 'prorate'"),
]


@pytest.mark.parametrize(("label", "change", "field", "message"), BAD, ids=[b[0] for b in BAD])
@pytest.mark.safety
def test_bad_definition_reported_by_file_and_field_and_not_loaded(
        tmp_path: Path, label: str, change: Any, field: str, message: str) -> None:
    folder = _folder(tmp_path, {"gad7.json": _raw("gad7.json"),
                                "phq9.json": _mutate("phq9.json", change)})
    result = load_definitions(folder)
    assert list(result.definitions) == ["GAD-7"]  # the good one still loads
    assert any(p.file == "phq9.json" and p.field == field and message in p.message
               for p in result.problems), [str(p) for p in result.problems]


def test_not_json_is_reported_with_its_line(tmp_path: Path) -> None:
    result = load_definitions(_folder(tmp_path, {"broken.json": '{"id": "X",\n "title": }'}))
    assert not result.definitions
    assert str(result.problems[0]) == "broken.json: is not valid JSON (line 2, column 11)"


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    copy_ = _mutate("phq9.json", lambda d: d.update(id="phq9"))
    result = load_definitions(_folder(tmp_path, {"a.json": _raw("phq9.json"), "b.json": copy_}))
    assert list(result.definitions) == ["PHQ-9"]
    assert str(result.problems[0]) == "b.json: id: 'phq9' is already defined in a.json"


def test_wsas_rules_are_checked(tmp_path: Path) -> None:
    bad = _mutate("wsas.json", lambda d: d["missing"].update(max_missing=0))
    result = load_definitions(_folder(tmp_path, {"wsas.json": bad}))
    assert not result.definitions
    assert result.problems[0].field == "missing.max_missing"


def test_a_licensed_service_can_add_a_measure(tmp_path: Path) -> None:
    """SWEMWBS is not shipped (licence); a service holding one adds a file like this."""
    items = [{"key": f"q{i}", "text": f"(licensed item {i} text)"} for i in range(1, 8)]
    swemwbs = {
        "schema_version": 1, "id": "SWEMWBS", "title": "Short Warwick-Edinburgh Mental "
        "Wellbeing Scale", "items": items,
        "options": [{"value": v, "label": str(v)} for v in range(1, 6)],
        "scoring": {"method": "sum", "min": 7, "max": 35},
        "bands": [{"min": 7, "max": 17, "label": "low"}, {"min": 18, "max": 35, "label": "other"}],
        "missing": {"rule": "complete"}, "higher_is": "better",
        "licence": "Licensed to this service by Warwick Medical School.",
    }
    result = load_definitions(_folder(tmp_path, {"swemwbs.json": swemwbs}))
    assert not result.problems
    from wellbeing_desktop.domain.measures import score

    assert score(result.definitions["SWEMWBS"], [3] * 7).total == 21


def test_validate_reports_nested_paths() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "array", "items": {
        "type": "object", "required": ["b"]}}}}
    assert validate({"a": [{"b": 1}, {}]}, schema) == [("a[1].b", "is required")]
    assert validate({"a": [True]}, {"type": "object", "properties": {"a": {"type": "array",
                    "items": {"type": "integer"}}}}) == [("a[0]", "must be an integer")]
