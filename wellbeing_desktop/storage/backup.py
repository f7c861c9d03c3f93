"""Backups through SQLite's online backup API (never a file copy of a live database)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from wellbeing_desktop.storage.engine import raw_connect
from wellbeing_desktop.storage.files import move_into_place


class BackupError(Exception):
    pass


def backup_database(source: Path, dest: Path, *, key: bytes | None = None) -> Path:
    """Copy the live database at `source` to `dest` (same driver and key), then verify it.

    Any failure (a full disk included) leaves no `.partial` file behind."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    _remove(tmp)
    try:
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
            raise BackupError(f"backup failed its integrity check: {problem}")
        move_into_place(tmp, dest)
    except BaseException:
        _remove(tmp)
        raise
    return dest


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


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


_STAMP = re.compile(r"-(\d{8}T\d{6})\d*Z")


def backup_time(path: Path) -> datetime | None:
    """When a backup was taken, from its name (`<prefix>-YYYYmmddTHHMMSS…Z.sqlite3`)."""
    match = _STAMP.search(path.name)
    if match is None:
        return None
    return datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)


def list_backups(folder: Path) -> list[Path]:
    """Backups in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob("*.sqlite3") if backup_time(p) is not None]
    return sorted(found, key=lambda p: (backup_time(p), p.name), reverse=True)


def keep_set(times: list[datetime], *, daily: int = 7, weekly: int = 4,
             monthly: int = 12) -> set[datetime]:
    """Which backups a grandfather-father-son rotation keeps: the newest of each of the last
    `daily` days, `weekly` ISO weeks and `monthly` months that have a backup. The newest
    backup of all is always kept."""
    keep: set[datetime] = set()
    ordered = sorted(times, reverse=True)
    if ordered:
        keep.add(ordered[0])
    for count, bucket in ((daily, lambda t: t.date()),
                          (weekly, lambda t: t.isocalendar()[:2]),
                          (monthly, lambda t: (t.year, t.month))):
        seen: list[object] = []
        for t in ordered:
            b = bucket(t)
            if b in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(b)
            keep.add(t)
    return keep


# Safety copies taken before a migration or a restore are not part of the rotation; the
# newest few of each are kept.
SAFETY_PREFIXES = ("pre-migration", "pre-restore")
SAFETY_KEEP = 5


def rotate(folder: Path, *, daily: int = 7, weekly: int = 4, monthly: int = 12) -> list[Path]:
    """Delete the backups in `folder` the rotation does not keep; returns those deleted."""
    removed: list[Path] = []
    everything = list_backups(folder)
    for prefix in SAFETY_PREFIXES:
        safety = [p for p in everything if p.name.startswith(prefix + "-")]
        for path in safety[SAFETY_KEEP:]:
            path.unlink(missing_ok=True)
            removed.append(path)
    backups = [p for p in everything if not p.name.startswith(SAFETY_PREFIXES)]
    times = {p: backup_time(p) for p in backups}
    keep = keep_set([t for t in times.values() if t is not None],
                    daily=daily, weekly=weekly, monthly=monthly)
    kept_times: set[datetime] = set()
    for path in backups:  # newest first: of two in the same second, keep the newer name
        t = times[path]
        if t in keep and t not in kept_times:
            kept_times.add(t)
            continue
        path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def copy_database(source: Path, dest: Path, *, key: bytes | None = None) -> None:
    """Replace the (closed) database at `dest` with `source` through the backup API.

    The caller has closed every connection to `dest`. Its WAL is checkpointed away first,
    so no stale log can be replayed over the copied pages.
    """
    if dest.exists():
        conn = raw_connect(dest, key)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
    src = raw_connect(source, key)
    try:
        out = raw_connect(dest, key)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
