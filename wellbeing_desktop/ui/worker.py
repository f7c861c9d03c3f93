"""The engine under `ui/operations.py` (STYLE §4): screens use `operations.read/write`.

    Task(fn, *args).on_success(cb).on_error(cb).with_progress(bar).start()

`fn` runs on a worker thread; callbacks run on the GUI thread (they are slots of a QObject that
lives there, so Qt queues them: an error handler can never build a widget on a worker thread).
A function that accepts a `report` keyword gets a callable `report(percent, message)`, and may
check `report.cancelled`. Database writes go through one single-threaded pool (`writes=True`)
so they are serialised. On quit `shutdown()` cancels every running task and waits for it, and
callbacks that arrive after that are dropped (the window is going away).
Tests call `use_immediate_pools()` to run every task at once on the calling thread.
"""

from __future__ import annotations

import inspect
import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThread, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QProgressBar, QStatusBar

log = logging.getLogger(__name__)


class _Relay(QObject):
    """The one QObject that carries every task's results to the GUI thread. It is made on
    the GUI thread and lives as long as the app, so a signal emitted on a worker is always
    queued to the GUI thread (a plain Python callable would not guarantee it), and no
    per-task QObject can be deleted, or collected, while its worker still emits on it."""

    succeeded = Signal(object, object)  # task, result
    failed = Signal(object, object)  # task, exception
    progressed = Signal(object, int, str)  # task, percent, message
    finished = Signal(object)  # task

    def __init__(self) -> None:
        super().__init__()
        self.succeeded.connect(self._on_succeeded)
        self.failed.connect(self._on_failed)
        self.progressed.connect(self._on_progressed)
        self.finished.connect(self._on_finished)

    @Slot(object, int, str)
    def _on_progressed(self, task: Task, percent: int, message: str) -> None:
        task._emit_progress(percent, message)

    @Slot(object, object)
    def _on_succeeded(self, task: Task, result: object) -> None:
        task._emit_success(result)

    @Slot(object, object)
    def _on_failed(self, task: Task, exc: object) -> None:
        assert isinstance(exc, BaseException)
        task._emit_error(exc)

    @Slot(object)
    def _on_finished(self, task: Task) -> None:
        task._emit_done()


_relay: _Relay | None = None


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()  # on the GUI thread: the first Task is made there (checked)
    return _relay


class Reporter:
    def __init__(self, task: Task) -> None:
        # Weak: the task holds its reporter, and a cycle would leave the task (and the widgets
        # its function may belong to) to the cyclic garbage collector instead of freeing it
        # on the GUI thread when it is done.
        self._task = weakref.ref(task)
        self._cancel = threading.Event()

    def __call__(self, percent: int, message: str = "") -> None:
        task = self._task()
        if task is not None:
            _the_relay().progressed.emit(task, int(percent), message)

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
_job_pool: Any = None  # long work that touches no store (printing): never holds up reads
_live: set[Task] = set()
_closing = False


def on_gui_thread() -> bool:
    """True on the thread that owns the QApplication (or when there is no application)."""
    app = QCoreApplication.instance()
    return app is None or QThread.currentThread() is app.thread()


def closing() -> bool:
    """True once `shutdown()` has run: results are no longer shown."""
    return _closing


def _pools() -> tuple[Any, Any]:
    global _read_pool, _write_pool
    if _read_pool is None:
        _read_pool = QThreadPool.globalInstance()
    if _write_pool is None:
        _write_pool = QThreadPool()
        _write_pool.setMaxThreadCount(1)
    return _read_pool, _write_pool


def _jobs() -> Any:
    global _job_pool
    if _job_pool is None:
        _job_pool = QThreadPool()
        _job_pool.setMaxThreadCount(2)
    return _job_pool


def use_immediate_pools() -> None:
    global _read_pool, _write_pool, _job_pool, _closing
    _read_pool = _write_pool = _job_pool = _ImmediatePool()
    _closing = False


def use_thread_pools() -> None:
    global _read_pool, _write_pool, _job_pool, _closing
    _read_pool = _write_pool = _job_pool = None
    _closing = False


