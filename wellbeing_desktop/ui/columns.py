"""Cards in two columns when there is room, one when there is not (a 1024×700 screen, or
150 % text): the page never scrolls sideways to show the second column (issue 18)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QWidget


class Columns(QWidget):
    def __init__(self, columns: int = 2, spacing: int = 12, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.most = columns
        self.items: list[QWidget] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(spacing)
        self.columns = columns

    def add(self, widget: QWidget) -> None:
        self.items.append(widget)
        self._place(self.columns)

    def columns_for(self, width: int) -> int:
        """As many columns as fit side by side at their minimum widths."""
        widest = max((w.minimumSizeHint().width() for w in self.items), default=0)
        for n in range(self.most, 1, -1):
            if n * widest + (n - 1) * self.grid.spacing() <= width:
                return n
        return 1

    def _place(self, columns: int) -> None:
        self.columns = columns
        for widget in self.items:
            self.grid.removeWidget(widget)
        for i, widget in enumerate(self.items):
            self.grid.addWidget(widget, i // columns, i % columns)
        for c in range(self.most):
            self.grid.setColumnStretch(c, 1 if c < columns else 0)
        self.grid.setRowStretch(len(self.items) // columns + 1, 1)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """One column's width: narrower than that, the cards go one under another."""
        hint = super().minimumSizeHint()
        widest = max((w.minimumSizeHint().width() for w in self.items), default=0)
        return QSize(widest, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        wanted = self.columns_for(event.size().width())
        if wanted != self.columns:
            self._place(wanted)
