"""Developer tool that regenerated the initial migration from the models before 0.1.0.

0.1.0 is released (its stores are kept in `tests/fixtures/stores/0.1.0/`), so this tool now
refuses: each schema change gets its own revision, made with
`alembic revision --autogenerate` on top of the current head, and the 0.1.0 stores must
upgrade to it with every row kept (`tests/foundation/test_release_upgrade.py`).

    python -m wellbeing_desktop.storage.schema_tool
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from wellbeing_desktop.storage.engine import make_engine
from wellbeing_desktop.storage.migrate import MIGRATIONS_DIR, alembic_config

RELEASED = True
INITIAL = MIGRATIONS_DIR / "versions" / "0001_initial.py"


def regenerate() -> Path:
    if RELEASED:
        raise SystemExit("a release exists: add a new revision instead of rewriting 0001")
    INITIAL.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(Path(tmp) / "empty.sqlite3", pool=False)
        cfg = alembic_config()
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.revision(cfg, message="initial schema", autogenerate=True, rev_id="0001")
        engine.dispose()
    generated = next((MIGRATIONS_DIR / "versions").glob("0001_*.py"))
    generated.rename(INITIAL)
    _append_extra_ddl(INITIAL)
    return INITIAL


def _append_extra_ddl(path: Path) -> None:
    """Add each models module's `EXTRA_DDL` (e.g. SQLite FTS5 tables, triggers) to the migration.

    A module may define `EXTRA_DDL: list[tuple[str, str]]` of (upgrade SQL, downgrade SQL);
    they run on SQLite only (the central PostgreSQL store does not need local search).
    """
    from wellbeing_desktop.storage import models

    extras: list[tuple[str, str]] = []
    for name in sorted(vars(models)):
        module = getattr(models, name)
        extras.extend(getattr(module, "EXTRA_DDL", []) if hasattr(module, "__file__") else [])
    if not extras:
        return
    text = path.read_text(encoding="utf-8")
    up = "".join(
        f"    if op.get_bind().dialect.name == 'sqlite':\n        op.execute({sql!r})\n"
        for sql, _ in extras
    )
    down = "".join(
        f"    if op.get_bind().dialect.name == 'sqlite':\n        op.execute({sql!r})\n"
        for _, sql in reversed(extras)
    )
    end = "    # ### end Alembic commands ###\n"
    text = text.replace(end, end + up, 1)
    marker = "def downgrade() -> None:\n"
    text = text.replace(marker, marker + down, 1)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    path = regenerate()
    print(f"wrote {path}", file=sys.stderr)
