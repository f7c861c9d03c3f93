"""PostgreSQL's staged update path (COPY into a temporary table, one guarded UPDATE … FROM)
gives exactly what the row-by-row path gives, conflicts included."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from enrolment_helpers import merge_enrolled
from sync_helpers import Keys, add_client, central_rows, delete, demo_clinic_export, edit

from wellbeing_desktop.services import sync
from wellbeing_desktop.storage.models import Client
from wellbeing_desktop.sync import merge


def _export(ctx: Any, tmp_path: Path, keys: Keys) -> Path:
    out = tmp_path / f"{uuid.uuid4().hex[:8]}.wbsync"
    sync.export(ctx, out, recipient=keys.public)
    return out


def _view(url: str) -> dict[Any, tuple[Any, ...]]:
    return {rid: (r["version"], r["origin_device"], r["pronouns"], r["deleted_at"] is not None)
            for rid, r in central_rows(url, "clients").items()}


@pytest.mark.postgres
def test_staged_updates_match_row_by_row(make_device: Any, keys: Keys, tmp_path: Path,
                                         pg_server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    origin = make_device("origin")
    ids = [add_client(origin, given=f"C{n}", referrals=0) for n in range(4)]
    bundles = [_export(origin, tmp_path, keys)]
    a = make_device("a", clone_of=origin)
    b = make_device("b", clone_of=origin)
    for rid in ids[:3]:
        edit(a, Client, rid, pronouns="she/her")
    edit(b, Client, ids[1], pronouns="they/them")  # concurrent with a's edit
    delete(b, Client, ids[3])
    bundles += [_export(a, tmp_path, keys), _export(b, tmp_path, keys)]

    plain = str(tmp_path / "plain.sqlite3")
    staged = pg_server.create_database()
    for path in bundles:
        assert merge_enrolled([path], plain, keys.private)[0].ok
    monkeypatch.setattr(merge.rows, "STAGE_FROM", 1)
    outcomes = [merge_enrolled([p], staged, keys.private)[0] for p in bundles]
    assert all(o.ok for o in outcomes)
    assert outcomes[1].result is not None and outcomes[1].result.totals["updated"] == 3
    assert _view(staged) == _view(plain)
    assert len(sync.central_conflicts(staged)) == len(sync.central_conflicts(plain)) == 1
    # Replays stay no-ops on the staged path too.
    before = _view(staged)
    assert all(merge_enrolled([p], staged, keys.private)[0].result.replay  # type: ignore[union-attr]
               for p in bundles)
    assert _view(staged) == before


@pytest.mark.postgres
def test_every_table_lands_in_postgres_as_in_sqlite(make_device: Any, keys: Keys, tmp_path: Path,
                                                    pg_server: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """PostgreSQL takes new rows by binary COPY and updates through a binary-COPY staging
    table: every column of every table (ids, UTC and local times, dates, JSON, numbers,
    flags, empty values, tombstones) must read back exactly as the SQLite path stores it."""
    from sqlalchemy import text

    from wellbeing_desktop.sync.schema import entities

    ctx = make_device("clinic")
    first = demo_clinic_export(ctx, keys.public, tmp_path / "first.wbsync")
    with ctx.store.engine.begin() as conn:  # every record edited once more, a few deleted
        for entity in entities():
            conn.execute(text(f'UPDATE "{entity.name}" SET version = version + 1'))
        conn.execute(text("UPDATE appointments SET deleted_at = updated_at "
                          "WHERE rowid % 3 = 0"))
    second = tmp_path / "second.wbsync"
    sync.export(ctx, second, recipient=keys.public, full=True)

    plain = str(tmp_path / "plain.sqlite3")
    pg = pg_server.create_database()
    monkeypatch.setattr(merge.rows, "STAGE_FROM", 1)
    used: list[bool] = []
    real = merge.rows._binary_types
    monkeypatch.setattr(merge.rows, "_binary_types",
                        lambda *a: used.append((found := real(*a)) is not None) or found)
    for url in (plain, pg):
        outcomes = [merge_enrolled([p], url, keys.private)[0] for p in (first, second)]
        assert all(o.ok for o in outcomes), [o.error for o in outcomes]
        totals = outcomes[1].result.totals  # type: ignore[union-attr]
        assert totals["updated"] == outcomes[0].result.totals["inserted"] > 0  # type: ignore[union-attr]
        assert totals["tombstones"] > 0
    assert used and all(used)  # the binary path, not the text fallback, was compared
    held = 0
    for entity in entities():
        expected = central_rows(plain, entity.name)
        assert central_rows(pg, entity.name) == expected, entity.name
        held += len(expected)
    assert held == outcomes[0].result.totals["inserted"]  # type: ignore[union-attr]
