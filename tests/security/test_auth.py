"""Accounts, sign-in, lock-out, passphrase change and the recovery key, on real files."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sec_helpers import CLIENT_NAME, PASS_HANNAH, PASS_SAM
from sqlalchemy import select

from wellbeing_desktop.services import auth, setup
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import SignInFailed, StoreLocked, ValidationError
from wellbeing_desktop.storage import paths
from wellbeing_desktop.storage.engine import is_plain_sqlite
from wellbeing_desktop.storage.models import AuditEvent


def _events(ctx: AppContext) -> list[str]:
    with ctx.store.read() as s:
        return list(s.execute(select(AuditEvent.action).order_by(AuditEvent.seq)).scalars())


@pytest.mark.safety
def test_first_run_with_a_passphrase_encrypts_and_signs_in(secure_ctx: AppContext, data_dir: Path) -> None:
    db = paths.database_path(data_dir)
    assert not is_plain_sqlite(db)
    assert secure_ctx.store.key is not None
    assert len(secure_ctx.recovery_key.replace("-", "")) == 32  # type: ignore[attr-defined]
    assert auth.store_state(data_dir) is auth.StoreState.ENCRYPTED
    secure_ctx.close()
    with pytest.raises(StoreLocked):
        AppContext.open(data_dir)
    ctx = auth.login(data_dir, "Hannah", PASS_HANNAH)
    try:
        assert ctx.actor.name == "Hannah Price"
        assert ctx.actor.role == "practitioner"
        assert _events(ctx)[-1] == "login"
    finally:
        ctx.close()


@pytest.mark.safety
def test_wrong_passphrase_is_a_clear_error_and_locks_out_after_repeats(secure_ctx: AppContext,
                                                                      data_dir: Path) -> None:
    secure_ctx.close()
    for _ in range(4):
        with pytest.raises(SignInFailed) as err:
            auth.login(data_dir, "sam", "not the passphrase")
        assert str(err.value) == "That username or passphrase is not right."
        assert err.value.wait_seconds == 0
    with pytest.raises(SignInFailed) as err:
        auth.login(data_dir, "sam", "still not it")
    assert err.value.wait_seconds == 30
    # Even the right passphrase waits out the delay.
    with pytest.raises(SignInFailed, match="wait"):
        auth.login(data_dir, "sam", PASS_SAM)
    with pytest.raises(SignInFailed, match="not right"):
        auth.login(data_dir, "nobody", PASS_SAM)
    # Another account is not locked; the failures reach the audit log at the next sign-in.
    ctx = auth.login(data_dir, "hannah", PASS_HANNAH)
    try:
        actions = _events(ctx)
        assert actions.count("login_failed") == 6
        assert actions[-1] == "login"
    finally:
        ctx.close()


def test_passphrase_change_rewraps_without_reencrypting(secure_ctx: AppContext, data_dir: Path) -> None:
    key = secure_ctx.store.key
    with pytest.raises(ValidationError) as err:
        auth.change_passphrase(secure_ctx, "wrong old one", "short")
    assert err.value.for_field("old_passphrase")
    assert err.value.for_field("new_passphrase")
    auth.change_passphrase(secure_ctx, PASS_SAM, "a brand new passphrase", "a brand new passphrase")
    secure_ctx.close()
    with pytest.raises(SignInFailed):
        auth.login(data_dir, "sam", PASS_SAM)
    ctx = auth.login(data_dir, "sam", "a brand new passphrase")
    try:
        assert ctx.store.key == key  # the same data key: the file was not re-encrypted
        assert "passphrase_changed" in _events(ctx)
    finally:
        ctx.close()


@pytest.mark.safety
def test_recovery_key_sets_a_new_passphrase(secure_ctx: AppContext, data_dir: Path) -> None:
    recovery = secure_ctx.recovery_key  # type: ignore[attr-defined]
    secure_ctx.close()
    with pytest.raises(ValidationError) as err:
        auth.recover(data_dir, "AAAA-BBBB", "sam", "forgotten but new")
    assert err.value.for_field("recovery_key")
    ctx = auth.recover(data_dir, recovery.lower().replace("-", " "), "sam", "forgotten but new")
    ctx.close()
    ctx = auth.login(data_dir, "sam", "forgotten but new")
    assert ctx.actor.name == "Sam Okoye"
    ctx.close()


def test_plain_store_is_encrypted_on_first_sign_in_setup(ctx: AppContext, data_dir: Path) -> None:
    from sec_helpers import add_client

    add_client(ctx)
    from wellbeing_desktop.services import backups

    backups.backup_now(ctx)  # a plain backup, which must not survive encryption
    recovery = auth.secure_store(ctx, "sam", PASS_SAM)
    assert recovery
    assert not is_plain_sqlite(paths.database_path(data_dir))
    for b in (data_dir / "backups").glob("*.sqlite3"):
        assert not is_plain_sqlite(b)
        assert CLIENT_NAME.encode() not in b.read_bytes()
    ctx.close()
    again = auth.login_any(data_dir, PASS_SAM)
    assert again.actor.name == "Sam Okoye"
    again.close()


@pytest.mark.safety
def test_interrupted_encryption_is_finished_at_the_next_sign_in(ctx: AppContext, data_dir: Path) -> None:
    """The keyring is written before the file is swapped; if the app stops in between, the
    plain file is encrypted at the next sign-in."""
    from wellbeing_desktop.storage import crypto
    from wellbeing_desktop.storage.keyring import AccountKey, Keyring, keyring_path

    with ctx.store.session() as s:
        from wellbeing_desktop.storage.models import Practitioner

        person = s.get(Practitioner, ctx.actor.id)
        person.username = "sam"
    key = crypto.new_data_key()
    ring = Keyring(keyring_path(data_dir))
    ring.accounts[str(ctx.actor.id)] = AccountKey.make(str(ctx.actor.id), "sam", PASS_SAM, key)
    ctx.close()
    ring.save()
    assert is_plain_sqlite(paths.database_path(data_dir))
    signed_in = auth.login(data_dir, "sam", PASS_SAM)
    assert not is_plain_sqlite(paths.database_path(data_dir))
    assert signed_in.store.key == key
    signed_in.close()


def test_first_run_bad_passphrase_changes_nothing(data_dir: Path) -> None:
    ctx = AppContext.open(data_dir)
    with pytest.raises(ValidationError) as err:
        setup.first_run(ctx, setup.SetupInput("Kingsmere", "Sam Okoye", username="sam",
                                              passphrase="short", confirm_passphrase="short"))
    assert err.value.for_field("passphrase")
    with pytest.raises(ValidationError) as err:
        setup.first_run(ctx, setup.SetupInput("Kingsmere", "Sam Okoye", username="s am",
                                              passphrase=PASS_SAM, confirm_passphrase="other"))
    assert err.value.for_field("username") and err.value.for_field("confirm_passphrase")
    assert setup.needs_first_run(ctx)
    assert auth.store_state(data_dir) is auth.StoreState.PLAIN
    ctx.close()


@pytest.mark.safety
def test_switched_off_account_cannot_sign_in(secure_ctx: AppContext, data_dir: Path) -> None:
    from wellbeing_desktop.services import accounts

    users = {u.username: u for u in accounts.list_users(secure_ctx)}
    assert users["hannah"].can_sign_in
    accounts.set_active(secure_ctx, users["hannah"].id, False)
    with pytest.raises(ValidationError):
        accounts.set_active(secure_ctx, secure_ctx.actor.id or uuid.uuid4(), False)
    secure_ctx.close()
    with pytest.raises(SignInFailed, match="switched off"):
        auth.login(data_dir, "hannah", PASS_HANNAH)
