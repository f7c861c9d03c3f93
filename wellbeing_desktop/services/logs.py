"""Rotating log file in the data dir. Identifiers only: never names or clinical text."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from wellbeing_desktop.storage import paths
from wellbeing_desktop.storage.perms import precreate

LOG_NAME = "wellbeing.log"
_configured: set[Path] = set()


class _PrivateRotatingHandler(logging.handlers.RotatingFileHandler):
    """Each log file (rotations too) is created 0600."""

    def _open(self):  # type: ignore[no-untyped-def]
        precreate(Path(self.baseFilename))
        return super()._open()


def configure(data_dir: Path, *, level: int = logging.INFO) -> Path:
    # A log that cannot be written (a full disk) must never print a traceback to the user.
    logging.raiseExceptions = False
    log_path = paths.logs_dir(data_dir) / LOG_NAME
    if log_path in _configured:
        return log_path
    handler = _PrivateRotatingHandler(
        log_path, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("wellbeing_desktop")
    root.setLevel(level)
    root.addHandler(handler)
    _configured.add(log_path)
    return log_path
