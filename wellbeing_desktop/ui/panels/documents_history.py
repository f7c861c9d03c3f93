"""The Documents tab's "Printed before" table: when, what (short names; the full ones and the
PDF's SHA-256 in each row's tooltip) and by whom."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QTableWidget, QTableWidgetItem

from wellbeing_desktop.domain.languages import language_name
from wellbeing_desktop.services import packs

# The history table is narrow: short names there, the full ones in each row's tooltip.
SHORT_KINDS = {"plan": "Plan", "leaflet": "Leaflet", "discharge": "Discharge letter",
               "acknowledgement": "Acknowledgement", "optin": "Opt-in letter",
               "appointment": "Appointment letter", "no_contact": "Tried to contact",
               "dna": "Did not attend", "outcome": "Outcome letter",
               "introduction": "Introduction"}


def history_table() -> tuple[QLabel, QTableWidget]:
    """The table and its caption (the caption is the table's buddy)."""
    history_label = QLabel("Printed before")
    history_label.setObjectName("cardTitle")
    history = QTableWidget(0, 3)
    history.setHorizontalHeaderLabels(["When", "Document", "By"])
    history.setAccessibleName("Documents printed before")
    history.verticalHeader().setVisible(False)
    history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    history.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    history.setWordWrap(True)
    history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    # Tab moves on from the table instead of walking its cells.
    history.setTabKeyNavigation(False)
    header = history.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
    history.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    history_label.setBuddy(history)
    return history_label, history


def fill_history(table: QTableWidget, history: list[packs.PrintedRecord]) -> None:
    table.setRowCount(len(history))
    for row, rec in enumerate(history):
        when = rec.printed_at.astimezone().strftime("%d %b %Y %H:%M")
        variant = packs.VARIANT_LABELS.get(rec.variant, rec.variant)
        doc = f"{SHORT_KINDS.get(rec.kind, rec.kind)}, {variant.lower()}"
        if rec.language != "en":
            doc += f", in {language_name(rec.language)}"
        if rec.recipient in ("referrer", "gp"):
            doc += f" ({'GP' if rec.recipient == 'gp' else 'referrer'} copy)"
        if rec.action == "saved":
            doc += ", saved as PDF"
        tip = (f"{packs.KIND_LABELS.get(rec.kind, rec.kind)} · {variant} · "
               f"{'saved' if rec.action == 'saved' else 'printed'} by "
               f"{rec.printed_by or 'unknown'}\nSHA-256 {rec.sha256}")
        for col, value in enumerate([when, doc, rec.printed_by or "—"]):
            item = QTableWidgetItem(value)
            item.setToolTip(tip)
            table.setItem(row, col, item)
