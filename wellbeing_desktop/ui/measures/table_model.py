"""A client's administrations as a small table model (a client has tens, not thousands)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from wellbeing_desktop.services.measures import Administration

Index = QModelIndex | QPersistentModelIndex


class AdministrationsModel(QAbstractTableModel):
    HEADERS = ("Date", "Measure", "Score", "Band", "Caseness", "Entered")

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Administration] = []

    def set_rows(self, rows: list[Administration]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal \
                and 0 <= section < len(self.HEADERS):
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{row.taken_on.day} {row.taken_on.strftime('%b %Y')}"
            if column == 1:
                return row.measure_title
            if column == 2:
                return row.total_text if row.valid else "not valid"
            if column == 3:
                return row.band or ""
            if column == 4:
                return "" if row.caseness is None else ("case" if row.caseness else "below")
            if column == 5:
                return "paper form" if row.entered_from_paper else "in session"
        if role == Qt.ItemDataRole.UserRole:
            return str(row.id)
        if role == Qt.ItemDataRole.ToolTipRole:
            answers = ", ".join("–" if a is None else str(a) for a in row.answers)
            return f"{row.measure_title} answers in item order: {answers}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
