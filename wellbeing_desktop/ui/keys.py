"""Ctrl+Enter saves every form (issue 18), not only the casework forms that watch for it
themselves (`FormDialog`): an application-wide filter finds the window's Save and presses it.

"Save" is, in order: the window's `save_button`, else its button box's accepting button
(Save, OK, or a button in the accept role). In the main window, the nearest settings section
(or panel) around the focused field that has a `save_button`. Nothing is pressed when it is
hidden or disabled, or when the window or the button is marked `consequential` (erasing,
merging: those are confirmed by a deliberate click or Enter on the button itself).
Escape cancels through QDialog's own handling (every dialog's `reject`)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QDialogButtonBox, QWidget

SAVE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def save_button_for(widget: QWidget) -> QAbstractButton | None:
    """The button Ctrl+Enter presses for the form `widget` is in, or None."""
    window = widget.window()
    if window.property("consequential"):
        return None
    holder: QWidget | None = widget
    while holder is not None:
        found = getattr(holder, "save_button", None)
        if isinstance(found, QAbstractButton):
            return _usable(found, window)
        if holder is window:
            break
        holder = holder.parentWidget()
    if isinstance(window, QDialog):
        for box in window.findChildren(QDialogButtonBox):
            if not box.isVisibleTo(window):
                continue
            for standard in (QDialogButtonBox.StandardButton.Save,
                             QDialogButtonBox.StandardButton.Ok):
                named = box.button(standard)
                if named is not None and _usable(named, window):
                    return named
            for button in box.buttons():
                if box.buttonRole(button) == QDialogButtonBox.ButtonRole.AcceptRole and \
                        _usable(button, window):
                    return button
    return None


def _usable(button: QAbstractButton, window: QWidget) -> QAbstractButton | None:
    if button.isVisibleTo(window) and button.isEnabled() and \
            not button.property("consequential"):
        return button
    return None


class SaveKeys(QObject):
    """Installed once on the application (`install`)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QWidget):
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() not in SAVE_KEYS or \
                not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            return False
        window = watched.window()
        if getattr(window, "handles_ctrl_enter", False):
            return False  # FormDialog saves through its own checks
        button = save_button_for(watched)
        if button is None:
            return False
        button.click()
        return True


_installed: SaveKeys | None = None


def install(app: QApplication) -> None:
    global _installed
    if _installed is None or _installed.parent() is not app:
        _installed = SaveKeys(app)
        app.installEventFilter(_installed)
