"""Opening the store: choose the file, run migrations (after a backup), hand out sessions."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from wellbeing_desktop.storage import migrate, paths
from wellbeing_desktop.storage.backup import backup_database, timestamped_name
from wellbeing_desktop.storage.changes import make_sessionmaker
from wellbeing_desktop.storage.engine import WRITE_OPTION, make_engine


@dataclass
class Store:
    """An open local store. Create with `Store.open`; close with `close()`."""

    data_dir: Path
    engine: Engine
    device_id: str
    key: bytes | None = None
    sessions: sessionmaker[Session] = field(init=False)
    _writer: Engine = field(init=False, repr=False)
    migrated: bool = False
    pre_migration_backup: Path | None = None
    # The audit chain's HMAC key for an encrypted store (from the data key); None when plain
    # (the key is then in the `audit_chain` table, see services/audit.py).
    chain_key: bytes | None = None

    def __post_init__(self) -> None:
        if self.key is not None and self.chain_key is None:
            from wellbeing_desktop.storage.crypto import chain_key

            self.chain_key = chain_key(self.key)
        self.sessions = make_sessionmaker(self.engine)
        self._writer = self.engine.execution_options(**{WRITE_OPTION: True})

    @property
    def db_path(self) -> Path:
        return paths.database_path(self.data_dir)

    @classmethod
    def open(cls, data_dir: Path | str | None = None, *, key: bytes | None = None) -> Store:
        """Open (creating or upgrading) the store in `data_dir` (resolved per DESIGN §8)."""
        directory = paths.data_dir(data_dir)
        db = paths.database_path(directory)
        existed = db.exists() and db.stat().st_size > 0
        engine = make_engine(db, key=key)
        backup: list[Path] = []

        def before(current: str | None) -> None:
            if existed and current is not None:
                dest = paths.backups_dir(directory) / timestamped_name("pre-migration")
                backup.append(backup_database(db, dest, key=key))

        migrated = migrate.upgrade(engine, before=before)
        device = _ensure_device(engine)
        store = cls(directory, engine, device, key=key, migrated=migrated)
        store.pre_migration_backup = backup[0] if backup else None
        return store

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        with self.sessions(bind=self._writer) as session, session.begin():
            session.info["device_id"] = self.device_id
            session.info["chain_key"] = self.chain_key
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session (rolled back at the end)."""
        with self.sessions() as session:
            session.info["chain_key"] = self.chain_key
            try:
                yield session
            finally:
                session.rollback()

    def close(self) -> None:
        self.engine.dispose()


def _ensure_device(engine: Engine) -> str:
    with engine.begin() as conn:
        row = conn.execute(text("SELECT device_id FROM device_state WHERE id = 1")).first()
        if row is not None:
            return str(row[0])
        device = str(uuid.uuid4())
        conn.execute(
            text("INSERT INTO device_state (id, device_id, change_seq) VALUES (1, :d, 0)"),
            {"d": device},
        )
        return device
