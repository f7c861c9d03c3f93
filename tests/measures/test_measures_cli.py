"""`wellbeing score` and `wellbeing outcome`: the JSON keys of issue 4 and clean bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from wellbeing_desktop.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exc:  # argparse errors
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_score_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "score", "PHQ-9", "1", "2", "0", "3", "1", "0", "2", "1", "0",
                         "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == {"measure": "PHQ-9", "total": 10, "band": "moderate",
                               "caseness": True, "valid": True, "errors": []}


def test_score_invalid_form_is_a_result_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "WSAS", "NA", "-", "4", "4", "4", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["valid"] is False and data["total"] is None
    assert data["errors"] == ["2 items are missing or not applicable; WSAS allows at most 1"]


def test_score_ons4_reports_each_item_band(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "ons4", "3", "6", "9", "7", "--json")
    data = json.loads(out)
    assert code == 0 and data["total"] is None
    assert [(i["key"], i["band"]) for i in data["items"]] == [
        ("satisfaction", "low"), ("worthwhile", "medium"), ("happiness", "very high"),
        ("anxiety", "high")]


@pytest.mark.safety
def test_score_text_shows_risk(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "PHQ-9", *["0"] * 8, "2")
    assert code == 0
    assert out.splitlines()[0] == "PHQ-9: 2 (minimal) · below caseness"
    assert out.splitlines()[1].startswith("RISK: The answer to item 9")


@pytest.mark.parametrize(("args", "message"), [
    (["PHQ-9", "0", "0", "4", "0", "0", "0", "0", "0", "0"],
     "wellbeing: PHQ-9 item 3 (Sleep): 4 is not allowed; allowed values are 0 to 3, or - for "
     "missing"),
    (["GAD-7", "1", "1"], "wellbeing: GAD-7 has 7 items; 2 answers given"),
    (["PHQ-10", "1"], "wellbeing: unknown measure 'PHQ-10'; known measures: PHQ-9, GAD-7, WSAS, "
                      "ONS4, GBO"),
    (["WSAS", "9", "0", "0", "0", "0"], "wellbeing: WSAS item 1 (Work): 9 is not allowed; allowed "
     "values are 0 to 8, NA (not applicable), or - for missing"),
    (["GAD-7", "1", "1", "1", "lots", "1", "1", "1"], "item 4 (Trouble relaxing): lots is not "
                                                      "allowed"),
    (["GBO"], "wellbeing: GBO takes 1 to 5 goal ratings; 0 given"),
])
def test_score_bad_input_exit_2(capsys: pytest.CaptureFixture[str], args: list[str],
                                message: str) -> None:
    code, out, err = run(capsys, "score", *args)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_outcome_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "outcome", "--phq9", "18", "10", "--gad7", "5", "9", "--json")
    data = json.loads(out)
    assert code == 0
    assert {k: data[k] for k in ("caseness_first", "caseness_last", "reliable_improvement",
                                 "reliable_deterioration", "recovery", "reliable_recovery")} == {
        "caseness_first": True, "caseness_last": True, "reliable_improvement": False,
        "reliable_deterioration": False, "recovery": False, "reliable_recovery": False}


def test_outcome_text_and_course(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "outcome", "--phq9", "15", "5", "--gad7", "12", "4",
                       "--attended", "1")
    assert code == 0
    assert "reliable recovery" in out.splitlines()[0]
    assert "finished a course (2 or more attended contacts): no" in out


@pytest.mark.parametrize(("args", "message"), [
    (["--phq9", "28", "3", "--gad7", "1", "1"], "--phq9 FIRST: 28 is out of range; allowed "
                                                "values are 0 to 27"),
    (["--phq9", "3", "3", "--gad7", "1", "x"], "--gad7 LAST: 'x' is not a whole number"),
    (["--phq9", "3", "--gad7", "1", "1"], "argument --phq9: expected 2 arguments"),
    (["--phq9", "3", "3"], "the following arguments are required: --gad7"),
])
def test_outcome_bad_input_exit_2(capsys: pytest.CaptureFixture[str], args: list[str],
                                  message: str) -> None:
    code, _, err = run(capsys, "outcome", *args)
    assert code == 2 and message in err


def test_real_command_has_no_traceback() -> None:
    proc = subprocess.run([sys.executable, "-m", "wellbeing_desktop.cli", "score", "PHQ-9", "7"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip() == "wellbeing: PHQ-9 has 9 items; 1 answer given"


def test_measures_lists_definitions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "measures", "--json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert [m["id"] for m in data["measures"]] == [
        "PHQ-9", "GAD-7", "WSAS", "ONS4", "GBO", "AUDIT-C", "AUDIT", "Smoking", "Activity", "Sleep",
        "BMI"]
    assert data["measures"][0]["codes"]["loinc"] == "44261-6"
    assert data["problems"] == []


def test_measures_reports_a_bad_file_and_exits_1(tmp_path: Any, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from wellbeing_desktop.domain.measures import registry
    from wellbeing_desktop.resources import RESOURCES_ENV

    folder = tmp_path / "resources" / "measures"
    shutil.copytree(registry.definitions_dir(), folder)
    (folder / "extra.json").write_text('{"schema_version": 1, "id": "X"}')
    monkeypatch.setenv(RESOURCES_ENV, str(tmp_path / "resources"))
    registry.reload()
    try:
        code, out, err = run(capsys, "measures")
    finally:
        monkeypatch.undo()
        registry.reload()
    assert code == 1
    assert "NOT LOADED extra.json: title: is required" in out
    assert err.startswith("wellbeing: 5 problem(s) in measure definitions: extra.json:")
