"""Settings sections, one per module, each registering itself by defining `SECTION`
(Picard's options pages). The Settings page shows those that exist, in `ORDER`."""

from __future__ import annotations

import importlib

from wellbeing_desktop.ui.settings.base import SettingsSection

ORDER = ("general", "security", "packs", "measures", "directory", "sync", "casework",
         "intake")


def section_classes() -> list[type[SettingsSection]]:
    found: list[type[SettingsSection]] = []
    for name in ORDER:
        try:
            module = importlib.import_module(f"wellbeing_desktop.ui.settings.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"wellbeing_desktop.ui.settings.{name}":
                raise
            continue
        found.append(module.SECTION)
    return found
