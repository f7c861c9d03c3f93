"""Schema migrations, applied in-process at start-up through a shared connection.

Before any migration touches an existing database, a backup is taken with the SQLite backup
API; if the upgrade fails, the transaction is rolled back and the backup stays beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Engine

# SQLAlchemy is imported inside the functions so that reading HEAD (`wellbeing --version`)
# stays cheap.

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# The newest revision, so that a store already at head opens without importing Alembic
# (about 65 ms of start-up). A test checks it equals the migration scripts' head.
HEAD = "0700_successors"


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Tables made by raw DDL (FTS5 indexes and their shadow tables) are not models."""
    return not (type_ == "table" and name is not None and "_fts" in name)


def alembic_config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    from sqlalchemy import text

    with engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first() if engine.dialect.name == "sqlite" else True
        if not exists:
            return None
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(conn).get_current_revision()


def _fast_revision(engine: Engine) -> str | None:
    """The stored revision read with plain SQL (SQLite only); None when unknown."""
    if engine.dialect.name != "sqlite":
        return None
    from sqlalchemy import text

    with engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
        ).first()
        if not exists:
            return None
        rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    return rows[0] if len(rows) == 1 else None


class StoreTooNew(Exception):
    """The store's schema revision is not one this version knows: a newer release made it."""

    def __init__(self, revision: str) -> None:
        super().__init__(
            f"These records were made by a newer version of Wellbeing Desktop (schema {revision});"
            f" this version knows schemas up to {HEAD}. Install the newer version to open them;"
            " nothing was changed."
        )
        self.revision = revision


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision()


def upgrade(engine: Engine, *, before: Callable[[str | None], None] | None = None) -> bool:
    """Bring the schema to head. `before(current)` runs first when an upgrade is needed.

    Returns True when migrations ran.
    """
    if _fast_revision(engine) == HEAD:
        return False
    from alembic import command

    current = current_revision(engine)
    if current == head_revision():
        return False
    if current is not None and current not in known_revisions():
        raise StoreTooNew(current)
    if before is not None:
        before(current)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    return True
