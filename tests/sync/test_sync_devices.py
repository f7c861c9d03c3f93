"""Issue 13, device enrolment: the centre merges only bundles signed by an enrolled, unrevoked
device, whose records are that device's and whose audit head does not go backwards. On
SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from enrolment_helpers import enrol, merge_enrolled
from sync_helpers import Keys, add_client, central_count, central_rows, edit

from wellbeing_desktop.cli import main
from wellbeing_desktop.services import sync
from wellbeing_desktop.storage.identity import SigningIdentity
from wellbeing_desktop.storage.models import Client
from wellbeing_desktop.sync import crypto
from wellbeing_desktop.sync.bundle import BundleWriter, read_bundle


def _export(ctx: Any, tmp_path: Path, keys: Keys, **kw: Any) -> Path:
    out = tmp_path / f"{uuid.uuid4().hex[:8]}.wbsync"
    sync.export(ctx, out, recipient=keys.public, **kw)
    return out


def _snapshot(url: str) -> dict[str, Any]:
    return {t: central_rows(url, t) for t in ("clients", "referrals")} | {
        "merges": central_count(url, "sync_merges"),
        "conflicts": central_count(url, "sync_conflicts"),
        "devices": central_rows_devices(url)}


def central_rows_devices(url: str) -> list[tuple[Any, ...]]:
    from sqlalchemy import text

    from wellbeing_desktop.sync.central import open_central

    engine = open_central(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(
                "SELECT device_id, revoked_at, audit_seq, audit_hash FROM sync_devices "
                "ORDER BY device_id"))]
    finally:
        engine.dispose()


def _repack(path: Path, keys: Keys, tmp_path: Path, *, line: Any = None, manifest: Any = None,
            signer: Any = None) -> Path:
    """A bundle built by hand from a genuine one's content, with a new export id: sealed to
    the centre's public key (which every clinic holds), signed by `signer` or not at all."""
    bundle = read_bundle(path, crypto.load_private_key(keys.private))
    out = tmp_path / f"repacked-{uuid.uuid4().hex[:6]}.wbsync"
    with BundleWriter(out, crypto.parse_public_key(keys.public)) as writer:
        for member in bundle.manifest["members"]:
            stream = writer.member(member["name"], member["entity"])
            stream.write_lines([line(x) if line else x for x in bundle.lines(member["name"])])
        body = {k: v for k, v in bundle.manifest.items() if k != "members"}
        body["export_id"] = str(uuid.uuid4())
        if manifest:
            manifest(body)
        writer.commit(body, signer)
    return out


def _bump(given: bytes) -> Any:
    """Change one client's name and claim a far higher version, as the forger did."""
    def change(raw: bytes) -> bytes:
        row = orjson.loads(raw)
        if row.get("given_name") == "Real":
            row["given_name"] = given.decode()
            row["version"] = 99
        return orjson.dumps(row)
    return change


@pytest.mark.safety
def test_a_bundle_sealed_with_only_the_public_key_is_refused(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str) -> None:
    """The defect: a bundle sealed with central-public.txt alone, claiming a real device's id,
    merged as "1 updated", and the real device's later edits then merged as "unchanged"."""
    desk = make_device("real")
    cid = add_client(desk, given="Real")
    assert merge_enrolled([_export(desk, tmp_path, keys)], central_url, keys.private)[0].ok
    before = _snapshot(central_url)

    forged = _repack(_export(desk, tmp_path, keys, full=True), keys, tmp_path,
                     line=_bump(b"Forged"))
    [out] = sync.central_merge([forged], central_url, Path(keys.private))
    assert not out.ok and "not signed by its device" in out.error
    assert _snapshot(central_url) == before

    # Someone who signs with a key of their own, claiming the device's id, fares no better.
    impostor = SigningIdentity(desk.store.device_id, Ed25519PrivateKey.generate())
    forged = _repack(_export(desk, tmp_path, keys, full=True), keys, tmp_path,
                     line=_bump(b"Forged"), signer=impostor)
    [out] = sync.central_merge([forged], central_url, Path(keys.private))
    assert not out.ok and "is enrolled with key" in out.error and impostor.fingerprint in out.error
    assert _snapshot(central_url) == before

    # The real device's next edit is merged as an update, not hidden as "unchanged".
    edit(desk, Client, cid, pronouns="she/her")
    [out] = sync.central_merge([_export(desk, tmp_path, keys)], central_url, Path(keys.private))
    assert out.ok and out.result is not None and out.result.totals["updated"] == 1
    row = central_rows(central_url, "clients")[cid]
    assert (row["given_name"], row["version"], row["pronouns"]) == ("Real", 2, "she/her")


