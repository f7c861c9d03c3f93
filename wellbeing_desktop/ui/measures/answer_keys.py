"""The administer dialog's keyboard: number keys answer the current item and move on (on a
0–10 item, "1" then "0" is 10); N answers "not applicable" where allowed; - or Backspace
clears; Up, Down and Enter move. Mixed into `AdministerDialog`, which owns the rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog

from wellbeing_desktop.domain.measures import NOT_APPLICABLE
from wellbeing_desktop.ui.measures.item_row import ItemRow

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QPushButton, QScrollArea


# Type-checked as the widget it is mixed into; at run time a plain mixin (the widget's own
# methods come from the widget's class).
_Base = QDialog if TYPE_CHECKING else object


class AnswerKeysMixin(_Base):  # type: ignore[misc,valid-type]
    rows: list[ItemRow]
    _pending: ItemRow | None
    scroll_area: QScrollArea
    save_button: QPushButton
    status: QLabel


    # -- keyboard --------------------------------------------------------------------------
    def _advance(self, row: ItemRow) -> None:
        index = self.rows.index(row)
        nxt = next((r for r in self.rows[index + 1:] if r.isEnabled()), None)
        if nxt is not None:
            nxt.setFocus()
            self.scroll_area.ensureWidgetVisible(nxt)
        else:
            self.save_button.setFocus()

    def handle_key(self, row: ItemRow, event: QKeyEvent) -> bool:
        key, text = event.key(), event.text()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self._pending = None
            index = self.rows.index(row) + (1 if key == Qt.Key.Key_Down else -1)
            if 0 <= index < len(self.rows):
                self.rows[index].setFocus()
                self.scroll_area.ensureWidgetVisible(self.rows[index])
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._pending = None
            self._advance(row)
            return True
        if text.isdigit() and len(text) == 1:
            digit = int(text)
            if self._pending is row:
                self._pending = None
                if digit == 0 and 10 in row.values:
                    row.set_value(10)
                    self._advance(row)
                    return True
                self._advance(row)
                index = self.rows.index(row)
                if index + 1 < len(self.rows):
                    return self.handle_key(self.rows[index + 1], event)
                return True
            if digit not in row.values:
                self.status.setText(self.tr("%1 is not an answer to item %2; use %3").replace(
                    "%1", text).replace("%2", str(row.number)).replace(
                    "%3", ", ".join(str(v) for v in row.values)))
                return True
            row.set_value(digit)
            if digit == 1 and row.takes_two_digits:
                self._pending = row
            else:
                self._advance(row)
            return True
        if text.upper() == "N" and row.item.not_applicable_allowed:
            self._pending = None
            row.set_value(NOT_APPLICABLE)
            self._advance(row)
            return True
        if text == "-" or key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self._pending = None
            row.set_value(None)
            return True
        return False

