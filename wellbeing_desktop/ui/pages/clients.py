"""Clients: search as you type, filter and sort — all in SQL, over a lazy model (DESIGN §9)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from wellbeing_desktop.domain import nhs_number
from wellbeing_desktop.domain.needs import NEEDS_DOMAINS
from wellbeing_desktop.services import clients
from wellbeing_desktop.services.errors import Entity
from wellbeing_desktop.ui.flow_layout import FlowLayout
from wellbeing_desktop.ui.operations import read
from wellbeing_desktop.ui.pages.base import Page
from wellbeing_desktop.ui.table_model import RowsTableModel

PAGE = 200
COLUMNS = ["Name", "Date of birth", "NHS number", "Postcode", "Status"]
SORT_KEYS = ["name", "date_of_birth", "nhs_number", "postcode", "status"]
STATUS_LABELS = dict(clients.CLIENT_STATUSES)
Index = QModelIndex | QPersistentModelIndex


class ClientTableModel(RowsTableModel):
    """Rows arrive a page at a time as the view scrolls (`fetchMore`); sorting asks the
    page to query again with ORDER BY (never a proxy model)."""

    columns = COLUMNS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[clients.ClientSummary] = []
        self.total = 0
        self.fetcher: Any = None  # callable(offset) -> list[ClientSummary]
        self.on_sort: Any = None  # callable(key, descending)
        self.open_ended = False  # the count was capped ("1,000+"): total grows page by page
        self.fetching = False  # a page is being read on the worker
        self._generation = 0  # bumped by reset: a page read for an older list is dropped

    def reset(self, rows: list[clients.ClientSummary], total: int, fetcher: Any) -> None:
        self.beginResetModel()
        self._generation += 1
        self.fetching = False
        self.rows = list(rows)
        self.total = total
        self.fetcher = fetcher
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        col = index.column()
        if col == 0:
            known = f" ({row.preferred_name})" if row.preferred_name else ""
            return f"{row.family_name}, {row.given_name}{known}"
        if col == 1:
            return row.date_of_birth.strftime("%d %b %Y") if row.date_of_birth else ""
        if col == 2:
            return nhs_number.display(row.nhs_number)
        if col == 3:
            return row.postcode
        return STATUS_LABELS.get(row.status, row.status)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.on_sort is not None and 0 <= column < len(SORT_KEYS):
            self.on_sort(SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return (not parent.isValid() and self.fetcher is not None and not self.fetching
                and len(self.rows) < self.total)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        """Read the next page on the worker (never on the GUI thread); rows are appended when
        it arrives, unless the list was replaced meanwhile."""
        if parent.isValid() or self.fetcher is None or self.fetching:
            return
        self.fetching = True
        generation = self._generation
        read(self.fetcher, len(self.rows)) \
            .on_success(lambda more: self._append(generation, more)) \
            .on_done(lambda: self._fetched(generation)).start()

    def _fetched(self, generation: int) -> None:
        if generation == self._generation:
            self.fetching = False

    def _append(self, generation: int, more: list[clients.ClientSummary]) -> None:
        if generation != self._generation:
            return
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()
        if self.open_ended:  # the count was capped: another page may follow a full one
            self.total = len(self.rows) + (len(more) if len(more) >= PAGE else 0)


def _filter_combo(name: str, items: list[tuple[Any, str]]) -> QComboBox:
    box = QComboBox()
    box.setAccessibleName(name)
    for data, text in items:
        box.addItem(text, data)
    return box


class ClientsPage(Page):
    key = "clients"
    title = "Clients"
    subtitle = "Search by name, NHS number or postcode. Enter opens the selected record."
    watches = frozenset({Entity.CLIENT, Entity.REFERRAL, Entity.NEEDS})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flt = clients.ClientFilter()
        self._loading = False
        self._generation = 0
        bar = FlowLayout()   # wraps on a narrow screen instead of scrolling sideways
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name, NHS number or postcode")
        self.search.setAccessibleName("Search clients")
        self.search.setClearButtonEnabled(True)
        # Never squeezed to a sliver (it collapsed at 1024×700): room for a name at least.
        self.search.setMinimumWidth(self.search.fontMetrics().averageCharWidth() * 28)
        bar.addWidget(self.search, 2)
        self.status = _filter_combo("Filter by status", [("", "Any status"),
                                                         *clients.CLIENT_STATUSES])
        self.practitioner = _filter_combo("Filter by practitioner", [(None, "Any practitioner")])
        self.domain = _filter_combo("Filter by needs domain", [
            ("", "Any need"), *((d.code, d.label) for d in NEEDS_DOMAINS)])
        for box in (self.status, self.practitioner, self.domain):
            bar.addWidget(box, 1)
            box.currentIndexChanged.connect(lambda _i: self.refresh())
        self.new_button = QPushButton("&New client…")
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_client)
        self.groups_button = QPushButton("&Group sessions…")
        self.groups_button.setToolTip("Create group sessions and take their registers")
        self.groups_button.clicked.connect(self.open_groups)
        bar.addWidget(self.groups_button)
        self.courses_button = QPushButton("C&ourses…")
        self.courses_button.setToolTip("Courses: enrol people, take registers, print the "
                                       "register, plan and certificates")
        self.courses_button.clicked.connect(self.open_courses)
        bar.addWidget(self.courses_button)
        bar.addWidget(self.new_button)
        self.layout_.addLayout(bar)
        self.count = QLabel("")
        self.count.setObjectName("muted")
        self.layout_.addWidget(self.count)
        self.model = ClientTableModel(self)
        self.model.on_sort = self._sort
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.table.setModel(self.model)
        self.table.setAccessibleName("Client list")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._open_index)
        self.layout_.addWidget(self.table, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._open_first)
        self._loading = False
        self._generation = 0
        self._practitioners_loaded = False

    def is_loading(self) -> bool:
        return self._loading

    def _sort(self, key: str, descending: bool) -> None:
        self.flt = replace(self.flt, sort=key, descending=descending)
        self.refresh()

    def current_filter(self) -> clients.ClientFilter:
        return replace(self.flt, search=self.search.text(), status=self.status.currentData() or "",
                       practitioner_id=self.practitioner.currentData(),
                       needs_domain=self.domain.currentData() or "")

    def refresh(self) -> None:
        super().refresh()
        if self.ctx is None:
            return
        ctx, flt = self.ctx, self.current_filter()
        self._generation += 1
        generation = self._generation
        want_people = not self._practitioners_loaded

        def load() -> tuple[list[clients.ClientSummary], int, list[Any]]:
            people = clients.practitioners(ctx) if want_people else []
            return (clients.list_clients(ctx, limit=PAGE, flt=flt),
                    clients.count_clients(ctx, flt=flt), people)

        def show(result: tuple[list[clients.ClientSummary], int, list[Any]]) -> None:
            if generation != self._generation:
                return  # a newer search superseded this one
            rows, total, people = result
            if people and not self._practitioners_loaded:
                self._practitioners_loaded = True
                self.practitioner.blockSignals(True)
                for pid, name in people:
                    self.practitioner.addItem(name, pid)
                self.practitioner.blockSignals(False)
            # A capped count ("1,000+"): keep fetching pages until one comes back short.
            capped = total > clients.COUNT_CAP and not clients.parse_search(flt.search).empty
            self.model.reset(rows, len(rows) + PAGE if capped and len(rows) >= PAGE else
                             (len(rows) if capped else total),
                             lambda offset: clients.list_clients(
                                 ctx, limit=PAGE, offset=offset, flt=flt))
            self.model.open_ended = capped
            self.count.setText(f"{clients.COUNT_CAP:,}+ clients" if capped else
                               f"{total:,} client{'s' if total != 1 else ''}")

        self._loading = True
        read(load).on_success(show).on_done(self._done).start()

    def _done(self) -> None:
        self._loading = False

    def _open_index(self, index: QModelIndex) -> None:
        client_id = self.model.data(index, Qt.ItemDataRole.UserRole)
        if client_id is not None and self.ctx is not None:
            from wellbeing_desktop.ui.client_record import open_client

            open_client(self.ctx, client_id, self.window())

    def _open_first(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid() and self.model.rowCount() == 1:
            index = self.model.index(0, 0)
        if index.isValid():
            self._open_index(index)
        else:
            self.table.setFocus()

    def open_groups(self) -> Any:
        if self.ctx is None:
            return None
        from wellbeing_desktop.ui.casework.group_dialogs import open_groups

        return open_groups(self.ctx, self.window())

    def open_courses(self) -> object:
        if self.ctx is None:
            return None
        from wellbeing_desktop.ui.courses.courses_dialog import open_courses

        return open_courses(self.ctx, self.window())

    def new_client(self) -> None:
        if self.ctx is None:
            return
        from wellbeing_desktop.ui.dialogs.client_form import ClientDialog

        dialog = ClientDialog(self.ctx, None, self.window())
        ctx = self.ctx

        def opened(_result: int) -> None:
            if dialog.saved_id is not None:
                from wellbeing_desktop.ui.client_record import open_client

                open_client(ctx, dialog.saved_id, self.window())

        dialog.finished.connect(opened)
        dialog.open()
