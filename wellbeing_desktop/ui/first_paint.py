"""Run something once a widget has painted for the first time (start-up ordering).

Start-up work that competes for the interpreter (imports, the first query) waits until the
window or the sign-in dialog is on screen, so that it does not delay the first paint."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _Once(QObject):
    def __init__(self, widget: QWidget, fn: Callable[[], object]) -> None:
        super().__init__(widget)
        self.fn: Callable[[], object] | None = fn
        widget.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and self.fn is not None:
            fn, self.fn = self.fn, None
            obj.removeEventFilter(self)
            QTimer.singleShot(0, fn)  # after this paint has finished
            self.deleteLater()
        return False


def after_first_paint(widget: QWidget, fn: Callable[[], object]) -> None:
    _Once(widget, fn)
