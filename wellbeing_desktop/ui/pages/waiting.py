"""The waiting list: everyone referred and not yet assessed, longest wait first, with the last
contact attempt, the opt-in reply-by date and the next action by the service's rules (shown,
never applied). A records an attempt (then Enter: two keystrokes), Enter opens the record.
Import referrals and the day's letters start here too."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from wellbeing_desktop.domain import casework as rules_casework
from wellbeing_desktop.services import clients, waiting_list
from wellbeing_desktop.services.errors import Entity
from wellbeing_desktop.ui.flow_layout import FlowLayout
from wellbeing_desktop.ui.operations import read
from wellbeing_desktop.ui.pages.base import Page
from wellbeing_desktop.ui.table_model import Index, RowsTableModel

COLUMNS = ("Name", "Waited", "Source", "Last attempt", "Reply by", "Next action")


def cells(row: waiting_list.WaitingRow) -> tuple[str, ...]:
    last = (f"{row.last_attempt_on:%d %b}: {row.last_attempt}" if row.last_attempt_on
            else "None yet")
    if row.attempts > 1:
        last += f" ({row.attempts} attempts)"
    return (row.name, f"{row.days_waited} day{'' if row.days_waited == 1 else 's'}",
            row.source_label, last, f"{row.opt_in_by:%d %b}" if row.opt_in_by else "",
            row.next_action)


class WaitingModel(RowsTableModel):
    """The rows' text is made when a row is shown, not for all of them at once: a service
    with thousands waiting held a table item per cell (60 MB for 7,000 people,
    bench/bench_memory.py)."""

    columns = COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return cells(row)[index.column()]
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 0:
                return (f"Referred {row.received_on:%d %b %Y} by "
                        f"{row.referrer or row.source_label}: {row.reason}")
            return cells(row)[index.column()]   # the whole text where a column cuts it
        return None


class _Table(QTableView):
    """Enter opens the record; A records an attempt (the page wires both)."""

    def __init__(self, page: WaitingListPage) -> None:
        super().__init__()
        self.page = page

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt's name)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.page.open_record()
            return
        if event.key() == Qt.Key.Key_A and not event.modifiers():
            self.page.record_attempt()
            return
        super().keyPressEvent(event)


class WaitingListPage(Page):
    key = "waiting"
    title = "Waiting list"
    subtitle = ("Referred and not yet assessed, longest wait first. Select a person and press "
                "A to record a contact attempt, Enter to open their record.")
    watches = frozenset({Entity.CLIENT, Entity.REFERRAL, Entity.CONTACT_ATTEMPT, Entity.APPOINTMENT,
                         Entity.PRINTED_DOCUMENT, Entity.SETTINGS})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = 0
        bar = FlowLayout()   # wraps on a narrow screen instead of scrolling sideways
        self.source = QComboBox()
        self.source.addItem("All sources", "")
        for code, label in rules_casework.REFERRAL_SOURCES:
            self.source.addItem(label, code)
        self.practitioner = QComboBox()
        self.practitioner.addItem("All practitioners", None)
        self.need = QLineEdit()
        self.need.setPlaceholderText("Need or reason, e.g. debt")
        self.need.setClearButtonEnabled(True)
        for text, widget in (("&Source", self.source), ("&Practitioner", self.practitioner),
                             ("N&eed", self.need)):
            caption = QLabel(text)
            caption.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            bar.addWidget(caption)
            bar.addWidget(widget, 1 if widget is self.need else 0)
        self.attempt_button = QPushButton("Record &attempt…")
        self.import_button = QPushButton("&Import referrals…")
        self.letters_button = QPushButton("&Letters due…")
        for b in (self.attempt_button, self.import_button, self.letters_button):
            bar.addWidget(b)
        self.layout_.addLayout(bar)
        self.rules = QLabel("")
        self.rules.setObjectName("muted")
        self.rules.setWordWrap(True)
        self.layout_.addWidget(self.rules)
        self.model = WaitingModel(self)
        self.table = _Table(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Waiting list")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setTabKeyNavigation(False)
        # One line a row (rows sized to their contents would read every row's text): a
        # column's whole text is in its tooltip.
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.open_record())
        self.layout_.addWidget(self.table, 1)
        self.count = QLabel("")
        self.count.setObjectName("muted")
        self.layout_.addWidget(self.count)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.refresh)
        self.need.textChanged.connect(lambda _t: self._debounce.start())
        self.source.currentIndexChanged.connect(lambda _i: self.refresh())
        self.practitioner.currentIndexChanged.connect(lambda _i: self.refresh())
        self.attempt_button.clicked.connect(self.record_attempt)
        self.import_button.clicked.connect(self.import_referrals)
        self.letters_button.clicked.connect(self.letters_due)
        QShortcut(QKeySequence("Ctrl+F"), self).activated.connect(self.need.setFocus)

    @property
    def rows(self) -> list[waiting_list.WaitingRow]:
        """The people shown, in order (the model's rows)."""
        return self.model.rows

    def is_loading(self) -> bool:
        return self._loading > 0

    def filters(self) -> waiting_list.WaitingFilter:
        return waiting_list.WaitingFilter(source=self.source.currentData() or "",
                                          practitioner_id=self.practitioner.currentData(),
                                          need=self.need.text())

    def refresh(self) -> None:
        super().refresh()
        if self.ctx is None:
            return
        self._loading += 1
        ctx, flt = self.ctx, self.filters()

        def load() -> tuple[list[waiting_list.WaitingRow], str, list[tuple[uuid.UUID, str]]]:
            return (waiting_list.waiting_list(ctx, flt),
                    waiting_list.service_rules(ctx).describe(), clients.practitioners(ctx))

        (read(load).on_success(self._loaded).on_error(self._failed)
         .on_done(self._done).start())

    def _done(self) -> None:
        self._loading -= 1

    def _failed(self, exc: BaseException) -> None:
        self.count.setText(f"The waiting list could not be loaded: {exc}")

    def _loaded(self, result: tuple[list[waiting_list.WaitingRow], str,
                                    list[tuple[uuid.UUID, str]]]) -> None:
        rows, rules, people = result
        if self.practitioner.count() == 1:
            self.practitioner.blockSignals(True)
            for pid, name in people:
                self.practitioner.addItem(name, pid)
            self.practitioner.blockSignals(False)
        self.rules.setText(f"The service's rules: {rules} Shown as the next action; nothing "
                           "happens until you do it.")
        selected = self.selected()
        keep = selected.client_id if selected else None
        self.model.set_rows(rows)
        again = next((r for r, row in enumerate(rows) if row.client_id == keep), 0)
        if rows:
            self.select_row(again)
        self.count.setText(f"{len(rows)} waiting" if rows else
                           "No one is waiting: every referral has been assessed.")

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)

    def selected(self) -> waiting_list.WaitingRow | None:
        current = self.table.currentIndex()
        return self.model.row_at(current.row()) if current.isValid() else None

    def open_record(self) -> None:
        row = self.selected()
        if row is None or self.ctx is None:
            return
        from wellbeing_desktop.ui.client_record import open_client

        open_client(self.ctx, row.client_id, self.window())

    def record_attempt(self) -> object:
        row = self.selected()
        if row is None or self.ctx is None:
            return None
        from wellbeing_desktop.ui.intake.attempt_dialog import AttemptDialog

        dialog = AttemptDialog(self.ctx, row.client_id, row.name, self)
        dialog.open()
        return dialog

    def import_referrals(self) -> object:
        if self.ctx is None:
            return None
        from wellbeing_desktop.ui.intake.import_dialog import ImportDialog

        dialog = ImportDialog(self.ctx, self)
        dialog.open()
        return dialog

    def letters_due(self) -> object:
        if self.ctx is None:
            return None
        from wellbeing_desktop.ui.intake.letters_dialog import LettersDueDialog

        dialog = LettersDueDialog(self.ctx, self)
        dialog.open()
        return dialog
