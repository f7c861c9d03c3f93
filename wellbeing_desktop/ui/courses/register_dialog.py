"""Take a course session's register on one screen, by keyboard only: Up and Down move between
people; A (attended), L (late), E (left early), D (did not attend), C (cancelled by us) mark
the current person and move to the next; Space or Backspace clears; Ctrl+Enter saves. Fifteen
people fit without scrolling. The whole register is saved in one unit of work."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.domain import courses as rules
from wellbeing_desktop.services import course_register
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.services.sessions import topic_label
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.forms import cell
from wellbeing_desktop.ui.operations import read, write

KEYS = {getattr(Qt.Key, f"Key_{k}"): code for code, _, k in rules.MARKS}
CLEAR = (Qt.Key.Key_Space, Qt.Key.Key_Backspace, Qt.Key.Key_Delete)


class RegisterTable(QTableWidget):
    """The people, one row each; the dialog reads the mark keys before the table does."""

    def __init__(self, dialog: CourseRegisterDialog) -> None:
        super().__init__(0, 2)
        self.dialog = dialog

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if self.dialog.handle_key(event):
            event.accept()
            return
        super().keyPressEvent(event)


class CourseRegisterDialog(RememberingDialog):
    geometry_key = "course_register"

    handles_ctrl_enter = True   # its own Ctrl+Enter shortcut saves the register (ui/keys.py)

    def __init__(self, ctx: AppContext, session_id: uuid.UUID,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx = ctx
        self.session_id = session_id
        self.register: course_register.SessionRegister | None = None
        self.marks: dict[uuid.UUID, str] = {}
        self.saved = False
        self.setWindowTitle(self.tr("Take the register"))
        self.setObjectName("courseRegisterDialog")
        layout = QVBoxLayout(self)
        self.heading = QLabel("")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        keys = " · ".join(f"<b>{k}</b> {label.lower()}" for _, label, k in rules.MARKS)
        self.help = QLabel(self.tr("Keys: %1 · <b>Space</b> clear · <b>Ctrl+Enter</b> save")
                           .replace("%1", keys))
        self.help.setObjectName("muted")
        self.help.setWordWrap(True)
        layout.addWidget(self.help)
        self.table = RegisterTable(self)
        self.table.setHorizontalHeaderLabels([self.tr("Person"), self.tr("Mark")])
        self.table.setAccessibleName(self.tr("Register"))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self.status = QLabel("")
        self.status.setObjectName("scoreStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("&Save register"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("primary")
        self.save_button.setAutoDefault(False)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self).activated.connect(self.save)
        self.resize(560, 700)
        read(course_register.register, ctx, session_id).on_success(self._show).start()

    def _show(self, reg: course_register.SessionRegister) -> None:
        self.register = reg
        topics = ", ".join(topic_label(t) for t in reg.topics)
        when = reg.starts_at
        self.heading.setText(
            f"<b>{reg.course_title}</b> — session {reg.number} of {reg.of}<br>"
            f"{when:%A} {when.day} {when:%B}, {when:%H:%M} · {reg.venue}"
            + (f"<br>{topics}" if topics else ""))
        self.marks = {line.attendance_id: line.mark for line in reg.lines}
        self.table.setRowCount(len(reg.lines))
        for row, line in enumerate(reg.lines):
            name = QTableWidgetItem(line.name)
            name.setData(Qt.ItemDataRole.UserRole, line.attendance_id)
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, QTableWidgetItem(""))
            self._paint(row)
        if reg.lines:
            self.table.setCurrentCell(0, 0)
        self.table.setFocus()
        self._count()

    def line_id(self, row: int) -> uuid.UUID:
        value: uuid.UUID = cell(self.table, row, 0).data(Qt.ItemDataRole.UserRole)
        return value

    def _paint(self, row: int) -> None:
        mark = self.marks[self.line_id(row)]
        shown = "" if mark == rules.BOOKED else rules.mark_label(mark)
        cell(self.table, row, 1).setText(shown)
        name = cell(self.table, row, 0).text()
        cell(self.table, row, 0).setData(Qt.ItemDataRole.AccessibleTextRole,
                                         f"{name}: {shown or self.tr('not marked')}")

    def _count(self) -> None:
        marks = list(self.marks.values())
        left = sum(1 for m in marks if m == rules.BOOKED)
        present = rules.attended(marks)
        text = self.tr("%1 of %2 here").replace("%1", str(present)).replace("%2",
                                                                             str(len(marks)))
        if left:
            text += " · " + self.tr("%1 not marked yet").replace("%1", str(left))
        self.status.setText(text)

    def mark(self, row: int, code: str) -> None:
        self.marks[self.line_id(row)] = code
        self._paint(row)
        self._count()

    def handle_key(self, event: QKeyEvent) -> bool:
        row = self.table.currentRow()
        if row < 0 or self.register is None:
            return False
        key = Qt.Key(event.key())
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                | Qt.KeyboardModifier.AltModifier):
            return False
        if key in KEYS:
            self.mark(row, KEYS[key])
            if row + 1 < self.table.rowCount():
                self.table.setCurrentCell(row + 1, 0)
            else:
                self.save_button.setFocus()
            return True
        if key in CLEAR:
            self.mark(row, rules.BOOKED)
            return True
        return False

    def save(self) -> None:
        if self.register is None:
            return
        before = {line.attendance_id: line.mark for line in self.register.lines}
        changed = {k: v for k, v in self.marks.items() if before.get(k) != v}
        if not changed:
            self.saved = True
            self.accept()
            return
        self.save_button.setEnabled(False)
        write(course_register.take_register, self.ctx, self.session_id, changed) \
            .on_success(self._saved).on_error(self._failed).start()

    def _saved(self, changed: Any) -> None:
        self.saved = True
        self.save_button.setEnabled(True)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.error.setText("\n".join(p.message for p in exc.problems))
            self.error.setVisible(True)
            return
        from wellbeing_desktop.ui.dialogs.errors import show_error

        show_error(self, exc)
