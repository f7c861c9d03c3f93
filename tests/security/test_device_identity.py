"""Issue 13, device identity: each installation's Ed25519 signing key is made at set-up (or on
first use by a store made before it existed), kept in the keyring beside the data key (plain
stores: device-key.json), survives encryption, and never travels with a backup restored onto
another computer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from wellbeing_desktop.services import auth, backups, setup, sync
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.storage import crypto
from wellbeing_desktop.storage.identity import PLAIN_FILENAME

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "stores"
RELEASE_PASSPHRASE = "correct horse battery staple 010"


def _plain_store(data_dir: Path, name: str = "Sam Okoye") -> AppContext:
    ctx = AppContext.open(data_dir)
    setup.complete_first_run(ctx, setup.SetupInput("Kingsmere Wellbeing", name))
    return ctx


def test_set_up_makes_the_identity_and_encryption_moves_it_into_the_keyring(
        data_dir: Path) -> None:
    ctx = _plain_store(data_dir)
    try:
        plain = data_dir / PLAIN_FILENAME
        assert plain.exists() and (plain.stat().st_mode & 0o777) == 0o600
        first = sync.this_device(ctx)
        assert first.device_id == ctx.store.device_id and len(first.fingerprint) == 24
        assert sync.this_device(ctx).fingerprint == first.fingerprint  # stable
        secret = json.loads(plain.read_text())["private"]

        auth.secure_store(ctx, "sam", "kingsmere lighthouse 42")
        assert sync.this_device(ctx).fingerprint == first.fingerprint  # the same identity
        assert not plain.exists()
        ring = (data_dir / "keyring.json").read_text()
        entry = json.loads(ring)["device_signing"]
        assert entry["device_id"] == ctx.store.device_id and entry["public"] == first.public_key
        assert secret not in ring  # wrapped under the data key, never in the clear
    finally:
        ctx.close()
    again = auth.login(data_dir, "sam", "kingsmere lighthouse 42")
    try:
        assert sync.this_device(again).fingerprint == first.fingerprint
    finally:
        again.close()


def test_an_encrypted_set_up_keeps_it_only_in_the_keyring(secure_ctx: AppContext) -> None:
    entry = json.loads((secure_ctx.data_dir / "keyring.json").read_text())["device_signing"]
    assert entry["device_id"] == secure_ctx.store.device_id
    assert not (secure_ctx.data_dir / PLAIN_FILENAME).exists()
    assert sync.this_device(secure_ctx).public_key == entry["public"]
    # Bound to the data key: another key does not open it.
    with pytest.raises(crypto.WrongKey):
        crypto.unwrap(crypto.new_data_key(), crypto.unb64(entry["nonce"]),
                      crypto.unb64(entry["wrapped"]), f"device-signing:{entry['device_id']}")


@pytest.mark.safety
def test_restoring_another_installations_backup_keeps_this_identity(tmp_path: Path) -> None:
    a = _plain_store(tmp_path / "a")
    b = _plain_store(tmp_path / "b")
    try:
        from sec_helpers import add_client

        add_client(a)
        a_identity, b_identity = sync.this_device(a), sync.this_device(b)
        assert a_identity.fingerprint != b_identity.fingerprint
        b_key_file = (tmp_path / "b" / PLAIN_FILENAME).read_bytes()
        backups.restore(b, backups.backup_now(a).path)
        after = sync.this_device(b)
        assert (after.device_id, after.fingerprint) == (b_identity.device_id,
                                                       b_identity.fingerprint)
        assert (tmp_path / "b" / PLAIN_FILENAME).read_bytes() == b_key_file
        assert after.device_id != a_identity.device_id
        assert after.fingerprint != a_identity.fingerprint  # two computers never share one

        # B's bundles are signed by B: the centre takes them from B's enrolment only.
        keys = sync.keygen(tmp_path / "keys")
        out = tmp_path / "b.wbsync"
        sync.export(b, out, recipient=keys.public_text, full=True)
        central = str(tmp_path / "central.sqlite3")
        sync.central_enrol(sync.write_enrolment(a, tmp_path / "a.json").path, central, by="t")
        [refused] = sync.central_merge([out], central, keys.private_key)
        assert not refused.ok and "is not enrolled" in refused.error
        sync.central_enrol(sync.write_enrolment(b, tmp_path / "b.json").path, central, by="t")
        [merged] = sync.central_merge([out], central, keys.private_key)
        # A's records restored on B were never sent by A: history B may not claim as new.
        assert not merged.ok and f"claims to come from device {a.store.device_id}" in merged.error
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize("kind", ["plain", "encrypted"])
def test_a_010_store_gets_an_identity_when_first_needed(kind: str, tmp_path: Path) -> None:
    directory = tmp_path / kind
    shutil.copytree(FIXTURES / "0.1.0" / kind, directory)
    ctx = (AppContext.open(directory) if kind == "plain"
           else auth.login(directory, "sam", RELEASE_PASSPHRASE))
    try:
        made = sync.this_device(ctx)
        assert made.device_id == ctx.store.device_id
        assert sync.this_device(ctx).fingerprint == made.fingerprint
        if kind == "encrypted":
            ring = json.loads((directory / "keyring.json").read_text())
            assert ring["device_signing"]["public"] == made.public_key
            assert not (directory / PLAIN_FILENAME).exists()
    finally:
        ctx.close()
    if kind == "encrypted":  # the keyring still opens for its accounts
        auth.login(directory, "sam", RELEASE_PASSPHRASE).close()


def test_restoring_over_a_damaged_store_keeps_the_identity_its_key_records(
        tmp_path: Path) -> None:
    """The database is too damaged to give its device id: the signing key's record does, so
    another installation's backup does not hand its device id to this computer."""
    from wellbeing_desktop.services import restore
    from wellbeing_desktop.storage import paths

    a = _plain_store(tmp_path / "a")
    b = _plain_store(tmp_path / "b")
    from_a = backups.backup_now(a).path
    a_device, b_identity = a.store.device_id, sync.this_device(b)
    a.close()
    b.close()
    db = paths.database_path(tmp_path / "b")
    db.write_bytes(b"\0" * db.stat().st_size)  # unreadable
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    _aside, foreign = restore.restore_over_damaged(tmp_path / "b", from_a, None, None)
    assert foreign
    again = AppContext.open(tmp_path / "b")
    try:
        assert again.store.device_id == b_identity.device_id != a_device
        assert sync.this_device(again).fingerprint == b_identity.fingerprint
    finally:
        again.close()
