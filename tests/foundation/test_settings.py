"""Settings: versioned JSON in the config dir, atomic, tolerant of damage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wellbeing_desktop.services.settings import SETTINGS_VERSION, Settings
from wellbeing_desktop.storage import paths


def test_round_trip_keeps_unknown_keys_and_defaults(tmp_path: Path) -> None:
    s = Settings.load(tmp_path / "data")
    assert s.get("version") == SETTINGS_VERSION
    assert s.section("security")["idle_lock_minutes"] == 10
    s.set("service_name", "Kingsmere")
    s.data["from_the_future"] = {"x": 1}
    s.section("ui")["geometry"]["main"] = "abc"
    s.save()
    again = Settings.load(tmp_path / "data")
    assert again.get("service_name") == "Kingsmere"
    assert again.get("from_the_future") == {"x": 1}
    assert again.section("ui")["geometry"]["main"] == "abc"
    assert again.section("casework")["no_contact_days"] == 21  # default merged in
    assert json.loads(again.path.read_text())["version"] == SETTINGS_VERSION


@pytest.mark.safety
def test_damaged_settings_file_is_kept_aside_and_defaults_used(tmp_path: Path) -> None:
    s = Settings.load(tmp_path / "data")
    s.path.parent.mkdir(parents=True, exist_ok=True)
    s.path.write_text("{ not json")
    again = Settings.load(tmp_path / "data")
    assert again.get("service_name") == ""
    assert s.path.with_suffix(".json.damaged").exists()


def test_old_settings_without_version_are_upgraded(tmp_path: Path) -> None:
    cfg = paths.config_dir(tmp_path / "data")
    (cfg / "settings.json").write_text(json.dumps({"service_name": "Old"}))
    s = Settings.load(tmp_path / "data")
    assert s.get("version") == SETTINGS_VERSION
    assert s.get("service_name") == "Old"


def test_data_dir_resolution(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("WELLBEING_DATA_DIR", str(tmp_path / "env"))
    assert paths.data_dir() == (tmp_path / "env").resolve()
    assert paths.data_dir(tmp_path / "explicit") == (tmp_path / "explicit").resolve()
    monkeypatch.delenv("WELLBEING_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir() == (tmp_path / "xdg" / "wellbeing-desktop").resolve()
