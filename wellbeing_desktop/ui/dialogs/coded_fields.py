"""The client form's optional coded questions (gender identity, ethnic category …).

One-answer lists are combo boxes whose first entry is "Not asked"; several-answer lists are
check lists. Labels come from the code lists, never bare codes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QListWidget, QListWidgetItem, QWidget

from wellbeing_desktop.domain import coded


class CodeChecklist(QListWidget):
    """Several codes from one list, ticked; `value()` is them joined by "," in list order."""

    def __init__(self, name: str, current: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        cl = coded.code_list(name)
        chosen = set(coded.split(current))
        self.setAccessibleName(cl.label)
        for code, label in cl.codes:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in chosen
                               else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.setMaximumHeight(96)

    def value(self) -> str:
        return ",".join(str(self.item(i).data(Qt.ItemDataRole.UserRole))
                        for i in range(self.count())
                        if self.item(i).checkState() == Qt.CheckState.Checked)

    def set_value(self, value: str) -> None:
        chosen = set(coded.split(value))
        for i in range(self.count()):
            item = self.item(i)
            item.setCheckState(Qt.CheckState.Checked
                               if item.data(Qt.ItemDataRole.UserRole) in chosen
                               else Qt.CheckState.Unchecked)


def coded_widget(name: str, current: str) -> QWidget:
    cl = coded.code_list(name)
    if cl.multiple:
        return CodeChecklist(name, current)
    box = QComboBox()
    box.setAccessibleName(cl.label)
    box.addItem(coded.NOT_ASKED_LABEL, "")
    for code, label in cl.codes:
        box.addItem(label, code)
    index = box.findData(current)
    box.setCurrentIndex(max(index, 0))
    return box


def value_of(widget: QWidget) -> str:
    if isinstance(widget, CodeChecklist):
        return widget.value()
    assert isinstance(widget, QComboBox)
    data: Any = widget.currentData()
    return str(data or "")
