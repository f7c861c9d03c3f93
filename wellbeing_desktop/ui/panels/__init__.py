"""Tabs of the client record contributed by other areas, one module per panel.

The client record (casework) shows each panel in `PANELS` whose module exists. A panel is a
`ClientPanel`: it gets the context and the client's id, loads through the worker, and
announces changes on the bus.
"""

from __future__ import annotations

import importlib

from wellbeing_desktop.ui.panels.base import ClientPanel

# (tab title, module name under wellbeing_desktop.ui.panels, class name)
PANELS: tuple[tuple[str, str, str], ...] = (
    ("Measures", "measures", "MeasuresPanel"),
    ("Signposting", "signposting", "SignpostingPanel"),
    ("Documents", "documents", "DocumentsPanel"),
    ("Privacy", "privacy", "PrivacyPanel"),
)


def panel_classes() -> list[tuple[str, type[ClientPanel]]]:
    found: list[tuple[str, type[ClientPanel]]] = []
    for title, module_name, class_name in PANELS:
        full = f"wellbeing_desktop.ui.panels.{module_name}"
        try:
            module = importlib.import_module(full)
        except ModuleNotFoundError as exc:
            if exc.name != full:
                raise
            continue
        found.append((title, getattr(module, class_name)))
    return found
