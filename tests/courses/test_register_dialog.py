"""pytest-qt: a register of 15 people taken on one screen with the keyboard only."""

from __future__ import annotations

from datetime import date
from typing import Any

from courses_helpers import people, sleep_course
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from wellbeing_desktop.services import course_register, courses, sessions
from wellbeing_desktop.ui.courses.register_dialog import CourseRegisterDialog


def test_fifteen_people_by_keyboard(ctx: Any, qtbot: Any, immediate_tasks: None) -> None:
    course = sleep_course(ctx, capacity=15)
    group = people(ctx, 15)
    for x in group:
        courses.enrol(ctx, course, x, today=date(2026, 10, 1))
    session = courses.get_course(ctx, course).sessions[0]
    dialog = CourseRegisterDialog(ctx, session.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.table)
    assert dialog.table.rowCount() == 15
    # Every row is on screen at once: no scrolling to take the register.
    last = dialog.table.visualItemRect(dialog.table.item(14, 0))
    assert dialog.table.viewport().rect().contains(last)
    keys = "AAALEDCAAAAAADA"
    for key in keys[:5]:
        qtbot.keyClick(dialog.table, key)
    assert dialog.table.currentRow() == 5
    qtbot.keyClick(dialog.table, Qt.Key.Key_Up)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)  # clear row 5 (was E)
    assert dialog.table.item(4, 1).text() == ""
    qtbot.keyClick(dialog.table, "E")
    for key in keys[5:]:
        qtbot.keyClick(dialog.table, key)
    assert "12 of 15 here" in dialog.status.text()
    assert "not marked" not in dialog.status.text()
    assert not dialog.grab().isNull()  # painted (look at it by saving it)
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: dialog.saved)
    marks = {line.name: line.mark for line in course_register.register(ctx, session.id).lines}
    order = [line.name for line in course_register.register(ctx, session.id).lines]
    assert [marks[n] for n in order] == [
        "attended", "attended", "attended", "late", "left_early", "did_not_attend",
        "cancelled_service", "attended", "attended", "attended", "attended", "attended",
        "attended", "did_not_attend", "attended"]
    contacts = [c for x in group for c in sessions.list_for_client(ctx, x)]
    assert len(contacts) == 15 and {c.mode for c in contacts} == {"group"}
