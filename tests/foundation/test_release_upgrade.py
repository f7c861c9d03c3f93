"""Stores made by released versions open in this one with every row kept (Electrum-style:
real old files, not a schema rebuilt from today's models)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from wellbeing_desktop.services import auth
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import NewerStore
from wellbeing_desktop.storage import migrate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"
PASSPHRASE = "correct horse battery staple 010"


def _copy(release: str, kind: str, tmp_path: Path) -> Path:
    target = tmp_path / f"{release}-{kind}"
    shutil.copytree(FIXTURES / release / kind, target)
    return target


def _ids(conn: object, table: str) -> set[str]:
    rows = conn.execute(text(f'SELECT id FROM "{table}"')).all()  # type: ignore[attr-defined]
    return {str(r[0]) for r in rows}


def _fixture_ids(release: str, table: str) -> set[str]:
    # Read-only and immutable: a plain connect would create an empty file where the fixture is
    # missing, and even a read-only one leaves -wal/-shm files beside it.
    path = FIXTURES / release / "plain" / "wellbeing.sqlite3"
    db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        cols = {r[1] for r in db.execute(f'PRAGMA table_info("{table}")')}
        if "id" not in cols:
            return set()
        return {str(r[0]) for r in db.execute(f'SELECT id FROM "{table}"')}
    finally:
        db.close()


@pytest.mark.parametrize("release", ["0.1.0"])
@pytest.mark.safety
def test_plain_store_upgrades_with_every_row_kept(release: str, tmp_path: Path) -> None:
    counts: dict[str, int] = json.loads((FIXTURES / release / "row-counts.json").read_text())
    directory = _copy(release, "plain", tmp_path)
    ctx = AppContext.open(directory)
    try:
        assert migrate.current_revision(ctx.store.engine) == migrate.head_revision()
        with ctx.store.engine.connect() as conn:
            for table, count in counts.items():
                now = conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()
                assert now == count, f"{table}: {count} rows in {release}, {now} after upgrade"
                before = _fixture_ids(release, table)
                if before:
                    assert before <= _ids(conn, table), f"{table}: ids lost"
        # The upgraded store works through the services, not only at the SQL level.
        from wellbeing_desktop.services import clients

        assert clients.count_clients(ctx, exact=True) == counts["clients"]
        assert len(clients.list_clients(ctx, limit=500)) == counts["clients"]
    finally:
        ctx.close()
    backups = list((directory / "backups").glob("pre-migration*"))
    if migrate.HEAD != "0001":
        assert backups, "an upgrade must keep a backup of the old store"


@pytest.mark.parametrize("release", ["0.1.0"])
@pytest.mark.safety
def test_encrypted_store_upgrades_and_signs_in(release: str, tmp_path: Path) -> None:
    counts: dict[str, int] = json.loads((FIXTURES / release / "row-counts.json").read_text())
    directory = _copy(release, "encrypted", tmp_path)
    ctx = auth.login(directory, "sam", PASSPHRASE)
    try:
        assert migrate.current_revision(ctx.store.engine) == migrate.head_revision()
        with ctx.store.engine.connect() as conn:
            n = conn.execute(text("SELECT count(*) FROM clients")).scalar()
            assert n == counts["clients"]
            m = conn.execute(text("SELECT count(*) FROM measure_administrations")).scalar()
            assert m == counts["measure_administrations"]
    finally:
        ctx.close()
    raw = (directory / "wellbeing.sqlite3").read_bytes()[:16]
    assert raw != b"SQLite format 3\x00", "the upgraded store must stay encrypted"


@pytest.mark.safety
def test_store_newer_than_the_app_is_refused_and_left_alone(tmp_path: Path) -> None:
    directory = _copy("0.1.0", "plain", tmp_path)
    db = directory / "wellbeing.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(NewerStore, match="newer version"):
        AppContext.open(directory)
    assert db.read_bytes() == before
