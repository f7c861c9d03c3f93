"""The `wellbeing` command contract (DESIGN §8): exit codes, one-line errors, --json."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wellbeing_desktop import __version__
from wellbeing_desktop.cli import main


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wellbeing_desktop.cli", *args],
        capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})},
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip().startswith(f"wellbeing {__version__} (schema ")


def test_init_json_reports_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path / "d"), "init", "--plain", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["revision"] == "0001" or info["revision"]
    assert Path(info["database"]).exists()
    assert info["demo_clients"] == 0


def test_data_dir_after_the_command_and_from_the_environment(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["init", "--plain", "--data-dir", str(tmp_path / "a"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["data_dir"] == str((tmp_path / "a").resolve())
    monkeypatch.setenv("WELLBEING_DATA_DIR", str(tmp_path / "b"))
    assert main(["init", "--plain", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["data_dir"] == str((tmp_path / "b").resolve())


def test_init_demo_adds_the_demo_town(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(tmp_path), "init", "--demo", "--plain", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["demo_clients"] == 40
    assert main(["--data-dir", str(tmp_path), "demo-data", "--clients", "25", "--services", "0",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["clients"] == 25


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["bogus"], "invalid choice"),
        (["demo-data", "--clients", "many"], "invalid int value"),
        (["demo-data", "--clients", "-5"], "zero or more"),
    ],
)
def test_bad_input_gives_one_line_and_no_traceback(tmp_path: Path, args: list[str],
                                                   fragment: str) -> None:
    result = run("--data-dir", str(tmp_path), *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("wellbeing: ")
    assert fragment in lines[0]
    assert "Traceback" not in result.stderr


def test_unwritable_data_dir_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("--data-dir", str(blocker / "sub"), "init")
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.safety
def test_self_test_passes_offscreen() -> None:
    result = run("self-test", "--json", env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] is True
    names = [c["name"] for c in report["checks"]]
    for page in ("Today", "Clients", "Directory", "Reports", "Sync", "Settings"):
        assert f"screen: {page}" in names
    # Every page and dialog: fits 1024×700 and 1280×800 at 100 % and 150 % text, no
    # Alt-letter clash, every control named (issue 18); each is a check that can fail.
    screens = {s["name"]: s for s in report["screens"]}
    for name in ("screen: Today", "screen: Clients", "dialog: Client record", "Lock screen",
                 "dialog: Sign in", "dialog: casework: client details",
                 "dialog: casework: needs check", "dialog: casework: session"):
        assert screens[name]["ok"], screens[name]
        assert len(screens[name]["fits"]) == 4 and all(screens[name]["fits"].values())
    assert all(f"fits and names: {name}" in names for name in screens)
