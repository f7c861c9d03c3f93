"""Today's first figures (clients by status, waiting for first contact), read straight from
the database file with `sqlite3` while SQLAlchemy and the models are still being imported.

Start-up paints the window, then shows these within a few tens of milliseconds; the full
Today summary (through the store, with the practitioner's own lists) replaces them when the
store is open. The SQL is the same as `services/today.py`'s two counts (a test compares them).
Nothing is written: the connection is read-only (`mode=ro`, `query_only`). The narrow path
stands aside — returns None — whenever it could be wrong: an encrypted store (nobody has
signed in), a store not at this version's schema (it is about to be migrated), or any error.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from wellbeing_desktop.storage import paths
from wellbeing_desktop.storage.keyring import keyring_path
from wellbeing_desktop.storage.migrate import HEAD

# Both are answered from an index alone (ix_clients_live_status, ix_referrals_waiting).
BY_STATUS = "SELECT status, count(*) FROM clients WHERE deleted_at IS NULL GROUP BY status"
WAITING = ("SELECT count(*) FROM referrals WHERE status = 'received' "
           "AND first_contact_on IS NULL AND deleted_at IS NULL")


@dataclass(frozen=True)
class FirstFigures:
    clients_by_status: dict[str, int] = field(default_factory=dict)
    waiting_first_contact: int = 0


def read_first_figures(data_dir: Path) -> FirstFigures | None:
    db = paths.database_path(data_dir)
    if keyring_path(data_dir).exists() or not db.exists() or db.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True, timeout=2)
    except sqlite3.Error:
        return None
    try:
        conn.execute("PRAGMA query_only = ON")
        version = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        if version is None or version[0] != HEAD:
            return None
        counts = {str(status): int(n) for status, n in conn.execute(BY_STATUS)}
        waiting = int(conn.execute(WAITING).fetchone()[0] or 0)
        return FirstFigures(counts, waiting)
    except sqlite3.Error:
        return None
    finally:
        conn.close()
