"""Restore that checks: a backup is copied aside and proved good before it replaces anything.

The checks, in order (the first failure is the answer, and nothing is changed):
  1. kind: a SQLite file (plain header), or an encrypted one that opens with this store's key;
  2. `integrity_check`;
  3. its schema revision is one this version knows, and every table, column and trigger of
     that revision is there (a backup with a table dropped, or the audit triggers removed, is
     not a backup of these records);
  4. the audit chain verifies;
  5. the keyring matches: the backup holds the account of the person restoring (else they
     would be locked out of the records they restored).
The copy that was checked is the one installed (no time-of-check/time-of-use gap). A backup
made on another installation keeps this installation's device identity, so two computers
never share one device id (their edits would overwrite each other centrally unseen).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from wellbeing_desktop.services.errors import FieldProblem, ValidationError
from wellbeing_desktop.storage import migrate, paths
from wellbeing_desktop.storage.backup import copy_database, integrity_problem
from wellbeing_desktop.storage.engine import raw_connect
from wellbeing_desktop.storage.perms import precreate

SQLITE_MAGIC = b"SQLite format 3\x00"
# Larger than any store the app is meant for (a 50,000-client store is about 200 MB).
MAX_BACKUP_BYTES = 8 * 1024**3


@dataclass(frozen=True)
class CheckedBackup:
    """A staged copy of a backup that passed every check (install it, or discard it)."""

    staged: Path
    revision: str
    device_id: str
    change_seq: int
    audit_events: int
    actor_role: str = ""  # the restoring person's role in the backup

    def discard(self) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(self.staged) + suffix).unlink(missing_ok=True)


def _refuse(message: str) -> ValidationError:
    return ValidationError([FieldProblem("file", message)])


def _stage(source: Path, data_dir: Path) -> Path:
    """Copy the backup into the data folder in bounded chunks (the checks and the install then
    read only this private copy)."""
    staged = data_dir / ".restore-staged.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(staged) + suffix).unlink(missing_ok=True)
    precreate(staged)
    try:
        with open(source, "rb") as src, open(staged, "wb") as out:
            shutil.copyfileobj(src, out, 1024 * 1024)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return staged


@lru_cache(maxsize=8)
def expected_schema(revision: str) -> frozenset[tuple[str, str, str]]:
    """Every (kind, name, column) a store at `revision` has, built by running the migrations
    into a scratch in-memory database: tables with each column, and triggers."""
    from alembic import command
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import StaticPool

    engine = create_engine("sqlite://", poolclass=StaticPool, creator=lambda: sqlite3.connect(
        ":memory:", check_same_thread=False, isolation_level=None))

    @event.listens_for(engine, "begin")
    def _begin(conn: object) -> None:
        conn.exec_driver_sql("BEGIN")  # type: ignore[attr-defined]

    cfg = migrate.alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    raw = engine.raw_connection()
    try:
        return frozenset(_schema_of(raw))
    finally:
        raw.close()
        engine.dispose()


def _schema_of(conn: object) -> set[tuple[str, str, str]]:
    out: set[tuple[str, str, str]] = set()
    rows = conn.execute(  # type: ignore[attr-defined]
        "SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger') "
        "AND name NOT LIKE 'sqlite_%'").fetchall()
    for kind, name in rows:
        out.add((kind, name, ""))
        if kind == "table":
            for col in conn.execute(f'PRAGMA table_info("{name}")').fetchall():  # type: ignore[attr-defined]
                out.add(("column", name, col[1]))
    return out


def _describe(missing: set[tuple[str, str, str]]) -> str:
    gone = {name for kind, name, _ in missing if kind == "table"}
    missing = {m for m in missing if not (m[0] == "column" and m[1] in gone)}
    order = {"table": 0, "trigger": 1, "column": 2}
    kind, name, column = min(missing, key=lambda m: (order[m[0]], m[1], m[2]))
    more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
    what = {"table": f"table {name}", "trigger": f"the safeguard {name}",
            "column": f"column {name}.{column}"}[kind]
    return f"{what} is missing{more}"


def check_backup(source: Path, data_dir: Path, key: bytes | None,
                 actor_id: str | None) -> CheckedBackup:
    """Stage `source` and prove it is a good backup of these records; raise ValidationError
    (naming what is wrong) otherwise. Nothing outside the staged copy is written."""
    from wellbeing_desktop.services import audit

    source = Path(source)
    if not source.is_file():
        raise _refuse("There is no such file.")
    size = source.stat().st_size
    if size > MAX_BACKUP_BYTES:
        raise _refuse(f"This file is too large to be a backup ({size} bytes).")
    with open(source, "rb") as fh:
        head = fh.read(len(SQLITE_MAGIC))
    if len(head) < len(SQLITE_MAGIC) or size % 512:
        raise _refuse("This file is not a backup (it is too short, or not a database).")
    if key is None and head != SQLITE_MAGIC:
        raise _refuse("This file is not a backup of these records (it is not a database, or "
                      "it is encrypted with another installation's key).")
    if key is not None and head == SQLITE_MAGIC:
        raise _refuse("This backup is not encrypted, so it was made by another installation or "
                      "with another key: it is not a backup of these records.")
    staged = _stage(source, data_dir)
    checked: CheckedBackup | None = None
    try:
        problem = integrity_problem(staged, key=key)
        if problem is not None:
            raise _refuse("This file is not a good backup of these records (it is damaged, or "
                          "was made on a computer with another key).")
        conn = raw_connect(staged, key)
        try:
            try:
                revision = str(conn.execute("SELECT version_num FROM alembic_version")
                               .fetchone()[0])
            except Exception:
                raise _refuse("This file is not a backup of these records (it has no schema "
                              "revision).") from None
            if revision not in migrate.known_revisions():
                raise _refuse(f"This backup is from a newer version of the app (schema "
                              f"{revision}), or is not a backup.")
            missing = set(expected_schema(revision)) - _schema_of(conn)
            if missing:
                raise _refuse(f"This backup is incomplete: {_describe(missing)}.")
            device = conn.execute("SELECT device_id, change_seq FROM device_state "
                                  "WHERE id = 1").fetchone()
            if device is None:
                raise _refuse("This backup is incomplete: it has no device record.")
            role = ""
            if actor_id and key is not None:
                row = conn.execute("SELECT active, role FROM practitioners WHERE id = ? AND "
                                   "deleted_at IS NULL", (actor_id.replace("-", ""),)).fetchone()
                role = str(row[1]) if row else ""
                if row is None or not row[0]:
                    raise _refuse("This backup does not hold your account: you would be locked "
                                  "out of the records it restores. Ask the person who made it.")
        finally:
            conn.close()
        chain = audit.verify_file(staged, key)
        if not chain.ok:
            raise _refuse(f"This backup's audit log was altered (first broken event "
                          f"{chain.first_broken_seq}); it cannot be trusted.")
        checked = CheckedBackup(staged, revision, str(device[0]), int(device[1] or 0),
                                chain.events, role)
        return checked
    finally:
        if checked is None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(staged) + suffix).unlink(missing_ok=True)


def current_identity(db: Path, key: bytes | None) -> tuple[str, int] | None:
    """This installation's device id and change counter, read from its (maybe damaged)
    database; None when they cannot be read."""
    if not db.exists() or db.stat().st_size == 0:
        return None
    try:
        conn = raw_connect(db, key)
        try:
            row = conn.execute("SELECT device_id, change_seq FROM device_state WHERE id = 1"
                               ).fetchone()
        finally:
            conn.close()
    except Exception:
        return None
    return (str(row[0]), int(row[1] or 0)) if row else None


def install(checked: CheckedBackup, data_dir: Path, key: bytes | None,
            identity: tuple[str, int] | None) -> bool:
    """Copy the checked backup over the (closed) database; keep this installation's device id.
    True when the backup came from another installation."""
    from wellbeing_desktop.storage import anchors

    db = paths.database_path(data_dir)
    try:
        copy_database(checked.staged, db, key=key)
    finally:
        checked.discard()
    anchors.set_aside(data_dir)
    if identity is None or identity[0] == checked.device_id:
        return False
    conn = raw_connect(db, key)
    try:
        # The counter only moves up: the restored rows' change numbers came from the other
        # installation's counter, this one's next edits must be numbered above both.
        conn.execute("UPDATE device_state SET device_id = ?, change_seq = ? WHERE id = 1",
                     (identity[0], max(identity[1], checked.change_seq)))
    finally:
        conn.close()
    return True


def restore_over_damaged(data_dir: Path, source: Path, key: bytes | None,
                         practitioner_id: str | None) -> tuple[Path, bool]:
    """Restore when the database is too damaged to open (the command line's `restore`): the
    backup is checked exactly as usual, the person restoring must be a supervisor in it, the
    damaged files are moved aside (kept), and this installation's device id is kept when it
    can still be read (from the damaged database, else from its signing key's record).
    Returns where the damaged database went, and whether the backup came from another
    installation."""
    from wellbeing_desktop.services.context import ROLE_SUPERVISOR
    from wellbeing_desktop.services.errors import PermissionDenied
    from wellbeing_desktop.storage.types import utcnow

    checked = check_backup(source, data_dir, key, practitioner_id)
    if practitioner_id and checked.actor_role != ROLE_SUPERVISOR:
        checked.discard()
        raise PermissionDenied("Only a supervisor can restore a backup.")
    db = paths.database_path(data_dir)
    identity = current_identity(db, key)
    if identity is None:
        # The database cannot say who this computer is; its signing key still can (it is
        # outside the database), so the backup's device id is not taken over.
        from wellbeing_desktop.storage.identity import recorded_device_id

        recorded = recorded_device_id(data_dir)
        identity = (recorded, 0) if recorded else None
    aside = db.with_name(f"{db.name}.damaged-{utcnow():%Y%m%dT%H%M%S}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(db) + suffix)
        if part.exists():
            os.replace(part, Path(str(aside) + suffix))
    return aside, install(checked, data_dir, key, identity)
