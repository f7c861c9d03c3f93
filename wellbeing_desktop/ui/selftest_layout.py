"""The self-test's screen audit: for every page and dialog it opens, does the window fit a
1024×700 and a 1280×800 screen at 100 % and at 150 % text, do two Alt-letter shortcuts clash
within it, does every control have a name a screen reader can say, and does Tab reach every
control and come back without a trap (`selftest_tabwalk`) (issue 18).

"Fits" means, at that screen and text size: the window's minimum size is within the screen
(less a taskbar and a title bar); nothing scrolls sideways; no tab hides behind the tab bar's
scroll arrows; no field or button is squeezed below its own minimum; and Save (the dialog's
accepting button) is on screen, outside any scroll area. A 150 % text run sets the
application's font to 1.5 × its point size and restyles (sizes in the theme follow the font).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from wellbeing_desktop.ui.selftest_tabwalk import keyboard_problems

SCREENS = ((1024, 700), (1280, 800))
TEXT_SCALES = (1.0, 1.5)
# What a window may use of the screen: a taskbar (48 px) and a title bar (32 px) are taken.
TASKBAR, TITLE_BAR = 48, 32

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QTextEdit,
            QAbstractItemView)
MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str | None:
    """The Alt-letter of a caption ("&Save" → "s"; "&&" is a literal ampersand)."""
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def accessible_name(widget: QWidget) -> str:
    """What a screen reader announces: the accessible name, else what Qt derives (a buddy
    label, a button's text)."""
    if widget.accessibleName().strip():
        return widget.accessibleName()
    iface = QAccessible.queryAccessibleInterface(widget)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def _visible(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisibleTo(window) and widget.window() is window


def _where(widget: QWidget) -> str:
    name = widget.objectName() or ""
    text = ""
    if isinstance(widget, QAbstractButton | QLabel):
        text = widget.text().replace("&", "")[:40]
    elif isinstance(widget, QLineEdit):
        text = widget.placeholderText()[:40]
    parts = [type(widget).__name__]
    if name and not name.startswith("qt_"):
        parts.append(f"#{name}")
    if text:
        parts.append(f"“{text}”")
    return " ".join(parts)


def mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Alt-letter → the visible captions that use it, in the window as it shows now."""
    found: dict[str, list[str]] = {}

    def add(letter: str | None, what: str) -> None:
        if letter:
            found.setdefault(letter, []).append(what)

    for widget in window.findChildren(QWidget):
        if not _visible(widget, window):
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            add(mnemonic(widget.text()), f"label “{widget.text()}”")
        elif isinstance(widget, QAbstractButton) and widget.parent() is not None \
                and not isinstance(widget.parent(), QTabBar):
            add(mnemonic(widget.text()), f"button “{widget.text()}”")
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            add(mnemonic(widget.title()), f"group “{widget.title()}”")
        elif isinstance(widget, QTabBar):
            for i in range(widget.count()):
                if widget.isTabVisible(i):
                    add(mnemonic(widget.tabText(i)), f"tab “{widget.tabText(i)}”")
    if isinstance(window, QMainWindow) and window.menuBar().isVisible():
        for action in window.menuBar().actions():
            add(mnemonic(action.text()), f"menu “{action.text()}”")
    return found


def clashes(window: QWidget) -> list[str]:
    """Every Alt-letter two captions share, in each state of the window's tabs."""
    seen: set[str] = set()
    out: list[str] = []
    for _state in _tab_states(window):
        for letter, users in sorted(mnemonics(window).items()):
            if len(set(users)) > 1:
                line = f"Alt+{letter.upper()}: " + ", ".join(sorted(set(users)))
                if line not in seen:
                    seen.add(line)
                    out.append(line)
    return out


def _tab_states(window: QWidget) -> Iterator[None]:
    """The window as it is, then with each tab of each tab widget shown in turn."""
    yield None
    for tabs in window.findChildren(QTabWidget):
        if not _visible(tabs, window):
            continue
        current = tabs.currentIndex()
        for i in range(tabs.count()):
            if i != current and tabs.isTabVisible(i):
                tabs.setCurrentIndex(i)
                yield None
        tabs.setCurrentIndex(current)


def unnamed(window: QWidget) -> list[str]:
    """Visible controls a screen reader would announce with no name."""
    out: list[str] = []
    for _state in _tab_states(window):
        for widget in window.findChildren(QWidget):
            if not isinstance(widget, CONTROLS) or not _visible(widget, window):
                continue
            if isinstance(widget, QHeaderView) or \
                    isinstance(widget.parent(), QAbstractSpinBox | QComboBox | QTabBar) or \
                    widget.objectName().startswith("qt_"):
                continue  # the parts Qt makes inside a control: the control is named
            if not accessible_name(widget):
                where = _where(widget)
                if where not in out:
                    out.append(where)
    return out


def _on_screen(widget: QWidget, window: QWidget, room_w: int, room_h: int) -> bool:
    """Inside the window and inside the part of it the screen shows (a window taller than
    the screen cannot show its bottom)."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    shown = window.rect().intersected(QRect(0, 0, room_w, room_h))
    return shown.contains(QRect(top_left, widget.size()))


def _inside_scroll_area(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _accept_buttons(window: QWidget) -> list[QPushButton]:
    out = []
    for box in window.findChildren(QDialogButtonBox):
        if not _visible(box, window):
            continue
        for button in box.buttons():
            if box.buttonRole(button) in (QDialogButtonBox.ButtonRole.AcceptRole,
                                          QDialogButtonBox.ButtonRole.ApplyRole) \
                    and button.isVisibleTo(window) and isinstance(button, QPushButton):
                out.append(button)
    return out


def _shown_problems(window: QWidget) -> list[str]:
    """Sideways scrolling, hidden tabs and squeezed controls, as the window shows now."""
    problems: list[str] = []
    for area in window.findChildren(QAbstractScrollArea):
        if not _visible(area, window) or isinstance(area, QAbstractItemView | QTextEdit
                                                    | QPlainTextEdit):
            continue
        bar = area.horizontalScrollBar()
        if bar.maximum() > 0 and bar.isVisibleTo(window):
            inner = area.widget() if isinstance(area, QScrollArea) else None
            problems.append(f"scrolls sideways ({_where(area)}"
                            + (f"; {_widest(inner, area.viewport().width())}" if inner else "")
                            + ")")
    for tabs in window.findChildren(QTabBar):
        if _visible(tabs, window) and tabs.count() and tabs.width() > 0:
            first, last = tabs.tabRect(0), tabs.tabRect(tabs.count() - 1)
            if first.left() < 0 or last.right() > tabs.width():
                problems.append("tabs hide behind scroll arrows")
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QLineEdit | QComboBox | QPushButton) and _visible(widget, window) \
                and widget.parentWidget() is not None \
                and not isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox) \
                and not _inside_scroll_area(widget, window) \
                and widget.width() + 1 < widget.minimumSizeHint().width():
            problems.append(f"squeezed: {_where(widget)} {widget.width()} px wide, "
                            f"needs {widget.minimumSizeHint().width()}")
        elif isinstance(widget, QLabel) and widget.wordWrap() and widget.text() and \
                _visible(widget, window) and widget.width() > 0 and \
                widget.height() + 2 < widget.heightForWidth(widget.width()):
            # A wrapped label given fewer lines than its text needs: cut off, or overlapped
            # by what comes next (the lock screen and the sign-in did this at 150 %).
            problems.append(f"text cut off: {_where(widget)} {widget.height()} px tall, "
                            f"needs {widget.heightForWidth(widget.width())}")
    return problems


def layout_problems(window: QWidget, width: int, height: int) -> list[str]:
    """Why the window does not fit a `width`×`height` screen at the current text size."""
    room_w, room_h = width, height - TASKBAR - (0 if window.isMaximized() else TITLE_BAR)
    problems = []
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    if least.width() > room_w or least.height() > room_h:
        problems.append(f"needs at least {least.width()}×{least.height()}")
    # The window as it opens on this screen: the main window fills it; a dialog keeps its
    # own size where the screen allows.
    if isinstance(window, QMainWindow):
        target_w, target_h = room_w, room_h
    else:
        target_w, target_h = min(window.width(), room_w), min(window.height(), room_h)
    QWidget.resize(window, max(target_w, 1), max(target_h, 1))
    _settle()
    for _state in _tab_states(window):   # every tab: a hidden one may be the wide one
        _settle()
        for problem in _shown_problems(window):
            if problem not in problems:
                problems.append(problem)
    for button in _accept_buttons(window):
        if _inside_scroll_area(button, window) or not _on_screen(button, window, room_w,
                                                                 room_h):
            problems.append(f"“{button.text().replace('&', '')}” is not always on screen")
    return problems


def _widest(widget: QWidget, room: int) -> str:
    """The deepest part wider than `room` at its minimum, and what it holds side by side:
    where to look when something scrolls sideways."""
    while True:
        wider = [c for c in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                 if c.isVisibleTo(widget) and c.minimumSizeHint().width() > room]
        if not wider:
            break
        widget = wider[0]
    parts = [f"{_where(c)} {c.minimumSizeHint().width()}"
             for c in widget.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
             if c.isVisibleTo(widget)]
    return f"{_where(widget)} needs {widget.minimumSizeHint().width()} px: " + ", ".join(parts[:8])


def _settle() -> None:
    app = QApplication.instance()
    if app is not None:
        app.processEvents()
        app.processEvents()


@contextmanager
def text_scale(scale: float, window: QWidget | None = None) -> Iterator[None]:
    """Text at `scale` × the application's font size, restyled; put back after.

    With `window`, only that window is enlarged and restyled: the same fonts and stylesheet
    its widgets get when the application's font is enlarged, without restyling every other
    window (that took about 3 s per window, most of the self-test's time)."""
    from PySide6.QtGui import QFont, QGuiApplication

    from wellbeing_desktop.ui import theme

    app = QApplication.instance()
    if scale == 1.0 or not isinstance(app, QApplication):
        yield
        return
    font = QGuiApplication.font()
    base = float(app.property("wellbeingBasePt") or font.pointSizeF())
    bigger = QFont(font)
    bigger.setPointSizeF(font.pointSizeF() * scale)
    if window is None:
        QApplication.setFont(bigger)
        theme.apply(app, base * scale)
    else:
        had_font = window.testAttribute(Qt.WidgetAttribute.WA_SetFont)
        old_font, old_sheet = QFont(window.font()), window.styleSheet()
        window.setFont(bigger)
        # With a stylesheet, a parent's font does not pass to its children: the size goes
        # in the window's own sheet, under the theme's rules (its titles stay larger).
        window.setStyleSheet(f"* {{ font-size: {bigger.pointSizeF():.1f}pt; }}\n"
                             + theme.stylesheet(theme.colours(), base * scale) + old_sheet)
    _settle()
    try:
        yield
    finally:
        if window is None:
            QApplication.setFont(font)
            theme.apply(app, base)
        else:
            window.setStyleSheet(old_sheet)
            window.setFont(old_font if had_font else QFont())
        _settle()


@dataclass
class ScreenAudit:
    """Results per window, in the order the self-test opened them."""

    results: list[dict[str, Any]] = field(default_factory=list)

    def inspect(self, name: str, window: QWidget) -> dict[str, Any]:
        window = window.window()
        size = window.size()
        was_max = window.isMaximized()
        fits: dict[str, list[str]] = {}
        for scale in TEXT_SCALES:
            with text_scale(scale, window):
                for width, height in SCREENS:
                    layout = window.layout()
                    if layout is not None:
                        layout.activate()
                    QWidget.resize(window, size)
                    _settle()
                    fits[f"{width}x{height} at {round(scale * 100)}% text"] = \
                        layout_problems(window, width, height)
        QWidget.resize(window, size)
        if was_max:
            window.showMaximized()
        _settle()
        found_clashes, found_unnamed = clashes(window), unnamed(window)
        traps = keyboard_problems(window)
        result: dict[str, Any] = {
            "name": name, "fits": {k: not v for k, v in fits.items()},
            "problems": {k: v for k, v in fits.items() if v},
            "mnemonic_clashes": found_clashes, "unnamed_controls": found_unnamed,
            "keyboard": traps,
            "ok": not any(fits.values()) and not found_clashes and not found_unnamed
            and not traps}
        self.results.append(result)
        return result


_AUDIT: ScreenAudit | None = None
CURRENT = ""  # the self-test check that is running: the name a window is reported under


def start() -> ScreenAudit:
    global _AUDIT
    _AUDIT = ScreenAudit()
    return _AUDIT


def stop() -> None:
    global _AUDIT
    _AUDIT = None


def inspect(widget: QWidget, name: str = "") -> None:
    """Audit the window `widget` is in, when a self-test is auditing (else nothing), under
    `name` or the running check's name."""
    if _AUDIT is not None:
        _AUDIT.inspect(name or CURRENT, widget)


def summary(result: dict[str, Any]) -> str:
    """One line for the report: what is wrong, or the sizes it fits."""
    parts = [f"{k}: {'; '.join(v)}" for k, v in result["problems"].items()]
    if result["mnemonic_clashes"]:
        parts.append("mnemonic clashes: " + "; ".join(result["mnemonic_clashes"]))
    if result["unnamed_controls"]:
        parts.append("no accessible name: " + ", ".join(result["unnamed_controls"]))
    if result["keyboard"]:
        parts.append("Tab walk: " + "; ".join(result["keyboard"]))
    return " | ".join(parts) or ("fits 1024×700 and 1280×800 at 100 % and 150 % text; "
                                 "Tab reaches every control and comes back")
