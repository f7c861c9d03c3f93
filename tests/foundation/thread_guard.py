"""Checks that turn thread mistakes into test failures (used by the app-run tests).

- `WidgetGuard`: every QWidget class of QtWidgets/QtPrintSupport gets an `__init__` that records
  (and refuses) construction off the GUI thread; Qt's own thread warnings ("QWidget: Must
  construct a QApplication…", "Cannot create children for a parent in a different thread", …)
  are caught by a message handler and recorded too.
- `StoreGuard`: a SQLAlchemy pool `checkout`/`connect` listener records every store connection
  taken on the GUI thread (no database work there, ever).
"""

from __future__ import annotations

import threading
from typing import Any

THREAD_WARNINGS = ("Must construct a QApplication", "different thread", "another thread",
                   "outside the GUI thread", "Cannot create children", "GUI thread",
                   "Cannot send events to objects owned by a different thread",
                   "Timers cannot be", "QObject::killTimer", "QObject::startTimer")


class WidgetGuard:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self._patched: dict[type, Any] = {}
        self._previous: Any = None

    def install(self) -> WidgetGuard:
        from PySide6 import QtPrintSupport, QtWidgets
        from PySide6.QtCore import qInstallMessageHandler
        from PySide6.QtWidgets import QWidget

        gui = threading.main_thread()
        for module in (QtWidgets, QtPrintSupport):
            for name in dir(module):
                cls = getattr(module, name)
                if not (isinstance(cls, type) and issubclass(cls, QWidget)):
                    continue
                original = cls.__dict__.get("__init__")
                if original is None or cls in self._patched:
                    continue

                def init(obj: Any, *args: Any, __original: Any = original, **kwargs: Any) -> Any:
                    if threading.current_thread() is not gui:
                        problem = (f"{type(obj).__name__} constructed on thread "
                                   f"{threading.current_thread().name}")
                        self.problems.append(problem)
                        raise RuntimeError(problem)
                    return __original(obj, *args, **kwargs)

                cls.__init__ = init  # type: ignore[misc]
                self._patched[cls] = original

        def handler(_mode: Any, _context: Any, message: str) -> None:
            if any(part in message for part in THREAD_WARNINGS):
                self.problems.append(f"Qt: {message}")

        self._previous = qInstallMessageHandler(handler)
        return self

    def uninstall(self) -> None:
        from PySide6.QtCore import qInstallMessageHandler

        for cls, original in self._patched.items():
            cls.__init__ = original  # type: ignore[misc]
        self._patched.clear()
        qInstallMessageHandler(self._previous)


class StoreGuard:
    def __init__(self) -> None:
        self.on_gui_thread: list[str] = []
        self.elsewhere = 0

    def install(self) -> StoreGuard:
        import traceback

        from sqlalchemy import event
        from sqlalchemy.pool import Pool

        def taken(*_args: Any) -> None:
            if threading.current_thread() is threading.main_thread():
                frames = [f for f in traceback.extract_stack()
                          if "wellbeing_desktop" in f.filename and "/storage/" not in f.filename]
                where = " <- ".join(f"{f.filename.rsplit('wellbeing_desktop/', 1)[-1]}:"
                                    f"{f.lineno} {f.name}" for f in reversed(frames[-5:]))
                self.on_gui_thread.append(where)
            else:
                self.elsewhere += 1

        event.listen(Pool, "checkout", taken)
        self._taken = taken
        return self

    def uninstall(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.pool import Pool

        event.remove(Pool, "checkout", self._taken)
