"""Clients: search as you type over the whole caseload."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QLabel, QLineEdit, QTableView, QWidget

from wellbeing_desktop.services import clients
from wellbeing_desktop.ui.pages.base import Page
from wellbeing_desktop.ui.worker import Task

PAGE = 200
COLUMNS = ["Name", "Date of birth", "NHS number", "Postcode", "Status"]
Index = QModelIndex | QPersistentModelIndex


def _nhs(value: str | None) -> str:
    if not value:
        return ""
    return f"{value[:3]} {value[3:6]} {value[6:]}"


class ClientTableModel(QAbstractTableModel):
    """Rows arrive a page at a time as the view scrolls (`fetchMore`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[clients.ClientSummary] = []
        self.total = 0
        self.fetcher: Any = None  # callable(offset) -> list[ClientSummary]

    def reset(self, rows: list[clients.ClientSummary], total: int, fetcher: Any) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.total = total
        self.fetcher = fetcher
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self.rows[index.row()]
        col = index.column()
        if col == 0:
            return f"{row.family_name}, {row.preferred_name or row.given_name}"
        if col == 1:
            return row.date_of_birth.strftime("%d %b %Y") if row.date_of_birth else ""
        if col == 2:
            return _nhs(row.nhs_number)
        if col == 3:
            return row.postcode
        return row.status.replace("_", " ").capitalize()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and self.fetcher is not None and len(self.rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or self.fetcher is None:
            return
        more = self.fetcher(len(self.rows))
        if not more:
            self.total = len(self.rows)
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
        self.rows.extend(more)
        self.endInsertRows()


class ClientsPage(Page):
    key = "clients"
    title = "Clients"
    subtitle = "Search by name, NHS number or postcode."
    watches = frozenset({"client", "referral"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name, NHS number or postcode")
        self.search.setAccessibleName("Search clients")
        self.search.setClearButtonEnabled(True)
        self.layout_.addWidget(self.search)
        self.count = QLabel("")
        self.count.setObjectName("muted")
        self.layout_.addWidget(self.count)
        self.model = ClientTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Client list")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.layout_.addWidget(self.table, 1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self._loading = False
        self._generation = 0

    def is_loading(self) -> bool:
        return self._loading

    def refresh(self) -> None:
        super().refresh()
        if self.ctx is None:
            return
        ctx, text = self.ctx, self.search.text()
        self._generation += 1
        generation = self._generation

        def load() -> tuple[list[clients.ClientSummary], int]:
            return clients.list_clients(ctx, text, limit=PAGE), clients.count_clients(ctx, text)

        def show(result: tuple[list[clients.ClientSummary], int]) -> None:
            if generation != self._generation:
                return  # a newer search superseded this one
            rows, total = result
            self.model.reset(rows, total, lambda offset: clients.list_clients(
                ctx, text, limit=PAGE, offset=offset))
            self.count.setText(f"{total:,} client{'s' if total != 1 else ''}")

        self._loading = True
        Task(load).on_success(show).on_done(self._done).start()

    def _done(self) -> None:
        self._loading = False
