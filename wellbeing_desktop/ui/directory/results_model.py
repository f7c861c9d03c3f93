"""A thin table model over directory search results (the search itself runs in SQL)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from wellbeing_desktop.domain.directory import MODES
from wellbeing_desktop.services.directory import ServiceHit
from wellbeing_desktop.ui.table_model import RowsTableModel

COLUMNS = ["Service", "Helps with", "Last checked"]
Index = QModelIndex | QPersistentModelIndex
HitRole = Qt.ItemDataRole.UserRole + 1


def checked_text(hit: ServiceHit) -> str:
    if hit.checked_on is None:
        return "Never checked"
    text = hit.checked_on.strftime("%b %Y")
    return f"{text} (stale)" if hit.stale else text


class ServiceTableModel(RowsTableModel):
    columns = COLUMNS

    @property
    def hits(self) -> list[ServiceHit]:
        return self.rows

    def reset(self, hits: list[ServiceHit]) -> None:
        self.set_rows(hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.hits):
            return None
        hit = self.hits[index.row()]
        col = index.column()
        if role == HitRole:
            return hit
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                marks = ("★ " if hit.favourite else "") + ("⚠ " if hit.reported_wrong else "")
                return marks + hit.name
            if col == 1:
                return hit.need_labels
            return checked_text(hit)
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            if hit.favourite:
                tips.append("A team favourite")
            if hit.reported_wrong:
                tips.append("Reported as closed or wrong: check before referring")
            if hit.stale:
                tips.append("Not checked for over 12 months")
            how = ", ".join(MODES[m] for m in hit.modes)
            return "\n".join([hit.organization, f"Helps with: {hit.need_labels}", how, *tips])
        if role == Qt.ItemDataRole.ForegroundRole and col == 2 and hit.stale:
            return QColor("#B10E1E")
        if role == Qt.ItemDataRole.AccessibleTextRole and col == 0:
            extra = [x for x, on in (("favourite", hit.favourite),
                                     ("reported wrong", hit.reported_wrong),
                                     ("stale", hit.stale)) if on]
            return hit.name + (f" ({', '.join(extra)})" if extra else "")
        return None

    def hit(self, row: int) -> ServiceHit | None:
        return self.hits[row] if 0 <= row < len(self.hits) else None
