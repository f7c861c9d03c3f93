"""The merge decodes each table when it reaches it: row by row inside PostgreSQL's `COPY` of
new records, or while the server updates the table before. A bad record found late, after
earlier tables were sent, must still refuse the whole bundle with its place and change
nothing; so must a stored record that changes while the bundle is being merged."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import psycopg
import pytest
from enrolment_helpers import merge_enrolled
from sqlalchemy import text
from sync_helpers import Keys, central_count, central_rows, demo_clinic_export

from wellbeing_desktop.services import sync
from wellbeing_desktop.sync import crypto, merge
from wellbeing_desktop.sync.bundle import BundleWriter, read_bundle
from wellbeing_desktop.sync.schema import entities


def _clinic(make_device: Any, keys: Keys, tmp_path: Path) -> tuple[Any, Path]:
    ctx = make_device("clinic")
    return ctx, demo_clinic_export(ctx, keys.public, tmp_path / "first.wbsync")


def _edited(ctx: Any, keys: Keys, tmp_path: Path) -> Path:
    """Every record edited once more: merged over the first bundle, each is an update."""
    with ctx.store.engine.begin() as conn:
        for entity in entities():
            conn.execute(text(f'UPDATE "{entity.name}" SET version = version + 1'))
    out = tmp_path / "edited.wbsync"
    sync.export(ctx, out, recipient=keys.public, full=True)
    return out


def _last_table(path: Path, keys: Keys) -> str:
    """The last member (in the merge's parent-before-child order) that holds records."""
    bundle = read_bundle(path, crypto.load_private_key(keys.private))
    held = [e.name for e in entities()
            if f"{e.name}.ndjson" in bundle.members and bundle.lines(f"{e.name}.ndjson")]
    assert len(held) > 10  # many tables are sent before it
    return held[-1]


def _repack(path: Path, keys: Keys, tmp_path: Path, signer: Any, member: str,
            change: Callable[[list[bytes]], list[bytes]]) -> Path:
    """The bundle re-packed by its own device (signed), `member`'s lines changed, as a new
    export."""
    bundle = read_bundle(path, crypto.load_private_key(keys.private))
    out = tmp_path / f"changed-{uuid.uuid4().hex[:6]}.wbsync"
    with BundleWriter(out, crypto.parse_public_key(keys.public)) as writer:
        for listed in bundle.manifest["members"]:
            lines = bundle.lines(listed["name"])
            stream = writer.member(listed["name"], listed["entity"])
            stream.write_lines(change(lines) if listed["name"] == member else lines)
        manifest = {k: v for k, v in bundle.manifest.items() if k != "members"}
        manifest["export_id"] = str(uuid.uuid4())
        writer.commit(manifest, signer)
    return out


def _bad_last_line(lines: list[bytes]) -> list[bytes]:
    record = orjson.loads(lines[-1])
    record["version"] = "one"
    return [*lines[:-1], orjson.dumps(record)]


def _everything(url: str) -> dict[str, Any]:
    return {e.name: central_rows(url, e.name) for e in entities()}


@pytest.mark.safety
def test_a_bad_record_in_the_last_table_refuses_the_first_merge_and_changes_nothing(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ctx, first = _clinic(make_device, keys, tmp_path)
    table = _last_table(first, keys)
    member = f"{table}.ndjson"
    lines = read_bundle(first, crypto.load_private_key(keys.private)).lines(member)
    bad = _repack(first, keys, tmp_path, sync.device_identity(ctx), member, _bad_last_line)
    streamed: list[str] = []
    real = merge.applying._stream_inserts
    monkeypatch.setattr(merge.applying, "_stream_inserts",
                        lambda conn, entity, *a: streamed.append(entity.name)
                        or real(conn, entity, *a))

    [out] = merge_enrolled([bad], central_url, keys.private)

    assert not out.ok
    assert out.error == (f"{member} line {len(lines)}: version: expected a whole number, "
                         "found text of 3 characters")
    if central_url.startswith("postgresql"):
        # The tables before were sent (decoded as COPY sent them) before the bad line was met.
        assert "clients" in streamed and table in streamed
    assert all(central_count(central_url, e.name) == 0 for e in entities())
    assert central_count(central_url, "sync_merges") == 0
    # The clinic's good bundle still merges whole afterwards.
    [good] = merge_enrolled([first], central_url, keys.private)
    assert good.ok and good.result is not None
    assert good.result.totals["inserted"] == sum(
        central_count(central_url, e.name) for e in entities())


@pytest.mark.safety
@pytest.mark.postgres
def test_a_bad_record_met_while_an_update_runs_refuses_the_bundle_and_changes_nothing(
        make_device: Any, keys: Keys, tmp_path: Path, pg_server: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every record an update, each table's UPDATE left running while the next is decoded:
    the bad record is met during one, which must be waited for and rolled back."""
    ctx, first = _clinic(make_device, keys, tmp_path)
    url = pg_server.create_database()
    assert merge_enrolled([first], url, keys.private)[0].ok
    edited = _edited(ctx, keys, tmp_path)
    table = _last_table(edited, keys)
    bad = _repack(edited, keys, tmp_path, sync.device_identity(ctx), f"{table}.ndjson",
                  _bad_last_line)
    monkeypatch.setattr(merge.rows, "STAGE_FROM", 1)  # every table's update in the background
    started: list[str] = []
    real = merge.rows.Pending.__init__

    def spy(self: Any, conn: Any, name: str, *a: Any) -> None:
        started.append(name)
        real(self, conn, name, *a)

    monkeypatch.setattr(merge.rows.Pending, "__init__", spy)
    before = _everything(url)

    [out] = merge_enrolled([bad], url, keys.private)

    assert not out.ok and out.error.startswith(f"{table}.ndjson line ")
    assert len(started) > 10  # the tables before it were updated, in the background
    assert _everything(url) == before
    [good] = merge_enrolled([edited], url, keys.private)
    assert good.ok and good.result is not None
    assert good.result.totals["updated"] == sum(len(rows) for rows in before.values())


@pytest.mark.safety
@pytest.mark.postgres
@pytest.mark.parametrize("copy", ["binary", "text"])
def test_a_record_changed_by_someone_else_during_the_merge_refuses_it(
        make_device: Any, keys: Keys, tmp_path: Path, pg_server: Any,
        monkeypatch: pytest.MonkeyPatch, copy: str) -> None:
    """Between the merge reading a table's stored versions (ahead, on its second connection,
    while the table before was updated) and its UPDATE, another connection commits a newer
    version of one record: the guarded UPDATE skips it, so the whole merge is refused and
    nothing it did is kept."""
    ctx, first = _clinic(make_device, keys, tmp_path)
    url = pg_server.create_database()
    assert merge_enrolled([first], url, keys.private)[0].ok
    edited = _edited(ctx, keys, tmp_path)
    monkeypatch.setattr(merge.rows, "STAGE_FROM", 1)
    if copy == "text":  # the fallback for a column type psycopg cannot write in binary
        monkeypatch.setattr(merge.rows, "_binary_types", lambda *a: None)
    victim = next(iter(central_rows(url, "referrals")))
    real = merge.rows.Pending.__init__

    def meddle(self: Any, conn: Any, name: str, *a: Any) -> None:
        if name == "referrals":  # staged already: someone else edits one record now
            dsn = conn.connection.driver_connection.info.dsn
            with psycopg.connect(dsn, autocommit=True) as other:
                other.execute("UPDATE referrals SET version = version + 10 WHERE id = %s",
                              [victim])
        real(self, conn, name, *a)

    monkeypatch.setattr(merge.rows.Pending, "__init__", meddle)
    ahead: list[str] = []  # tables whose stored versions were read on the second connection
    existing = merge.applying._existing

    def spy(conn: Any, entity: Any, ids: Any) -> Any:
        if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            ahead.append(entity.name)
        return existing(conn, entity, ids)

    monkeypatch.setattr(merge.applying, "_existing", spy)
    before = _everything(url)

    [out] = merge_enrolled([edited], url, keys.private)

    assert "referrals" in ahead  # read while the clients were updated, before the meddling
    assert not out.ok
    assert out.error == ("referrals: records changed while this bundle was being merged "
                         "(another merge at the same time?); nothing was changed: merge it again")
    after = _everything(url)
    assert after["referrals"][victim]["version"] == before["referrals"][victim]["version"] + 10
    after["referrals"][victim]["version"] -= 10
    assert after == before  # the clients, updated before the referrals, were rolled back


@pytest.mark.safety
@pytest.mark.postgres
@pytest.mark.parametrize("path", ["row by row", "staged"])
@pytest.mark.parametrize("edit", [
    "version = version + 10",  # newer than the bundle's
    "version = 1, updated_at = updated_at - interval '1 day', "
    "origin_device = 'another-device'",  # older than the bundle's: passes a '>' guard
])
def test_an_edit_made_after_the_stored_versions_were_read_ahead_is_never_overwritten(
        make_device: Any, keys: Keys, tmp_path: Path, pg_server: Any,
        monkeypatch: pytest.MonkeyPatch, path: str, edit: str) -> None:
    """The referrals' stored versions are read on the second connection while the clients
    are updated; then another device's edit of one referral is committed, before the merge
    writes the referrals. Whether that edit is newer or older than the bundle's version, and
    whether the referrals are updated row by row (fewer than STAGE_FROM) or staged, the
    merge must not overwrite it unseen: it refuses, and the edit stays."""
    ctx, first = _clinic(make_device, keys, tmp_path)
    url = pg_server.create_database()
    assert merge_enrolled([first], url, keys.private)[0].ok
    edited = _edited(ctx, keys, tmp_path)
    referrals = len(central_rows(url, "referrals"))
    stage_from = 1 if path == "staged" else referrals + 1
    real_update = merge.applying._update

    def update(conn: Any, entity: Any, rows: Any, **kw: Any) -> Any:
        # Every table but the referrals staged in the background, so they are read ahead.
        monkeypatch.setattr(merge.rows, "STAGE_FROM",
                            stage_from if entity.name == "referrals" else 1)
        return real_update(conn, entity, rows, **kw)

    monkeypatch.setattr(merge.applying, "_update", update)
    monkeypatch.setattr(merge.rows, "STAGE_FROM", 1)
    victim = next(iter(central_rows(url, "referrals")))
    given: list[bool] = []
    real_apply = merge.applying._apply_rows

    def apply(conn: Any, entity: Any, rows: Any, export_id: Any, held: Any = None) -> Any:
        if entity.name == "referrals":
            given.append(held is not None)
            dsn = conn.connection.driver_connection.info.dsn
            with psycopg.connect(dsn, autocommit=True) as other:
                other.execute(f"UPDATE referrals SET {edit}, reason = 'Their edit' "
                              "WHERE id = %s", [victim])
        return real_apply(conn, entity, rows, export_id, held)

    monkeypatch.setattr(merge.applying, "_apply_rows", apply)
    before = _everything(url)

    [out] = merge_enrolled([edited], url, keys.private)

    assert given == [True]  # the referrals' stored versions were read ahead
    assert not out.ok
    assert out.error == ("referrals: records changed while this bundle was being merged "
                         "(another merge at the same time?); nothing was changed: merge it again")
    after = _everything(url)
    theirs = after["referrals"].pop(victim)
    assert theirs["reason"] == "Their edit"  # their edit stays
    del before["referrals"][victim]
    assert after == before  # and nothing of the bundle was kept


@pytest.mark.postgres
def test_a_server_that_gives_one_connection_still_merges_everything(
        make_device: Any, keys: Keys, tmp_path: Path, pg_server: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A central role limited to one connection: the second connection for reading ahead is
    refused, and the merge reads each table's stored versions in its own turn instead."""
    role = f"lonely_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"host=127.0.0.1 port={pg_server.port} user=postgres dbname=postgres",
                         autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 1')
        admin.execute(f'CREATE DATABASE "{role}" OWNER "{role}"')
    url = f"postgresql+psycopg://{role}@127.0.0.1:{pg_server.port}/{role}"
    ctx, first = _clinic(make_device, keys, tmp_path)
    [merged] = merge_enrolled([first], url, keys.private)
    assert merged.ok and merged.result is not None
    versions = {rid: r["version"] for rid, r in central_rows(url, "clients").items()}
    edited = _edited(ctx, keys, tmp_path)
    monkeypatch.setattr(merge.rows, "STAGE_FROM", 1)
    second: list[object] = []
    real = merge.applying._second
    monkeypatch.setattr(merge.applying, "_second",
                        lambda engine: second.append(found := real(engine)) or found)

    [out] = merge_enrolled([edited], url, keys.private)

    assert second == [False]  # asked once, refused, not asked again
    assert out.ok and out.result is not None, out.error
    assert out.result.totals["updated"] == merged.result.totals["inserted"]
    assert {rid: r["version"] for rid, r in central_rows(url, "clients").items()} == {
        rid: version + 1 for rid, version in versions.items()}


@pytest.mark.postgres
def test_a_failing_second_connection_only_costs_time(
        make_device: Any, keys: Keys, tmp_path: Path, pg_server: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The second connection dies before reading ahead (its server process is ended, as a
    restart or an idle timeout would): the merge reads each table's stored versions in its
    own turn and merges everything."""
    ctx, first = _clinic(make_device, keys, tmp_path)
    url = pg_server.create_database()
    [merged] = merge_enrolled([first], url, keys.private)
    assert merged.ok and merged.result is not None
    edited = _edited(ctx, keys, tmp_path)
    monkeypatch.setattr(merge.rows, "STAGE_FROM", 1)
    ended: list[int] = []
    second = merge.applying._second

    def doomed(engine: Any) -> Any:
        side = second(engine)
        pid = side.connection.driver_connection.info.backend_pid
        with psycopg.connect(f"host=127.0.0.1 port={pg_server.port} user=postgres "
                             "dbname=postgres", autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        ended.append(pid)
        return side

    monkeypatch.setattr(merge.applying, "_second", doomed)

    [out] = merge_enrolled([edited], url, keys.private)

    assert len(ended) == 1  # opened once; given up after it failed
    assert out.ok and out.result is not None, out.error
    assert out.result.totals["updated"] == merged.result.totals["inserted"]
