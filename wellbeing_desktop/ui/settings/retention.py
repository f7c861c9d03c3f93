"""The retention report, shown in Settings → Security (supervisors only): clients with no
change to any of their records for the retention period, oldest first."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services import configuration, privacy
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.flow_layout import FlowLayout
from wellbeing_desktop.ui.operations import read, write

COLUMNS = ("Client id", "Status", "Last change")


class RetentionBox(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AppContext | None = None
        self.loaded = False
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        text = QLabel("Records are kept for the retention period after the last change to "
                      "any part of them (NHS Records Management Code: 20 years for adult "
                      "mental health records). The report lists identifiers only; open a "
                      "record from the Clients page to review it.")
        text.setWordWrap(True)
        col.addWidget(text)
        row = FlowLayout()   # wraps on a narrow screen instead of scrolling sideways
        self.years = QSpinBox()
        self.years.setRange(1, 100)
        self.years.setSuffix(" years")
        label = QLabel("&Keep records for")
        label.setBuddy(self.years)
        self.years.setAccessibleName("Keep records for")
        self.save_button = QPushButton("Save period")
        self.save_button.clicked.connect(self.save_years)
        self.show_button = QPushButton("Show records &past retention")
        self.show_button.clicked.connect(self.load)
        for w in (label, self.years, self.save_button, self.show_button):
            row.addWidget(w)
        row.addStretch(1)
        col.addLayout(row)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        col.addWidget(self.status)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Records past their retention period, oldest first")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        self.table.setVisible(False)
        col.addWidget(self.table)

    def set_context(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.years.setValue(configuration.security_options(ctx).retention_years)

    def save_years(self) -> None:
        if self.ctx is None:
            return
        years = int(self.years.value())
        (write(configuration.set_retention_years, self.ctx, years)
         .on_success(lambda _c: self.status.setText(
             f"Saved: records are kept for {years} years."))
         .on_error(lambda exc: self.status.setText(str(exc))).start())

    def load(self) -> None:
        if self.ctx is None:
            return
        self.status.setText("Looking at every record…")
        (read(privacy.retention_report, self.ctx, years=int(self.years.value()))
         .on_success(self._show).on_error(lambda e: self.status.setText(str(e))).start())

    def _show(self, items: list[Any]) -> None:
        self.loaded = True
        self.table.setRowCount(len(items))
        for r, item in enumerate(items):
            values = (str(item.client_id), item.status.replace("_", " "),
                      item.last_activity.astimezone().strftime("%d %b %Y"))
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.table.setVisible(bool(items))
        n = len(items)
        self.status.setText(
            f"{n} record{'s' if n != 1 else ''} past the {self.years.value()}-year period."
            if n else f"No record is past the {self.years.value()}-year period.")
