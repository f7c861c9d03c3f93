"""Plain-language error dialogs. The details (identifiers only) go to the log file."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from wellbeing_desktop.services.errors import WellbeingError
from wellbeing_desktop.ui.worker import closing, on_gui_thread

log = logging.getLogger(__name__)


def message_for(exc: BaseException) -> str:
    if isinstance(exc, WellbeingError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"The file could not be used: {exc.strerror or exc}."
    return ("Something went wrong and the action was not completed. Nothing has been lost; "
            "the details are in the log file for your support team.")


class _Relay(QObject):
    """Carries an error raised on a worker thread to the GUI thread, where the box is built."""

    raised = Signal(object, str)

    def __init__(self) -> None:
        super().__init__()
        self.raised.connect(self._show)

    @Slot(object, str)
    def _show(self, exc: object, title: str) -> None:
        assert isinstance(exc, BaseException)
        show_error(None, exc, title)


_relay: _Relay | None = None


def make_relay() -> None:
    """Made on the GUI thread at start-up, so that it lives there."""
    global _relay
    if _relay is None and on_gui_thread():
        _relay = _Relay()


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Could not finish") -> None:
    """Show `exc` in plain words. Safe from any thread: a widget is only ever built on the GUI
    thread (from elsewhere the error is sent there), and never while the app is closing."""
    if not isinstance(exc, WellbeingError):
        from wellbeing_desktop.ui.crash import describe

        # The message may hold what the user typed; log only the type and where it happened.
        log.error("unexpected error shown to user: %s", describe(type(exc), exc.__traceback__))
    if QApplication.instance() is None or closing():
        return
    if not on_gui_thread():
        if _relay is not None:
            _relay.raised.emit(exc, title)
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(message_for(exc))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("errorDialog")
    box.open()
