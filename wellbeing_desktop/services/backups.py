"""Backups: taken on start, daily and before migrations; rotated 7 daily / 4 weekly /
12 monthly; copied to a second folder when one is set and present; restored only after the
file passes its check, keeping the current database as a backup first."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, WellbeingError
from wellbeing_desktop.storage import keyring, paths
from wellbeing_desktop.storage.backup import (
    BackupError,
    backup_database,
    backup_time,
    integrity_problem,
    list_backups,
    rotate,
    timestamped_name,
)
from wellbeing_desktop.storage.perms import precreate
from wellbeing_desktop.storage.store import Store
from wellbeing_desktop.storage.types import utcnow


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime | None
    size: int
    second_copy: Path | None = None


def second_folder(ctx: AppContext) -> Path | None:
    """The second backup folder (e.g. a network drive), if set and present right now."""
    raw = str(ctx.settings.section("security").get("backup_folder") or "").strip()
    if not raw:
        return None
    folder = Path(raw).expanduser()
    return folder if folder.is_dir() else None


def _info(path: Path, second: Path | None = None) -> BackupInfo:
    return BackupInfo(path, backup_time(path), path.stat().st_size, second)


def backup_now(ctx: AppContext, reason: str = "manual", out: Path | None = None) -> BackupInfo:
    """Take a verified backup. With `out`, write exactly there (no rotation)."""
    permissions.require(ctx.actor, "backup.run")
    db = ctx.store.db_path
    try:
        if out is not None:
            if out.exists() and out.is_dir():
                out = out / timestamped_name("wellbeing")
            dest = backup_database(db, Path(out), key=ctx.store.key)
            second = None
        else:
            dest = backup_database(db, paths.backups_dir(ctx.data_dir) / timestamped_name(reason),
                                   key=ctx.store.key)
            rotate(dest.parent)
            second = _copy_to_second(ctx, dest)
    except BackupError as exc:
        raise WellbeingError(f"The backup could not be verified ({exc}).") from exc
    with ctx.store.session() as s:
        audit.record(s, ctx.actor, "backup", detail=reason)
    return _info(dest, second)


def _copy_to_second(ctx: AppContext, local: Path) -> Path | None:
    folder = second_folder(ctx)
    if folder is None:
        return None
    dest = folder / local.name
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    try:
        precreate(tmp)
        shutil.copyfile(local, tmp)
        if integrity_problem(tmp, key=ctx.store.key) is not None:
            tmp.unlink(missing_ok=True)
            return None
        tmp.replace(dest)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full second disk leaves no partial copy
        raise
    ring = keyring.keyring_path(ctx.data_dir)
    if ring.exists():  # wrapped keys only: the copy is useless without a passphrase
        precreate(folder / keyring.FILENAME)
        shutil.copyfile(ring, folder / keyring.FILENAME)
    rotate(folder)
    return dest


def list_all(ctx: AppContext) -> list[BackupInfo]:
    return [_info(p) for p in list_backups(paths.backups_dir(ctx.data_dir))]


def maybe_backup(ctx: AppContext, reason: str, *, older_than: timedelta) -> BackupInfo | None:
    """Back up unless the newest backup is younger than `older_than` (start-up, daily timer)."""
    newest = list_backups(paths.backups_dir(ctx.data_dir))
    when = backup_time(newest[0]) if newest else None
    if when is not None and utcnow() - when < older_than:
        return None
    return backup_now(ctx, reason)


def restore(ctx: AppContext, source: Path) -> BackupInfo:
    """Replace the records with the backup at `source`. The file is checked first
    (services/restore.py; nothing changes if it fails); the current database is backed up
    first. Returns that safety copy."""
    from wellbeing_desktop.services import restore as checks

    permissions.require(ctx.actor, "backup.restore")
    key, directory = ctx.store.key, ctx.data_dir
    # An encrypted store: the backup must hold the signed-in account (else a lock-out).
    actor = str(ctx.actor.id) if ctx.actor.id and key is not None else None
    checked = checks.check_backup(Path(source), directory, key, actor)
    try:
        safety = backup_database(ctx.store.db_path,
                                 paths.backups_dir(directory) / timestamped_name("pre-restore"),
                                 key=key)
    except BaseException:
        checked.discard()
        raise
    identity = (ctx.store.device_id, _change_seq(ctx))
    ctx.store.close()
    try:
        foreign = checks.install(checked, directory, key, identity)
    finally:
        ctx.store = Store.open(directory, key=key)
    with ctx.store.session() as s:
        audit.record(s, ctx.actor, "restore",
                     detail=safety.name + (" (from another installation)" if foreign else ""))
    return _info(safety)


def _change_seq(ctx: AppContext) -> int:
    with ctx.store.engine.connect() as conn:
        return int(conn.exec_driver_sql(
            "SELECT change_seq FROM device_state WHERE id = 1").scalar() or 0)


def restore_changed() -> Changed:
    return Changed.of("restore", "settings", "practitioner")
