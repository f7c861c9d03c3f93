"""App settings: a versioned JSON file in the config directory, written atomically.

Unknown keys are kept (a newer version's settings survive a downgrade); each area reads its
own section through `section()`.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from wellbeing_desktop.storage import paths
from wellbeing_desktop.storage.files import atomic_write

SETTINGS_VERSION = 1
FILENAME = "settings.json"

DEFAULTS: dict[str, Any] = {
    "version": SETTINGS_VERSION,
    "service_name": "",
    "service_phone": "",
    "current_practitioner_id": "",
    "first_run_complete": False,
    "ui": {"geometry": {}, "last_page": "today"},
    "casework": {"no_contact_days": 21},
    "security": {"idle_lock_minutes": 10},
    "packs": {
        "crisis_contacts": [
            {"name": "NHS 111: choose option 2 for mental health", "phone": "111"},
            {"name": "Samaritans, any time", "phone": "116 123"},
            {"name": "Emergency: if your life or someone else's is in danger", "phone": "999"},
        ]
    },
    "sync": {"central_public_key": ""},
}


def crisis_contact_rows(settings: Settings) -> list[dict[str, str]]:
    """The crisis contacts every document and risk prompt shows: the configured ones that have
    both who answers and a number, or the national defaults when none do. A plan must never
    print without somewhere to turn (hazard log H01): an emptied or hand-edited settings file
    falls back rather than printing no crisis box."""
    rows = settings.section("packs").get("crisis_contacts") or []
    usable = [{"name": str(r.get("name", "")).strip(), "phone": str(r.get("phone", "")).strip(),
               "note": str(r.get("note", "") or "").strip()}
              for r in rows if isinstance(r, dict)]
    usable = [r for r in usable if r["name"] and r["phone"]]
    if usable:
        return usable
    return [{"name": r["name"], "phone": r["phone"], "note": ""}
            for r in DEFAULTS["packs"]["crisis_contacts"]]


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    version = int(data.get("version", 0) or 0)
    if version < 1:
        data["version"] = 1
    return data


def _merge(defaults: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    # A deep copy: editing a section of loaded settings must never change DEFAULTS.
    out = copy.deepcopy(defaults)
    for key, value in data.items():
        if isinstance(value, dict) and isinstance(defaults.get(key), dict):
            out[key] = _merge(defaults[key], value)
        else:
            out[key] = value
    return out


class Settings:
    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    @classmethod
    def load(cls, data_dir: Path) -> Settings:
        path = paths.config_dir(data_dir) / FILENAME
        raw: dict[str, Any] = {}
        if path.exists():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(loaded, dict):
                    raw = loaded
            except (OSError, ValueError):
                # A damaged settings file must not stop the app; keep it for inspection.
                path.replace(path.with_suffix(".json.damaged"))
        # A deep copy: sections are edited in place and must never change the defaults.
        return cls(path, _merge(copy.deepcopy(DEFAULTS), _migrate(raw)))

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def set(self, key: str, value: Any) -> None:
        self.data[key] = value

    def section(self, name: str) -> dict[str, Any]:
        value = self.data.setdefault(name, {})
        if not isinstance(value, dict):
            value = self.data[name] = {}
        return value

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, json.dumps(self.data, indent=2, sort_keys=True))
