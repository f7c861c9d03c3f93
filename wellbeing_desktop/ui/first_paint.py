"""Run something once a widget has painted for the first time (start-up ordering).

Start-up work that competes for the interpreter (imports, the first query) waits until the
window or the sign-in dialog is on screen, so that it does not delay the first paint."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _Once(QObject):
    def __init__(self, widget: QWidget, fn: Callable[[], object], fallback_ms: int) -> None:
        super().__init__(widget)
        self.widget = widget
        self.fn: Callable[[], object] | None = fn
        widget.installEventFilter(self)
        # A window that never paints (started minimised, on another desktop) must still get
        # its records opened: after `fallback_ms` the work runs anyway.
        QTimer.singleShot(fallback_ms, self, self.fire)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and self.fn is not None:
            QTimer.singleShot(0, self, self.fire)  # after this paint has finished
        return False

    def fire(self) -> None:
        if self.fn is None:
            return
        fn, self.fn = self.fn, None
        self.widget.removeEventFilter(self)
        fn()
        self.deleteLater()


def after_first_paint(widget: QWidget, fn: Callable[[], object], *,
                      fallback_ms: int = 1000) -> None:
    """Run `fn` once, just after `widget` first paints, or after `fallback_ms` at the latest."""
    _Once(widget, fn, fallback_ms)
