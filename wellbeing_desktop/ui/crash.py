"""Unexpected errors in the GUI: logged (identifiers only) and shown in plain words.

Exception messages can carry what the user typed, so the log keeps the exception's type and
where it happened, not its message.
"""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

log = logging.getLogger("wellbeing_desktop.crash")


def describe(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    frames = traceback.extract_tb(tb)
    where = " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}"
                        for f in reversed(frames[-6:]))
    return f"{exc_type.__name__} at {where}"


def _hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.error("unhandled error: %s", describe(exc_type, tb))
    try:
        from wellbeing_desktop.ui.dialogs.errors import show_error

        show_error(None, exc, "Something went wrong")
    except Exception:  # the dialog itself failed: the log line above is what we have
        pass


def install() -> None:
    from wellbeing_desktop.ui.dialogs.errors import make_relay

    make_relay()  # on the GUI thread, so errors from worker threads are shown there
    sys.excepthook = _hook
