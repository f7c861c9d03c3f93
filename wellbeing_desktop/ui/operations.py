"""The one typed line between the screens and the services (an Anki-style operation).

Every screen reads and writes through this module, never by calling a service on the GUI
thread and never through `worker.Task` directly (a test checks both):

    read(clients.list_clients, ctx, text, limit=8).on_success(self.show).start()

    (write(goals.save_goal, ctx, client_id, draft)
     .fields(self.errors)                 # ValidationError → under each named field
     .on_success(lambda saved: self.accept())
     .start())

- `read(fn, ...)` runs `fn` on the read pool (several at once); `write(fn, ...)` on the one-
  thread write pool, so writes are serialised (Anki's one collection thread, Electrum's
  single SQLite thread). `background(fn, ...)` is for work that does not touch the store
  (rendering a PDF page, importing modules); `job(fn, ...)` for long such work (printing a
  document), on a pool of its own so it never holds up the screens' reads.
- A write's result is announced on the bus ("data changed") before the screen's own success
  callbacks run: the result itself when it is a `Changed`, else its `.changed` attribute. So
  no screen forgets to announce and none announces twice.
- `.fields(errors)` routes a `ValidationError` to a form's `FieldErrors` (what was typed is
  kept); problems that name no field on that form go to `other` (or an error box). Errors
  with no handler at all are shown in plain words (`dialogs/errors.py`).
- Progress and cancel: a function that takes a `report` keyword gets `report(percent, text)`
  and `report.cancelled`; `.with_progress(bar)` shows it; `.cancel()` asks it to stop (the
  function raises `Cancelled`, which reaches `on_error`).
- Callbacks always run on the GUI thread; after the app has begun to quit they are dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtWidgets import QProgressBar, QStatusBar, QWidget

from wellbeing_desktop.services.errors import Changed, ValidationError
from wellbeing_desktop.ui.bus import bus
from wellbeing_desktop.ui.forms import FieldErrors
from wellbeing_desktop.ui.worker import Cancelled, Task

T = TypeVar("T")

__all__ = ["Cancelled", "Op", "background", "changed_in", "job", "read", "write"]


def changed_in(result: object) -> Changed | None:
    """What a service's result says changed: the result itself, or its `.changed`."""
    if isinstance(result, Changed):
        return result
    changed = getattr(result, "changed", None)
    return changed if isinstance(changed, Changed) else None


class Op(Task, Generic[T]):
    """One read or write, typed by what `fn` returns. Build it, chain callbacks, `start()`."""

    def __init__(self, fn: Callable[..., T], *args: Any, writes: bool = False,
                 announce: bool = False, long_job: bool = False, **kwargs: Any) -> None:
        super().__init__(fn, *args, writes=writes, long_job=long_job, **kwargs)
        self._announce = announce
        self._fields: FieldErrors | None = None
        self._other: Callable[[str], object] | None = None
        self._parent: QWidget | None = None

    # The chain, typed by the result (Task's methods return Task).
    def on_success(self, cb: Callable[[T], object]) -> Op[T]:
        super().on_success(cb)
        return self

    def on_error(self, cb: Callable[[BaseException], object]) -> Op[T]:
        super().on_error(cb)
        return self

    def on_done(self, cb: Callable[[], object]) -> Op[T]:
        super().on_done(cb)
        return self

    def on_progress(self, cb: Callable[[int, str], object]) -> Op[T]:
        super().on_progress(cb)
        return self

    def with_progress(self, bar: QProgressBar, status: QStatusBar | None = None) -> Op[T]:
        super().with_progress(bar, status)
        return self

    def fields(self, errors: FieldErrors, *, other: Callable[[str], object] | None = None
               ) -> Op[T]:
        """Show a `ValidationError` under the form's fields; `other(text)` gets the problems
        that name no field on this form (default: an error box)."""
        self._fields = errors
        self._other = other
        return self

    def quiet(self) -> Op[T]:
        """Do not announce: the screen announces the result itself at a moment it chooses
        (e.g. after closing the window of a record that no longer exists)."""
        self._announce = False
        return self

    def parent(self, widget: QWidget | None) -> Op[T]:
        """The window an unhandled error box belongs to."""
        self._parent = widget
        return self

    def start(self) -> Op[T]:
        if self._fields is not None:
            self._fields.clear()
        super().start()
        return self

    # GUI thread
    def _emit_success(self, result: Any) -> None:
        from wellbeing_desktop.ui import worker

        if worker.closing():
            return
        if self._announce:
            bus().announce(changed_in(result))
        super()._emit_success(result)

    def _emit_error(self, exc: BaseException) -> None:
        from wellbeing_desktop.ui import worker

        if worker.closing():
            return
        if isinstance(exc, ValidationError) and self._fields is not None:
            orphans = self._fields.show(exc)
            if orphans:
                if self._other is not None:
                    self._other("\n".join(orphans))
                else:
                    from wellbeing_desktop.ui.dialogs.errors import show_error

                    show_error(self._parent, ValidationError("\n".join(orphans)))
            return
        if not self._error:
            from wellbeing_desktop.ui.dialogs.errors import show_error

            show_error(self._parent, exc)
            return
        super()._emit_error(exc)


def read(fn: Callable[..., T], *args: Any, **kwargs: Any) -> Op[T]:
    """Read through a service on the read pool."""
    return Op(fn, *args, **kwargs)


def write(fn: Callable[..., T], *args: Any, **kwargs: Any) -> Op[T]:
    """Change through a service on the one-thread write pool; its `Changed` is announced."""
    return Op(fn, *args, writes=True, announce=True, **kwargs)


def background(fn: Callable[..., T], *args: Any, **kwargs: Any) -> Op[T]:
    """Work that touches no store (a PDF render, imports) on the read pool."""
    return Op(fn, *args, **kwargs)


def job(fn: Callable[..., T], *args: Any, **kwargs: Any) -> Op[T]:
    """Long work that touches no store (printing) on a pool of its own (two threads): two
    long print jobs at once never leave the screens waiting for a read."""
    return Op(fn, *args, long_job=True, **kwargs)
