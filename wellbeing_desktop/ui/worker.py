"""One helper for all long work (STYLE §4).

    Task(fn, *args).on_success(cb).on_error(cb).with_progress(bar).start()

`fn` runs on a worker thread; callbacks run on the GUI thread. A function that accepts a
`report` keyword gets a callable `report(percent, message)`, and may check `report.cancelled`.
Database writes go through one single-threaded pool (`writes=True`) so they are serialised.
Tests call `use_immediate_pools()` to run every task at once on the calling thread.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressBar, QStatusBar

log = logging.getLogger(__name__)


class _Signals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, str)
    finished = Signal()


class Reporter:
    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def __call__(self, percent: int, message: str = "") -> None:
        self._signals.progressed.emit(int(percent), message)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


class Cancelled(Exception):
    """Raised by a task that noticed `report.cancelled`."""


class _Runnable(QRunnable):
    def __init__(self, task: Task) -> None:
        super().__init__()
        self.task = task
        self.setAutoDelete(True)

    @Slot()
    def run(self) -> None:
        self.task._execute()


class _ImmediatePool:
    """Runs each task at once on the caller's thread (tests; Picard's FakeThreadPool)."""

    def start(self, runnable: _Runnable) -> None:
        runnable.run()

    def waitForDone(self, _msecs: int = -1) -> bool:  # noqa: N802 - Qt's name
        return True


_read_pool: Any = None
_write_pool: Any = None
_live: set[Task] = set()


def _pools() -> tuple[Any, Any]:
    global _read_pool, _write_pool
    if _read_pool is None:
        _read_pool = QThreadPool.globalInstance()
    if _write_pool is None:
        _write_pool = QThreadPool()
        _write_pool.setMaxThreadCount(1)
    return _read_pool, _write_pool


def use_immediate_pools() -> None:
    global _read_pool, _write_pool
    _read_pool = _write_pool = _ImmediatePool()


def use_thread_pools() -> None:
    global _read_pool, _write_pool
    _read_pool = _write_pool = None


def wait_for_all(msecs: int = 30_000) -> None:
    read, write = _pools()
    write.waitForDone(msecs)
    read.waitForDone(msecs)


class Task:
    def __init__(self, fn: Callable[..., Any], *args: Any, writes: bool = False,
                 **kwargs: Any) -> None:
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.writes = writes
        self.signals = _Signals()
        self.reporter = Reporter(self.signals)
        self._success: list[Callable[[Any], None]] = []
        self._error: list[Callable[[BaseException], None]] = []
        self._done: list[Callable[[], None]] = []
        self.signals.succeeded.connect(self._emit_success)
        self.signals.failed.connect(self._emit_error)
        self.signals.finished.connect(self._emit_done)

    def on_success(self, cb: Callable[[Any], None]) -> Task:
        self._success.append(cb)
        return self

    def on_error(self, cb: Callable[[BaseException], None]) -> Task:
        self._error.append(cb)
        return self

    def on_done(self, cb: Callable[[], None]) -> Task:
        self._done.append(cb)
        return self

    def on_progress(self, cb: Callable[[int, str], None]) -> Task:
        self.signals.progressed.connect(cb)
        return self

    def with_progress(self, bar: QProgressBar, status: QStatusBar | None = None) -> Task:
        def show(percent: int, message: str) -> None:
            bar.setVisible(True)
            bar.setValue(percent)
            if message:
                bar.setFormat(f"{message} %p%")
                if status is not None:
                    status.showMessage(message, 4000)

        self.signals.progressed.connect(show)
        self._done.append(lambda: bar.setVisible(False))
        return self

    def cancel(self) -> None:
        self.reporter.cancel()

    def start(self) -> Task:
        _live.add(self)
        read, write = _pools()
        (write if self.writes else read).start(_Runnable(self))
        return self

    # worker thread
    def _execute(self) -> None:
        try:
            kwargs = dict(self.kwargs)
            if _accepts_report(self.fn):
                kwargs["report"] = self.reporter
            result = self.fn(*self.args, **kwargs)
        except BaseException as exc:
            if not isinstance(exc, Cancelled):
                from wellbeing_desktop.ui.crash import describe

                log.warning("task %s failed: %s", getattr(self.fn, "__name__", "?"),
                            describe(type(exc), exc.__traceback__))
            self.signals.failed.emit(exc)
        else:
            self.signals.succeeded.emit(result)
        finally:
            self.signals.finished.emit()

    # GUI thread
    def _emit_success(self, result: Any) -> None:
        for cb in self._success:
            cb(result)

    def _emit_error(self, exc: BaseException) -> None:
        if not self._error:
            from wellbeing_desktop.ui.dialogs.errors import show_error

            show_error(None, exc)
        for cb in self._error:
            cb(exc)

    def _emit_done(self) -> None:
        for cb in self._done:
            cb()
        _live.discard(self)


def _accepts_report(fn: Callable[..., Any]) -> bool:
    try:
        return "report" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
