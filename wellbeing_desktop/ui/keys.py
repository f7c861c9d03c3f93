"""Ctrl+Enter saves every form (issue 18), not only the casework forms that watch for it
themselves (`FormDialog`): an application-wide filter finds the window's Save and presses it.

"Save" is, in order: the window's `save_button`, else its button box's accepting button
(Save, OK, or a button in the accept role). In the main window, the nearest settings section
(or panel) around the focused field that has a `save_button`. Nothing is pressed when it is
hidden or disabled, or when the window or the button is marked `consequential` (erasing,
merging: those are confirmed by a deliberate click or Enter on the button itself).
Escape cancels through QDialog's own handling (every dialog's `reject`). A window with its
own Ctrl+Enter (`handles_ctrl_enter`: casework forms, the course register) keeps it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QDialogButtonBox, QWidget


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
    """Installed once on the application (`install`). Each top-level window gets a Ctrl+Enter
    shortcut when it first takes focus: a shortcut costs nothing per event, where an
    application-wide Python event filter would run for every event of every widget."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        app.focusWindowChanged.connect(self._window_focused)
        self._window_focused()

    def _window_focused(self, *_: object) -> None:
        window = QApplication.activeWindow()
        if window is not None:
            self.watch(window)

    def watch(self, window: QWidget) -> None:
        """Give `window` its Ctrl+Enter (once), unless it saves by Ctrl+Enter itself."""
        if getattr(window, "handles_ctrl_enter", False) or window.property("ctrl_enter_keys"):
            return
        window.setProperty("ctrl_enter_keys", True)
        for sequence in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(sequence), window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            # No reference to the window is kept here (a closed window must be free to go).
            shortcut.activated.connect(self._save)

    @staticmethod
    def _save() -> None:
        window = QApplication.activeWindow()
        if window is None:
            return
        focus = QApplication.focusWidget()
        button = save_button_for(focus if focus is not None and focus.window() is window
                                 else window)
        if button is not None:
            button.click()


_installed: SaveKeys | None = None


def install(app: QApplication) -> None:
    global _installed
    if _installed is None or _installed.parent() is not app:
        _installed = SaveKeys(app)
