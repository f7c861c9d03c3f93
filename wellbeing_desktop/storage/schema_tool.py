"""Developer tool: regenerate the initial migration from the models.

Until the first release every schema change folds into `0001_initial` (no store in use has
an older schema). After the first release this tool refuses, and each change gets its own
revision made with `alembic revision --autogenerate` on top of the released head.

    python -m wellbeing_desktop.storage.schema_tool
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from wellbeing_desktop.storage.engine import make_engine
from wellbeing_desktop.storage.migrate import MIGRATIONS_DIR, alembic_config

RELEASED = False
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
    return INITIAL


if __name__ == "__main__":
    path = regenerate()
    print(f"wrote {path}", file=sys.stderr)
