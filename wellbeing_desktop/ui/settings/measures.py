"""Measures settings: the questionnaires this app can administer, what each counts and its
licence, and any definition file that was not loaded (by file and field)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QTextBrowser, QWidget

from wellbeing_desktop.domain.measures import MeasureDefinition
from wellbeing_desktop.services import measures
from wellbeing_desktop.ui.pages.base import card
from wellbeing_desktop.ui.settings.base import SettingsSection

RULES = {
    "complete": "every item must be answered",
    "prorate": "up to {n} item(s) missing or not applicable: the total is prorated",
    "each_item": "each item stands on its own",
}


def describe(d: MeasureDefinition) -> str:
    count = (f"{d.repeat_min}–{d.repeat_max} {d.repeat_label.lower()}s" if d.repeats
             else f"{len(d.items)} items")
    if d.method == "items":
        scoring = "each item reported on its own, no total"
    else:
        word = "sum" if d.method == "sum" else "mean"
        scoring = f"{word} {d.min_total:g}–{d.max_total:g}"
    bits = [count, scoring]
    if d.bands:
        bits.append("bands " + ", ".join(f"{b.min:g}–{b.max:g} {b.label}" for b in d.bands))
    if d.caseness_at_least is not None:
        bits.append(f"caseness at {d.caseness_at_least:g} or more")
    if d.reliable_change_index is not None:
        bits.append(f"reliable change {d.reliable_change_index:g}")
    bits.append(RULES[d.missing_rule].replace("{n}", str(d.max_missing)))
    return "; ".join(bits)


class MeasuresSection(SettingsSection):
    title = "Measures"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.problems = QLabel("")
        self.problems.setObjectName("fieldError")
        self.problems.setWordWrap(True)
        self.problems.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.layout_.addWidget(self.problems)
        self.list = QTextBrowser()
        self.list.setAccessibleName("Measures this app can administer")
        self.list.setMinimumHeight(260)
        frame, box = card("Measures this app can administer", self.list)
        self.folder = QLabel("")
        self.folder.setObjectName("muted")
        self.folder.setWordWrap(True)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.folder)
        self.reload_button = QPushButton("&Read the definition files again")
        box.addWidget(self.reload_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.layout_.addWidget(frame, 1)
        self.reload_button.clicked.connect(self._reload)

    def refresh(self) -> None:
        self._show(measures.definition_problems())

    def _reload(self) -> None:
        self._show(measures.reload_definitions())

    def _show(self, problems: Sequence[object]) -> None:
        if problems:
            lines = "".join(f"<li>{escape(str(p))}</li>" for p in problems)
            self.problems.setText("<b>Not loaded — fix these definition files:</b>"
                                  f"<ul>{lines}</ul>")
        self.problems.setVisible(bool(problems))
        parts = []
        for d in measures.definitions():
            parts.append(f"<h4>{escape(d.title)}</h4><p>{escape(describe(d))}.</p>"
                         f"<p><i>{escape(d.licence)}</i></p>")
        self.list.setHtml("".join(parts))
        self.folder.setText(
            "A service can add a measure it holds a licence for (for example SWEMWBS) by "
            f"putting a definition file in {escape(measures.definitions_folder())} "
            "(see docs/measures.md).")


SECTION = MeasuresSection
