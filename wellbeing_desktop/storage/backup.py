"""Backups through SQLite's online backup API (never a file copy of a live database)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from wellbeing_desktop.storage.engine import raw_connect


class BackupError(Exception):
    pass


def backup_database(source: Path, dest: Path, *, key: bytes | None = None) -> Path:
    """Copy the live database at `source` to `dest` (same driver and key), then verify it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    if tmp.exists():
        tmp.unlink()
    src = raw_connect(source, key)
    try:
        out = raw_connect(tmp, key)
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode=DELETE")
        finally:
            out.close()
    finally:
        src.close()
    problem = integrity_problem(tmp, key=key)
    if problem:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"backup failed its integrity check: {problem}")
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    return dest


def integrity_problem(path: Path, *, key: bytes | None = None, quick: bool = False) -> str | None:
    """None when the database passes `integrity_check` (or `quick_check`), else the first error."""
    if not path.exists():
        return f"{path.name} does not exist"
    try:
        conn = raw_connect(path, key)
        try:
            pragma = "quick_check" if quick else "integrity_check"
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
        finally:
            conn.close()
    except Exception as exc:  # any driver error means "not a usable database"
        return f"{type(exc).__name__}: {exc}"
    if rows and rows[0][0] == "ok":
        return None
    return "; ".join(str(r[0]) for r in rows[:5]) or "no result"


def timestamped_name(prefix: str = "wellbeing") -> str:
    return f"{prefix}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}.sqlite3"
