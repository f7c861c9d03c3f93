"""The one engine factory. Every connection gets the same pragmas.

The driver is chosen here and nowhere else: plain SQLite when no key is given, SQLCipher
(`sqlcipher3`) when the store is encrypted (issue 8).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.pool import NullPool, QueuePool

from wellbeing_desktop.storage.perms import precreate

BUSY_TIMEOUT_MS = 10_000
# Execution option naming a connection that will write (see `make_engine`'s "begin").
WRITE_OPTION = "wellbeing_writes"

# Read back by tests on every connection; a change here is a change of durability guarantees.
PRAGMAS: dict[str, str | int] = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: a commit that returned survives power loss.
    "foreign_keys": 1,
    "busy_timeout": BUSY_TIMEOUT_MS,
}


def _private(path: Path) -> None:
    # SQLite creates a new file with the umask's mode, and its -wal and -shm with the
    # database's: made 0600 here first, all three stay private (storage/perms.py).
    if str(path) not in ("", ":memory:"):
        precreate(Path(path))


def _connect_plain(path: Path) -> Any:
    _private(path)
    return sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)


def _connect_cipher(path: Path, key: bytes) -> Any:
    import sqlcipher3

    _private(path)
    conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
    # The key must be the first statement on a SQLCipher connection.
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def apply_pragmas(dbapi_connection: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    finally:
        cursor.close()


def raw_connect(path: Path, key: bytes | None = None) -> Any:
    """A DB-API connection with the store's driver and pragmas (backups, checks, bulk loads)."""
    conn = _connect_cipher(path, key) if key is not None else _connect_plain(path)
    apply_pragmas(conn)
    return conn


def make_engine(path: Path, *, key: bytes | None = None, pool: bool = True) -> Engine:
    """An engine over the SQLite (or SQLCipher) file at `path`.

    Python's sqlite3 module opens transactions implicitly and not before DDL; we switch that
    off (`isolation_level=None`) and emit BEGIN ourselves, so transactions (and migrations)
    are exactly what SQLAlchemy says they are.
    """
    path = Path(path)

    url: str | URL = "sqlite://"
    kwargs: dict[str, Any] = {}
    if key is None:
        def creator() -> Any:
            return _connect_plain(path)
    else:
        import sqlcipher3

        # SQLAlchemy's SQLCipher dialect issues `PRAGMA key` first on every new connection
        # (before our pragmas) and translates sqlcipher3's exceptions like sqlite3's.
        url = URL.create("sqlite+pysqlcipher", password=f"x'{key.hex()}'")
        kwargs["module"] = sqlcipher3

        def creator() -> Any:
            _private(path)
            return sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)

    # The URL names no file (the creator opens it), so say which pool we want: SQLAlchemy
    # would otherwise treat "sqlite://" as :memory: and share one connection per thread.
    kwargs["creator"] = creator
    if pool:
        kwargs.update(poolclass=QueuePool, pool_size=5, max_overflow=10, pool_timeout=30)
    else:
        kwargs["poolclass"] = NullPool
    # Parameters (names, notes) must never reach an error message or the log file.
    engine = create_engine(url, hide_parameters=True, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        apply_pragmas(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A unit of work that writes takes the write lock at once (`BEGIN IMMEDIATE`), so it
        # waits the busy timeout for another writer. A deferred BEGIN that reads first and
        # then writes fails at once with "database is locked" when another connection wrote
        # in between: SQLite cannot wait there, as the snapshot it read is stale.
        immediate = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def encrypt_copy(plain: Path, dest: Path, key: bytes) -> None:
    """Write an encrypted copy of the plain database `plain` to `dest` (`sqlcipher_export`)."""
    import sqlcipher3

    dest.unlink(missing_ok=True)
    _private(dest)
    conn = sqlcipher3.connect(str(plain), isolation_level=None)
    try:
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY \"x'{key.hex()}'\"", (str(dest),))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()


def is_plain_sqlite(path: Path) -> bool:
    """True when the file starts with SQLite's plain header (an unencrypted database)."""
    with open(path, "rb") as fh:
        return fh.read(16) == b"SQLite format 3\x00"


def read_pragmas(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        return {name: conn.exec_driver_sql(f"PRAGMA {name}").scalar() for name in PRAGMAS}