def running() -> list[Task]:
    """Tasks started and not yet finished (their callbacks not yet run)."""
    return list(_live)


def shutdown(msecs: int = 60_000) -> bool:
    """On quit, before the store closes: ask every running task to stop, wait for the pools
    to drain (a write in progress finishes: it is one transaction), and drop the callbacks
    still queued. Returns False when something was still running after `msecs`."""
    global _closing
    _closing = True
    for task in list(_live):
        task.cancel()
    read, write = _pools()
    done = (bool(write.waitForDone(msecs)) and bool(read.waitForDone(msecs))
            and bool(_jobs().waitForDone(msecs)))
    if not done:
        log.warning("shutdown: %d task(s) still running after %d ms", len(_live), msecs)
    _live.clear()
    return done


def wait_for_all(msecs: int = 30_000) -> None:
    read, write = _pools()
    write.waitForDone(msecs)
    read.waitForDone(msecs)
    _jobs().waitForDone(msecs)


class Task:
    def __init__(self, fn: Callable[..., Any], *args: Any, writes: bool = False,
                 long_job: bool = False, **kwargs: Any) -> None:
        self.fn = fn
        self.args = args
        self.kwargs = kwargs
        self.writes = writes
        self.long_job = long_job  # its own pool: two long prints never hold up screen reads
        if not on_gui_thread():
            raise RuntimeError("a Task is made on the GUI thread (its callbacks run there)")
        self.relay = _the_relay()
        self.reporter = Reporter(self)
        self._success: list[Callable[[Any], object]] = []
        self._error: list[Callable[[BaseException], object]] = []
        self._done: list[Callable[[], object]] = []
        self._progress: list[Callable[[int, str], object]] = []

    def on_success(self, cb: Callable[[Any], object]) -> Task:
        self._success.append(cb)
        return self

    def on_error(self, cb: Callable[[BaseException], object]) -> Task:
        self._error.append(cb)
        return self

    def on_done(self, cb: Callable[[], object]) -> Task:
        self._done.append(cb)
        return self

    def on_progress(self, cb: Callable[[int, str], object]) -> Task:
        self._progress.append(cb)
        return self

    def with_progress(self, bar: QProgressBar, status: QStatusBar | None = None) -> Task:
        def show(percent: int, message: str) -> None:
            bar.setVisible(True)
            bar.setValue(percent)
            if message:
                bar.setFormat(f"{message} %p%")
                if status is not None:
                    status.showMessage(message, 4000)

        self._progress.append(show)
        self._done.append(lambda: bar.setVisible(False))
        return self

    def cancel(self) -> None:
        self.reporter.cancel()

    def start(self) -> Task:
        if _closing:
            log.info("not started while closing: %s", getattr(self.fn, "__name__", "?"))
            return self
        _live.add(self)
        read, write = _pools()
        (write if self.writes else _jobs() if self.long_job else read).start(_Runnable(self))
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
            self.relay.failed.emit(self, exc)
        else:
            self.relay.succeeded.emit(self, result)
        finally:
            self.relay.finished.emit(self)

    # GUI thread (called by the relay's slots)
    def _emit_success(self, result: Any) -> None:
        if _closing:
            return
        for cb in self._success:
            cb(result)

    def _emit_error(self, exc: BaseException) -> None:
        if _closing:
            return  # the window is going away; the failure was logged on the worker
        if not self._error:
            from wellbeing_desktop.ui.dialogs.errors import show_error

            show_error(None, exc)
        for cb in self._error:
            cb(exc)

    def _emit_progress(self, percent: int, message: str) -> None:
        if _closing:
            return
        for cb in self._progress:
            cb(percent, message)

    def _emit_done(self) -> None:
        try:
            if not _closing:
                for cb in self._done:
                    cb()
        finally:
            # Drop the callbacks (and the widgets they hold) now, on the GUI thread.
            self._success, self._error, self._done, self._progress = [], [], [], []
            _live.discard(self)


def _accepts_report(fn: Callable[..., Any]) -> bool:
    try:
        return "report" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
