"""The GUI's start runs `quick_check` beside the first reads (DESIGN §9); every write waits
for it, so a damaged store is still never written to."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy import text

from wellbeing_desktop.services import audit, backups
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import DamagedStore
from wellbeing_desktop.storage import paths


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_deferred_check_on_a_good_store_allows_writes(ctx: AppContext) -> None:
    data_dir = ctx.data_dir
    ctx.close()
    opened = AppContext.open(data_dir, check="defer")
    try:
        assert opened.integrity is not None
        with opened.store.session() as s:
            audit.record(s, opened.actor, "test.write")
        opened.confirm_integrity()
        assert opened.integrity.done and audit.list_events(opened, limit=1)[0].action == "test.write"
    finally:
        opened.close()


@pytest.mark.safety
def test_deferred_check_refuses_every_write_to_a_damaged_store(ctx: AppContext) -> None:
    good = backups.backup_now(ctx)
    data_dir = ctx.data_dir
    with ctx.store.read() as s:
        root = s.execute(text("SELECT rootpage FROM sqlite_master WHERE name = 'clients'")).scalar()
        page = s.execute(text("PRAGMA page_size")).scalar()
    ctx.close()
    db = paths.database_path(data_dir)
    raw = bytearray(db.read_bytes())
    start = (int(root) - 1) * int(page)
    for i in range(start, start + 12):  # the clients table's root page header
        raw[i] ^= 0xA5
    db.write_bytes(bytes(raw))
    before = _digest(db)
    # Opening reads only (schema current, device known), so it returns at once...
    opened = AppContext.open(data_dir, check="defer")
    try:
        assert opened.integrity is not None
        # ...but a write waits for the check and is refused.
        with pytest.raises(DamagedStore), opened.store.session() as s:
            audit.record(s, opened.actor, "test.write")
        with pytest.raises(DamagedStore) as err:
            opened.confirm_integrity()
        assert str(good.path) in err.value.backups
    finally:
        opened.close()
    assert _digest(db) == before
    # The synchronous check (CLI, tests) still refuses to open it at all.
    with pytest.raises(DamagedStore):
        AppContext.open(data_dir)
    assert _digest(db) == before
