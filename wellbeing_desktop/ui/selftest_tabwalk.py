"""Walk a window by Tab as a keyboard user does, and say what was missed or where it stuck."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QRadioButton,
    QWidget,
)


def _label(w: QWidget) -> str:
    text = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
    return f"{type(w).__name__} “{text.replace('&', '')}” #{w.objectName()}".rstrip(" #")


def tab_stops(window: QWidget) -> list[QWidget]:
    """Everything a keyboard user should reach by Tab: shown, enabled, taking Tab focus, not
    a part inside a composite control (a combo's or spin box's line edit)."""
    stops = []
    for w in window.findChildren(QWidget):
        if not (w.isVisibleTo(window) and w.isEnabled()
                and w.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus):
            continue
        if isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox)) or w.focusProxy():
            continue
        if w.window() is not window:
            continue
        stops.append(w)
    return stops


def _group_key(w: QWidget) -> object | None:
    """Tab reaches one button of an exclusive group; arrows move inside it."""
    if isinstance(w, QAbstractButton):
        group = w.group()
        if isinstance(group, QButtonGroup) and group.exclusive():
            return group
        if isinstance(w, QRadioButton) and w.autoExclusive():
            return ("radio", w.parentWidget())
    return None


@dataclass
class Walk:
    visited: list[QWidget] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def walk(window: QWidget, start: QWidget | None = None) -> Walk:
    stops = tab_stops(window)
    result = Walk()
    first = start or QApplication.focusWidget()
    if first is None or first.window() is not window:
        result.problems.append("nothing has focus when the window opens")
        return result

    def owner(w: QWidget | None) -> QWidget | None:
        while w is not None and w not in stops and w is not window:
            w = w.parentWidget()
        return w if w in stops else None

    def sections(w: QWidget | None) -> int:
        return w.sectionCount() if isinstance(w, QDateTimeEdit) else 1

    begin = owner(first)
    current: QWidget | None = first
    stayed = 0
    for _ in range(sum(sections(w) for w in stops) * 2 + 4):
        assert current is not None
        QTest.keyClick(current, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is None or now.window() is not window:
            result.problems.append(f"Tab from {_label(current)} landed on nothing")
            return result
        if now is current:
            # A date's Tab goes day, month, year, then on (Qt's way, not a trap); staying
            # longer than its sections is a trap ("Not set" held Tab for ever).
            stayed += 1
            if stayed >= sections(owner(now)):
                result.problems.append(f"Tab stays in {_label(current)} (a keyboard trap)")
                return result
            continue
        stayed = 0
        here = owner(now)
        if here is not None:
            result.visited.append(here)
        current = now
        if here is begin and begin is not None:
            break
    else:
        result.problems.append(f"Tab never came back to {_label(begin or first)}")
    seen = set(map(id, result.visited))
    groups_seen = {_group_key(w) for w in result.visited} - {None}
    for w in stops:
        key = _group_key(w)
        if id(w) in seen or (key is not None and key in groups_seen):
            continue
        if any(w.isAncestorOf(v) for v in result.visited):
            continue   # a table whose cell widgets (a course's topics) Tab goes through
        result.problems.append(f"Tab never reaches {_label(w)}")
    return result


def keyboard_problems(window: QWidget) -> list[str]:
    """The self-test's walk of a shown window: made active as a person's would be, walked from
    where its focus starts, the focus put back after. Nothing for a window not shown."""
    if not window.isVisible():
        return []
    before = QApplication.focusWidget()
    window.activateWindow()
    QApplication.processEvents()
    try:
        return walk(window).problems
    finally:
        if before is not None and before.window() is window:
            before.setFocus(Qt.FocusReason.OtherFocusReason)