def test_unknown_and_revoked_devices_are_refused_with_the_reason(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    desk = make_device("desk")
    add_client(desk)
    first = _export(desk, tmp_path, keys)
    [out] = sync.central_merge([first], central_url, Path(keys.private))
    assert not out.ok and f"device {desk.store.device_id} is not enrolled" in out.error
    assert central_count(central_url, "clients") == 0

    enrol(central_url, desk)
    assert sync.central_merge([first], central_url, Path(keys.private))[0].ok
    assert main(["central", "revoke", desk.store.device_id, "--db", central_url,
                 "--reason", "laptop stolen from the car", "--json"]) == 0
    revoked = orjson.loads(capsys.readouterr().out)
    assert revoked["revoked"] is True and revoked["revoked_reason"] == "laptop stolen from the car"
    before = _snapshot(central_url)
    add_client(desk, given="After")
    [out] = sync.central_merge([_export(desk, tmp_path, keys)], central_url, Path(keys.private))
    assert not out.ok and "was revoked on" in out.error and "laptop stolen" in out.error
    assert _snapshot(central_url) == before
    # Listing shows it; revoking again, or an unknown device, is refused (exit 2, one line).
    assert main(["central", "devices", "--db", central_url]) == 0
    assert "REVOKED" in capsys.readouterr().out
    assert main(["central", "revoke", desk.store.device_id, "--db", central_url,
                 "--reason", "again"]) == 2
    assert "revoked already" in capsys.readouterr().err
    assert main(["central", "revoke", str(uuid.uuid4()), "--db", central_url,
                 "--reason", "who?"]) == 2
    assert "is not enrolled" in capsys.readouterr().err
    # A revoked device is not enrolled again.
    paper = tmp_path / "again.json"
    sync.write_enrolment(desk, paper)
    assert main(["central", "enrol", str(paper), "--db", central_url]) == 2
    assert "is not enrolled again" in capsys.readouterr().err


def test_records_claiming_another_device_are_refused(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str) -> None:
    a = make_device("a")
    b = make_device("b")
    enrol(central_url, a, b)
    add_client(b, given="Real")
    genuine = _export(b, tmp_path, keys)
    # B (enrolled, signing with its own key) writes records as if A had made them.
    b_id, a_id = b.store.device_id, a.store.device_id
    blamed = _repack(genuine, keys, tmp_path, signer=sync.device_identity(b),
                     line=lambda raw: raw.replace(b_id.encode(), a_id.encode()))
    [out] = sync.central_merge([blamed], central_url, Path(keys.private))
    assert not out.ok and f"claims to come from device {a_id}" in out.error
    assert "clients record" in out.error
    assert central_count(central_url, "clients") == 0
    assert sync.central_merge([genuine], central_url, Path(keys.private))[0].ok


def test_audit_head_that_goes_backwards_or_disagrees_is_refused(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str) -> None:
    desk = make_device("desk")
    enrol(central_url, desk)
    add_client(desk, given="One")
    early = _export(desk, tmp_path, keys)
    add_client(desk, given="Two")
    late = _export(desk, tmp_path, keys)
    # Order does not matter: the later bundle first, then the earlier one, both merge.
    assert sync.central_merge([late, early], central_url, Path(keys.private))[1].ok
    [(_, _, held_seq, held_hash)] = central_rows_devices(central_url)
    head = read_bundle(late, crypto.load_private_key(keys.private)).manifest["audit_head"]
    assert (held_seq, held_hash) == (head["seq"], head["hash"])

    # A different hash at the event the centre holds: the chain was rewritten.
    add_client(desk, given="Three")
    rewritten = _repack(_export(desk, tmp_path, keys), keys, tmp_path,
                        signer=sync.device_identity(desk),
                        manifest=lambda m: m.update(audit_head={"seq": held_seq,
                                                                "hash": "0" * 64}))
    before = _snapshot(central_url)
    [out] = sync.central_merge([rewritten], central_url, Path(keys.private))
    assert not out.ok and f"event {held_seq} has a different hash" in out.error
    assert _snapshot(central_url) == before

    # The tail of the device's own chain cut off (triggers dropped, events deleted): its
    # next bundle, genuine and signed, ends below what the centre holds.
    conn = sqlite3.connect(desk.store.db_path, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER audit_events_no_delete")
        conn.execute("DELETE FROM audit_events WHERE seq > ?", (held_seq - 3,))
    finally:
        conn.close()
    cut = _export(desk, tmp_path, keys)
    [out] = sync.central_merge([cut], central_url, Path(keys.private))
    assert not out.ok and "audit log went backwards" in out.error
    assert "events were removed" in out.error
    assert _snapshot(central_url) == before


def test_enrolment_files_are_checked_and_enrolling_twice_changes_nothing(
        make_device: Any, tmp_path: Path, central_url: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    desk = make_device("desk")
    paper = tmp_path / "desk.json"
    written = sync.write_enrolment(desk, paper, label="Kingsmere clinic, room 2")
    assert written.device.fingerprint == sync.this_device(desk).fingerprint
    assert (paper.stat().st_mode & 0o777) == 0o644  # only a public key: meant to be sent
    assert main(["central", "enrol", str(paper), "--db", central_url, "--by", "Ravi",
                 "--json"]) == 0
    entry = orjson.loads(capsys.readouterr().out)
    assert entry["status"] == "enrolled" and entry["label"] == "Kingsmere clinic, room 2"
    assert main(["central", "enrol", str(paper), "--db", central_url, "--json"]) == 0
    assert orjson.loads(capsys.readouterr().out)["status"] == "already enrolled"

    doc = orjson.loads(paper.read_bytes())
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    cases = {
        "fingerprint": (dict(doc, public_key=other), "does not match the public key"),
        "public_key": (dict(doc, public_key="zz", fingerprint="x"), "field public_key"),
        "device_id": (dict(doc, device_id="laptop"), "field device_id"),
        "format": (dict(doc, format="something"), "not a Wellbeing device enrolment file"),
    }
    for name, (bad, fragment) in cases.items():
        path = tmp_path / f"bad-{name}.json"
        path.write_bytes(orjson.dumps(bad))
        assert main(["central", "enrol", str(path), "--db", central_url]) == 2, name
        err = capsys.readouterr().err
        assert fragment in err and path.name in err and "Traceback" not in err, err
    # The same device id with another key (a second computer claiming it) is refused.
    from wellbeing_desktop.storage.identity import public_fingerprint

    raw = bytes.fromhex(other)
    path = tmp_path / "second.json"
    path.write_bytes(orjson.dumps(dict(doc, public_key=other, fingerprint=public_fingerprint(raw))))
    assert main(["central", "enrol", str(path), "--db", central_url]) == 2
    assert "enrolled already with another key" in capsys.readouterr().err
    assert main(["central", "enrol", "/dev/zero", "--db", central_url]) == 2
    assert "not a regular file" in capsys.readouterr().err
    [listed] = sync.central_devices(central_url)
    assert listed.public_key == written.device.public_key and listed.enrolled_by == "Ravi"


@pytest.mark.safety
def test_a_replacement_computer_enrolled_as_successor_sends_the_old_ones_records(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The old laptop made a client and edited it after its last export, then died; its
    backup was restored on a new computer (its own device id and key). The new computer's
    bundle carries the edit under the old device's id: refused until the centre enrols the
    new computer as the old one's successor, then merged, and the old device is revoked."""
    old = make_device("old")
    cid = add_client(old, given="Before")
    assert merge_enrolled([_export(old, tmp_path, keys)], central_url, keys.private)[0].ok
    edit(old, Client, cid, pronouns="they/them")           # never exported by the old laptop
    new = make_device("new", clone_of=old)
    add_client(new, given="After")
    bundle = _export(new, tmp_path, keys, full=True)
    enrol(central_url, new)
    [out] = sync.central_merge([bundle], central_url, Path(keys.private))
    assert not out.ok and f"claims to come from device {old.store.device_id}" in out.error
    assert "--replaces" in out.error
    assert central_rows(central_url, "clients")[cid]["pronouns"] in (None, "")

    # Someone else's device cannot be named (unknown), nor can a device replace itself.
    folder = tmp_path / "enrolment"
    folder.mkdir()
    doc = sync.write_enrolment(new, folder / "new.enrolment.json").path
    for bad, why in (("4c1e0d9a-0000-4000-8000-000000000000", "is not enrolled"),
                     (new.store.device_id, "cannot replace itself")):
        assert main(["central", "enrol", str(doc), "--db", central_url, "--replaces", bad,
                     "--json"]) == 2
        assert why in capsys.readouterr().err
    assert main(["central", "enrol", str(doc), "--db", central_url, "--replaces",
                 old.store.device_id, "--json"]) == 0
    entry = orjson.loads(capsys.readouterr().out)
    assert entry["replaces"] == old.store.device_id and entry["status"] == "enrolled"
    assert main(["central", "devices", "--db", central_url]) == 0
    listed = capsys.readouterr().out
    assert f"replaces {old.store.device_id}" in listed
    assert "REVOKED" in listed and f"replaced by device {new.store.device_id}" in listed

    [out] = sync.central_merge([bundle], central_url, Path(keys.private))
    assert out.ok, out.error
    stored = central_rows(central_url, "clients")
    assert stored[cid]["pronouns"] == "they/them"
    assert stored[cid]["origin_device"] == old.store.device_id     # its history, as made
    assert {r["given_name"] for r in stored.values()} == {"Before", "After"}
    # The old laptop is revoked: if it turns up again, its bundles are refused.
    [late] = sync.central_merge([_export(old, tmp_path, keys)], central_url,
                                Path(keys.private))
    assert not late.ok and "revoked" in late.error and "replaced by device" in late.error
    # A third computer started from the old one's backup, not enrolled as its successor, is
    # still refused the old one's unsent records.
    edit(old, Client, cid, pronouns="she/her")
    other = make_device("other", clone_of=old)
    enrol(central_url, other)
    [theirs] = sync.central_merge([_export(other, tmp_path, keys, full=True)], central_url,
                                  Path(keys.private))
    assert not theirs.ok and "claims to come from device" in theirs.error
