"""The client record's Signposting tab: services the person was connected with, follow-ups."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QWidget,
)

from wellbeing_desktop.services import signposting
from wellbeing_desktop.services.errors import Entity
from wellbeing_desktop.services.signposting import SignpostSummary, outcome_label
from wellbeing_desktop.ui.operations import read
from wellbeing_desktop.ui.panels.base import ClientPanel

COLUMNS = ["Date", "Service", "Need", "Support", "Follow-up", "Outcome"]
OVERDUE = "#B10E1E"  # the directory's "stale" red


def summary_html(item: SignpostSummary) -> str:
    rows = [
        ("What it does", escape(item.what_it_does)),
        ("Phone", escape(", ".join(item.phones))),
        ("Address", escape(item.address)),
        ("Open", escape(item.opening_times)),
        ("Website", escape(item.website)),
        ("Consent to share", "Yes" if item.consent_to_share else "No"),
    ]
    if item.consent_to_share:
        rows += [("Shared", escape(item.shared_what)), ("With", escape(item.shared_with))]
    if item.note:
        rows.append(("Note", escape(item.note)))
    for on, outcome, note in item.follow_ups:
        rows.append((f"Follow-up {on:%d %b}", escape(outcome_label(outcome))
                     + (f": {escape(note)}" if note else "")))
    table = "".join(f"<tr><td valign='top'><b>{k}</b></td><td>{v}</td></tr>"
                    for k, v in rows if v)
    return f"<h3>{escape(item.service_name)}</h3><table cellspacing='3'>{table}</table>"


class SignpostingPanel(ClientPanel):
    watches = frozenset({Entity.SIGNPOSTING, Entity.DIRECTORY})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bar = QHBoxLayout()
        self.add_button = QPushButton("&Signpost to a service…")
        self.add_button.setObjectName("primary")
        self.follow_button = QPushButton("Record &follow-up…")
        self.follow_button.setEnabled(False)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        bar.addWidget(self.add_button)
        bar.addWidget(self.follow_button)
        bar.addStretch(1)
        bar.addWidget(self.status)
        self.layout_.addLayout(bar)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Services this person was signposted to")
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the service
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Signposting details")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        self.layout_.addWidget(splitter, 1)
        self.items: list[SignpostSummary] = []
        self._loading = False
        self.add_button.clicked.connect(self.open_signpost)
        self.follow_button.clicked.connect(self.open_follow_up)
        self.table.itemSelectionChanged.connect(self._selected)

    def is_loading(self) -> bool:
        return self._loading

    def refresh(self) -> None:
        if self.ctx is None or self.client_id is None:
            return
        self._loading = True
        read(signposting.list_for_client, self.ctx, self.client_id).on_success(self._show) \
            .on_done(self._done).start()

    def _done(self) -> None:
        self._loading = False

    def _show(self, items: list[SignpostSummary]) -> None:
        self.items = items
        today = date.today()
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            follow = f"{item.follow_up_on:%d %b %Y}" if item.follow_up_on else "—"
            cells = [f"{item.signposted_on:%d %b %Y}", item.service_name, item.need_label,
                     item.kind_label, follow, item.outcome_label]
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if col == 1 and item.service.reported_wrong:
                    cell.setToolTip("Reported as closed or wrong")
                if col == 4 and item.follow_up_on is not None and not item.outcome:
                    if item.follow_up_on < today:
                        cell.setText(f"{text} (overdue)")
                        cell.setForeground(QBrush(QColor(OVERDUE)))
                    elif item.follow_up_on == today:
                        cell.setText(f"{text} (today)")
                self.table.setItem(row, col, cell)
        due = sum(1 for i in items if i.follow_up_on is not None)
        got = sum(1 for i in items if i.contact_made)
        self.status.setText(f"{len(items)} signposted · {got} got there · {due} follow-up"
                            f"{'s' if due != 1 else ''} planned" if items else
                            "Not signposted to any service yet.")
        if items:
            self.table.selectRow(0)
        else:
            self.detail.setHtml("")
        self._selected()

    def current(self) -> SignpostSummary | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _selected(self) -> None:
        item = self.current()
        self.follow_button.setEnabled(item is not None)
        if item is not None:
            self.detail.setHtml(summary_html(item))

    def open_signpost(self) -> None:
        from wellbeing_desktop.ui.signposting.signpost_dialog import SignpostDialog

        if self.ctx is not None and self.client_id is not None:
            SignpostDialog(self.ctx, self.client_id, self).exec()

    def open_follow_up(self) -> None:
        from wellbeing_desktop.ui.signposting.follow_up_dialog import FollowUpDialog

        item = self.current()
        if self.ctx is not None and item is not None:
            FollowUpDialog(self.ctx, item, self).exec()
