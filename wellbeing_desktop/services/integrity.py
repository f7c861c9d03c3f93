"""Start-up integrity: `PRAGMA quick_check` before the store is opened, so a damaged database
is never written to (not even by a migration), and a full check of store, backups and audit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from wellbeing_desktop.services.errors import DamagedStore
from wellbeing_desktop.storage import paths
from wellbeing_desktop.storage.backup import integrity_problem, list_backups

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wellbeing_desktop.services.app import AppContext

# Clocks drift and two computers' clocks differ by a little: only a clock clearly behind the
# records is reported.
CLOCK_SLACK = timedelta(minutes=10)


def good_backups(data_dir: Path, key: bytes | None, *, limit: int = 5) -> list[Path]:
    """The newest backups that pass `integrity_check` with this key, newest first."""
    found: list[Path] = []
    for path in list_backups(paths.backups_dir(data_dir)):
        if integrity_problem(path, key=key) is None:
            found.append(path)
            if len(found) >= limit:
                break
    return found


CLEAN_SHUTDOWN = ".clean-shutdown"


def mark_clean_shutdown(data_dir: Path) -> None:
    """The app closed its store after every task had finished: the next start may skip
    the start-up `quick_check`. Only the GUI's orderly quit writes this."""
    (Path(data_dir) / CLEAN_SHUTDOWN).touch()


def take_clean_shutdown(data_dir: Path) -> bool:
    """True when the last run ended cleanly. The marker is removed as the store is opened,
    so a run that then crashes (or a command-line run) leaves none, and the check runs."""
    marker = Path(data_dir) / CLEAN_SHUTDOWN
    try:
        marker.unlink()
    except FileNotFoundError:
        return False
    return True


def ensure_usable(data_dir: Path, key: bytes | None) -> None:
    """Raise `DamagedStore` (naming good backups) when the database fails `quick_check`.

    A missing or empty file is fine: it is a new store.
    """
    db = paths.database_path(data_dir)
    if not db.exists() or db.stat().st_size == 0:
        return
    problem = integrity_problem(db, key=key, quick=True)
    if problem is None:
        return
    backups = [str(p) for p in good_backups(data_dir, key, limit=3)]
    advice = (" The newest good backup is from " + Path(backups[0]).name + "."
              if backups else " No good backup was found.")
    raise DamagedStore("Your records database is damaged, so it was not opened (nothing was "
                       "changed)." + advice, backups)


@dataclass(frozen=True)
class CheckItem:
    name: str
    ok: bool
    detail: str = ""


@dataclass(frozen=True)
class CheckReport:
    items: list[CheckItem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(i.ok for i in self.items)

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok,
                "checks": [{"name": i.name, "ok": i.ok, "detail": i.detail} for i in self.items]}


def full_check(data_dir: Path, key: bytes | None, *, extra_folder: Path | None = None,
               now: datetime | None = None) -> CheckReport:
    """`integrity_check` of the store and of every backup, the audit chain, and the clock."""
    from wellbeing_desktop.services import audit
    from wellbeing_desktop.storage.store import Store

    items: list[CheckItem] = []
    db = paths.database_path(data_dir)
    problem = integrity_problem(db, key=key)
    items.append(CheckItem("database", problem is None, problem or str(db)))
    folders = [paths.backups_dir(data_dir)]
    if extra_folder is not None:
        folders.append(extra_folder)
    for folder in folders:
        for path in list_backups(folder):
            problem = integrity_problem(path, key=key)
            items.append(CheckItem(f"backup {path.name}", problem is None, problem or str(folder)))
    if items[0].ok:
        store = Store.open(data_dir, key=key)
        try:
            with store.read() as s:
                chain = audit.verify(s)
                clock = _clock_problem(s, now)
        finally:
            store.close()
        detail = (f"{chain.events} events, chain intact" if chain.ok else
                  f"broken at event {chain.first_broken_seq} of {chain.events}")
        # The clock before the chain: the chain stays last, as `wellbeing check` has listed it.
        items.append(CheckItem("clock", clock is None, clock or "not behind the newest record"))
        items.append(CheckItem("audit chain", chain.ok, detail))
    return CheckReport(items)


def _clock_problem(session: Session, now: datetime | None) -> str | None:
    from sqlalchemy import select

    from wellbeing_desktop.storage.models import AuditEvent
    from wellbeing_desktop.storage.types import utcnow

    # The audit log records every view and change with the clock's time, newest last.
    newest = session.scalar(select(AuditEvent.at).order_by(AuditEvent.seq.desc()).limit(1))
    now = now or utcnow()
    if newest is None or now >= newest - CLOCK_SLACK:
        return None
    return (f"This computer's clock says {now.astimezone():%A %d %B %Y, %H:%M}, which is earlier "
            f"than the last thing recorded ({newest.astimezone():%A %d %B %Y, %H:%M}). What is "
            "due today and the times of new records follow the clock: ask for it to be put right.")


def clock_problem(ctx: AppContext, now: datetime | None = None) -> str | None:
    """A sentence for the user when the computer's clock is behind the newest audited action
    (a flat clock battery, a manual change), else None (hazard log H12)."""
    with ctx.store.read() as s:
        return _clock_problem(s, now)


def replace_damaged(data_dir: Path, key: bytes | None, backup: Path) -> Path:
    """Put the good `backup` in place of a damaged database. The damaged file is moved aside
    (kept for inspection, never written to); returns where it went."""
    import os

    from wellbeing_desktop.storage.backup import copy_database
    from wellbeing_desktop.storage.types import utcnow

    problem = integrity_problem(backup, key=key)
    if problem is not None:
        raise DamagedStore(f"That backup is damaged too ({problem}).")
    db = paths.database_path(data_dir)
    aside = db.with_name(f"{db.name}.damaged-{utcnow():%Y%m%dT%H%M%S}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(db) + suffix)
        if part.exists():
            os.replace(part, Path(str(aside) + suffix))
    copy_database(backup, db, key=key)
    return aside
