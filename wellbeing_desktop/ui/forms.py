"""Small helpers for forms: inline field errors next to the field, buddy labels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLayout,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from wellbeing_desktop.services.errors import ValidationError


class FieldErrors:
    """Shows a service's `ValidationError` under each named field; keeps what was typed."""

    def __init__(self) -> None:
        self._labels: dict[str, QLabel] = {}
        self._widgets: dict[str, QWidget] = {}

    def add_row(self, form: QFormLayout, label: str, field: str, widget: QWidget) -> QLabel:
        caption = QLabel(label)
        caption.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", ""))
        error = QLabel("")
        error.setObjectName("fieldError")
        error.setWordWrap(True)
        error.setVisible(False)
        box = QWidget()
        from PySide6.QtWidgets import QVBoxLayout

        col = QVBoxLayout(box)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(2)
        col.addWidget(widget)
        col.addWidget(error)
        form.addRow(caption, box)
        self._labels[field] = error
        self._widgets[field] = widget
        return caption

    def clear(self) -> None:
        for label in self._labels.values():
            label.clear()
            label.setVisible(False)

    def show(self, exc: ValidationError) -> list[str]:
        """Show each problem; returns messages that belong to no field on this form."""
        self.clear()
        orphans: list[str] = []
        first: QWidget | None = None
        for problem in exc.problems:
            label = self._labels.get(problem.field)
            if label is None:
                orphans.append(problem.message)
                continue
            label.setText(problem.message)
            label.setVisible(True)
            widget = self._widgets[problem.field]
            widget.setAccessibleDescription(problem.message)
            first = first or widget
        if first is not None:
            first.setFocus()
        return orphans


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    """The item a table row was filled with (Qt types it as maybe-None)."""
    item = table.item(row, column)
    if item is None:
        raise LookupError(f"no item at row {row}, column {column}")
    return item


def scrolling(fields: QLayout) -> QScrollArea:
    """The fields in a scroll area (put the buttons below it): however short the screen or
    large the text, the dialog's Save stays on screen (issue 18)."""
    holder = QWidget()
    holder.setLayout(fields)
    area = QScrollArea()
    area.setWidget(holder)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area
