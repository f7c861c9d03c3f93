"""The central merge, on SQLite and on a real PostgreSQL server (same tests, parametrised)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from enrolment_helpers import merge_enrolled
from sqlalchemy import select
from sync_helpers import Keys, add_client, central_count, central_rows, delete, edit

from wellbeing_desktop.services import sync
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.sync import Conflict
from wellbeing_desktop.sync import crypto
from wellbeing_desktop.sync.bundle import BundleWriter, read_bundle
from wellbeing_desktop.sync.central import open_central


def _merge(url: str, keys: Keys, *paths: Path) -> list[sync.MergeOutcome]:
    return merge_enrolled(list(paths), url, keys.private)


def _export(ctx: Any, tmp_path: Path, keys: Keys, **kw: Any) -> Path:
    out = tmp_path / f"{uuid.uuid4().hex[:8]}.wbsync"
    sync.export(ctx, out, recipient=keys.public, **kw)
    return out


def _snapshot(url: str) -> dict[str, Any]:
    return {t: central_rows(url, t) for t in ("clients", "referrals", "practitioners")} | {
        "conflicts": central_count(url, "sync_conflicts"),
        "merges": central_count(url, "sync_merges")}


def _conflicts(url: str) -> list[tuple[str, int, str, int, str]]:
    engine = open_central(url)
    try:
        with engine.connect() as conn:
            return sorted(tuple(r) for r in conn.execute(select(  # type: ignore[misc]
                Conflict.entity, Conflict.lost_version, Conflict.lost_device,
                Conflict.kept_version, Conflict.kept_device).where(
                Conflict.same_as_kept.is_(False))))
    finally:
        engine.dispose()


@pytest.mark.safety
def test_merge_inserts_then_replay_changes_nothing(make_device: Any, keys: Keys, tmp_path: Path,
                                                   central_url: str) -> None:
    desk = make_device("a")
    cid = add_client(desk, given="Noor")
    bundle = _export(desk, tmp_path, keys)
    [first] = _merge(central_url, keys, bundle)
    assert first.ok and first.result is not None
    assert first.result.totals == {"inserted": 2, "updated": 0, "unchanged": 0, "conflicts": 0,
                                   "tombstones": 0}
    row = central_rows(central_url, "clients")[cid]
    assert row["given_name"] == "Noor" and row["origin_device"] == desk.store.device_id
    assert row["updated_at"].tzinfo is not None
    before = _snapshot(central_url)
    [again] = _merge(central_url, keys, bundle)
    assert again.ok and again.result is not None and again.result.replay
    assert _snapshot(central_url) == before
    # Issue 13: the replay itself inserted nothing; the first merge's counts under their own key.
    assert again.result.totals["inserted"] == 0 and again.result.totals["updated"] == 0
    assert again.result.first_merge is not None and again.result.first_merge["inserted"] == 2


def test_edits_and_deletions_update_the_central_record(make_device: Any, keys: Keys,
                                                       tmp_path: Path, central_url: str) -> None:
    desk = make_device("a")
    cid = add_client(desk)
    _merge(central_url, keys, _export(desk, tmp_path, keys))
    edit(desk, Client, cid, pronouns="they/them")
    with desk.store.read() as s:
        rid = s.execute(select(Referral.id).where(Referral.client_id == cid)).scalar_one()
    delete(desk, Referral, rid)
    [out] = _merge(central_url, keys, _export(desk, tmp_path, keys))
    assert out.result is not None
    assert out.result.totals == {"inserted": 0, "updated": 2, "unchanged": 0, "conflicts": 0,
                                 "tombstones": 1}
    assert central_rows(central_url, "clients")[cid]["pronouns"] == "they/them"
    assert central_rows(central_url, "referrals")[rid]["deleted_at"] is not None


@pytest.mark.safety
def test_older_bundle_after_newer_changes_nothing(make_device: Any, keys: Keys, tmp_path: Path,
                                                  central_url: str) -> None:
    desk = make_device("a")
    cid = add_client(desk)
    old = _export(desk, tmp_path, keys)
    edit(desk, Client, cid, pronouns="he/him")
    new = _export(desk, tmp_path, keys)
    _merge(central_url, keys, new)
    before = _snapshot(central_url)["clients"]
    [out] = _merge(central_url, keys, old)
    assert out.result is not None and out.result.totals["unchanged"] == 2
    assert out.result.totals["conflicts"] == 0  # same device: a straight line of versions
    assert _snapshot(central_url)["clients"] == before


@pytest.mark.parametrize("order", ["a-first", "b-first"])
@pytest.mark.safety
def test_concurrent_edits_on_two_devices_keep_a_conflict_whichever_comes_first(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str, order: str) -> None:
    origin = make_device("origin")
    cid = add_client(origin, referrals=0)
    _merge(central_url, keys, _export(origin, tmp_path, keys))
    a = make_device("a", clone_of=origin)
    b = make_device("b", clone_of=origin)
    edit(a, Client, cid, pronouns="she/her")
    edit(b, Client, cid, gp_practice="Riverside Surgery")
    bundles = [_export(a, tmp_path, keys), _export(b, tmp_path, keys)]
    if order == "b-first":
        bundles.reverse()
    outcomes = _merge(central_url, keys, *bundles)
    assert all(o.ok for o in outcomes)
    winner = max((a, b), key=lambda d: (_local(d, cid)["updated_at"], d.store.device_id))
    loser = b if winner is a else a
    row = central_rows(central_url, "clients")[cid]
    assert row["origin_device"] == winner.store.device_id
    assert _conflicts(central_url) == [
        ("clients", 2, loser.store.device_id, 2, winner.store.device_id)]
    # A replay of either bundle records nothing new.
    _merge(central_url, keys, *bundles)
    assert len(_conflicts(central_url)) == 1
    [listed] = sync.central_conflicts(central_url)
    assert listed.record_id == str(cid) and listed.lost_device == loser.store.device_id


def test_a_head_under_review_follows_the_winners_next_version(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str) -> None:
    """The winning device edits again: its bundle displaces no other device's version, yet
    the loser's head under review must now name the new winner (kept_version 3). The merge
    skips reading conflict heads only when the table has none; this case must still read them."""
    origin = make_device("origin")
    cid = add_client(origin, referrals=0)
    _merge(central_url, keys, _export(origin, tmp_path, keys))
    a = make_device("a", clone_of=origin)
    b = make_device("b", clone_of=origin)
    edit(a, Client, cid, pronouns="she/her")
    edit(b, Client, cid, gp_practice="Riverside Surgery")
    assert all(o.ok for o in _merge(central_url, keys, _export(a, tmp_path, keys),
                                    _export(b, tmp_path, keys)))
    winner = max((a, b), key=lambda d: (_local(d, cid)["updated_at"], d.store.device_id))
    loser = b if winner is a else a
    edit(winner, Client, cid, preferred_name="Lex")
    [out] = _merge(central_url, keys, _export(winner, tmp_path, keys))
    assert out.ok and out.result is not None and out.result.totals["updated"] == 1
    assert _conflicts(central_url) == [
        ("clients", 2, loser.store.device_id, 3, winner.store.device_id)]


def _local(ctx: Any, cid: uuid.UUID) -> dict[str, Any]:
    with ctx.store.read() as s:
        row = s.get(Client, cid)
        return {"updated_at": row.updated_at, "version": row.version}


def test_altered_replay_is_refused(make_device: Any, keys: Keys, tmp_path: Path,
                                   central_url: str) -> None:
    desk = make_device("a")
    add_client(desk, given="Original")
    path = _export(desk, tmp_path, keys)
    _merge(central_url, keys, path)
    before = _snapshot(central_url)
    forged = _rewrite(path, keys, tmp_path, lambda line: line.replace(b"Original", b"Replaced"),
                      signer=sync.device_identity(desk))
    [out] = _merge(central_url, keys, forged)
    assert not out.ok and "merged before with different content" in out.error
    assert _snapshot(central_url) == before


def _rewrite(path: Path, keys: Keys, tmp_path: Path, change: Any,
             manifest_change: Any = None, signer: Any = None) -> Path:
    """Someone with the private key re-packs the bundle with the same export id (and, given
    `signer`, signs it with the device's own key: the checks after the signature's)."""
    bundle = read_bundle(path, crypto.load_private_key(keys.private))
    out = tmp_path / f"forged-{uuid.uuid4().hex[:6]}.wbsync"
    with BundleWriter(out, crypto.parse_public_key(keys.public)) as writer:
        for member in bundle.manifest["members"]:
            stream = writer.member(member["name"], member["entity"])
            stream.write_lines([change(line) for line in bundle.lines(member["name"])])
        manifest = {k: v for k, v in bundle.manifest.items() if k != "members"}
        if manifest_change:
            manifest_change(manifest)
        writer.commit(manifest, signer)
    return out


def test_invalid_record_is_refused_with_its_place_and_nothing_changes(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str) -> None:
    desk = make_device("a")
    add_client(desk, given="First")
    add_client(desk, given="Second")
    path = _export(desk, tmp_path, keys)
    forged = _rewrite(path, keys, tmp_path,
                      lambda line: line.replace(b'"version":1', b'"version":"one"')
                      if b"Second" in line else line,
                      lambda m: m.update(export_id=str(uuid.uuid4())),
                      signer=sync.device_identity(desk))
    [out] = _merge(central_url, keys, forged)
    assert not out.ok
    assert out.error == ("clients.ndjson line 2: version: expected a whole number, found text "
                         "of 3 characters")
    assert central_count(central_url, "clients") == 0


def test_wrong_schema_and_mixed_pseudonymised_are_refused(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str) -> None:
    desk = make_device("a")
    add_client(desk)
    path = _export(desk, tmp_path, keys)
    future = _rewrite(path, keys, tmp_path, lambda line: line,
                      lambda m: m.update(schema_revision="0099", export_id=str(uuid.uuid4())))
    [out] = _merge(central_url, keys, future)
    assert not out.ok and "made with schema 0099" in out.error
    _merge(central_url, keys, path)
    [out] = _merge(central_url, keys, _export(desk, tmp_path, keys, pseudonymised=True))
    assert not out.ok and "pseudonymised bundle belongs in a reporting database" in out.error


@pytest.mark.safety
def test_child_before_its_parent_is_refused_then_merges_in_order(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str) -> None:
    desk = make_device("a")
    cid = add_client(desk, referrals=0)
    first = _export(desk, tmp_path, keys)
    sync.acknowledge(desk, _merge(str(tmp_path / "elsewhere.sqlite3"), keys, first)[0].ack)
    with desk.store.session() as s:
        from datetime import date

        s.add(Referral(client_id=cid, received_on=date(2026, 11, 2), source="Self"))
    second = _export(desk, tmp_path, keys)
    [out] = _merge(central_url, keys, second)
    assert not out.ok and "do not hold yet" in out.error
    assert central_count(central_url, "referrals") == 0
    assert all(o.ok for o in _merge(central_url, keys, first, second))
    assert central_count(central_url, "referrals") == 1


@pytest.mark.safety
def test_acknowledgement_round_trip_and_forgery(make_device: Any, keys: Keys, tmp_path: Path,
                                                central_url: str) -> None:
    import orjson

    from wellbeing_desktop.services.errors import ValidationError

    desk = make_device("a")
    add_client(desk)
    path = _export(desk, tmp_path, keys)
    [out] = _merge(central_url, keys, path)
    assert out.ack is not None
    doc = orjson.loads(out.ack.read_bytes())
    doc["acknowledgement"]["counts"]["inserted"] = 99
    forged = tmp_path / "forged.ack.json"
    forged.write_bytes(orjson.dumps(doc))
    with pytest.raises(ValidationError, match="does not match the export"):
        sync.acknowledge(desk, forged)
    assert sync.status(desk).watermark == 0
    result = sync.acknowledge(desk, out.ack)
    assert not result.already and result.watermark > 0
    assert sync.acknowledge(desk, out.ack).already
