"""Signing in, locking, passphrases and the recovery key (DESIGN §7).

An encrypted store opens only with its data key, which `login` unwraps from the keyring with
the account's passphrase. Failed attempts are counted in the keyring (the database is still
locked) with a growing delay, and written to the audit log at the next successful sign-in.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from enum import Enum
from pathlib import Path

from wellbeing_desktop.domain.lockout import lock_delay_seconds, passphrase_problem, username_problem
from wellbeing_desktop.services import audit
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.context import SYSTEM, Actor
from wellbeing_desktop.services.errors import (
    FieldProblem,
    SignInFailed,
    ValidationError,
    WellbeingError,
)
from wellbeing_desktop.services.settings import Settings
from wellbeing_desktop.storage import crypto, paths
from wellbeing_desktop.storage.files import move_into_place
from wellbeing_desktop.storage.keyring import AccountKey, Keyring, keyring_path
from wellbeing_desktop.storage.types import utcnow

WRONG = "That username or passphrase is not right."


class StoreState(Enum):
    NEW = "new"              # no database yet
    PLAIN = "plain"          # not encrypted (set up before passphrases, or by `wellbeing init`)
    ENCRYPTED = "encrypted"  # needs a sign-in


def store_state(data_dir: Path | str | None = None) -> StoreState:
    directory = paths.data_dir(data_dir)
    if keyring_path(directory).exists():
        return StoreState.ENCRYPTED
    db = paths.database_path(directory)
    return StoreState.PLAIN if db.exists() and db.stat().st_size > 0 else StoreState.NEW


def _iso(when: datetime) -> str:
    return when.isoformat()


def _seconds_until(locked_until: str, now: datetime) -> int:
    if not locked_until:
        return 0
    remaining = (datetime.fromisoformat(locked_until) - now).total_seconds()
    return max(0, int(remaining + 0.999))


def _seconds_locked(account: AccountKey, now: datetime) -> int:
    return _seconds_until(account.locked_until, now)


def _record_failure(ring: Keyring, account: AccountKey | None, now: datetime,
                    username: str = "") -> int:
    ring.pending_failures.append(
        {"at": _iso(now), "practitioner_id": account.practitioner_id if account else ""})
    delay = 0
    if account is not None:
        account.failed += 1
        delay = lock_delay_seconds(account.failed)
        account.locked_until = _iso(now + timedelta(seconds=delay)) if delay else ""
    elif username:
        slot = ring.unknown_slot(username)
        slot["failed"] = int(slot.get("failed", 0)) + 1
        delay = lock_delay_seconds(slot["failed"])
        slot["locked_until"] = _iso(now + timedelta(seconds=delay)) if delay else ""
        slot["at"] = _iso(now)
    ring.save()
    return delay


def _locked(wait: int) -> SignInFailed:
    return SignInFailed(f"Too many tries: wait {wait} seconds before trying again.", wait)


def _failed(delay: int) -> SignInFailed:
    if delay:
        return SignInFailed(f"{WRONG} Too many tries: wait {delay} seconds before trying again.",
                            delay)
    return SignInFailed(WRONG)


def _ring(directory: Path) -> Keyring:
    ring = Keyring.load(directory)
    if ring is None:
        raise WellbeingError("These records are not protected by a passphrase yet.")
    return ring


def login(data_dir: Path | str | None, username: str, passphrase: str, *,
          settings: Settings | None = None, restore_from: Path | None = None) -> AppContext:
    """Open the encrypted store as `username`. Raises `SignInFailed` with a plain reason.

    With `restore_from` (after a `DamagedStore`), that good backup replaces the damaged
    database first; the damaged file is kept aside."""
    directory = paths.data_dir(data_dir)
    ring, account, key = authenticate(directory, username, passphrase)
    if restore_from is not None:
        from wellbeing_desktop.services.integrity import replace_damaged

        replace_damaged(directory, key, Path(restore_from))
    return _open_signed_in(directory, ring, account, key, settings, "login")


def authenticate(directory: Path, username: str, passphrase: str
                 ) -> tuple[Keyring, AccountKey, bytes]:
    """Check a sign-in against the keyring alone (the database is not opened): the account
    and the data key, with the lock-out rules. `username` empty: whichever account the
    passphrase opens (the command line), a failure counting against every account tried."""
    ring = _ring(directory)
    now = utcnow()
    if not username:
        return _authenticate_any(ring, passphrase, now)
    account = ring.by_username(username)
    if account is None:
        # The same answers (lock-out included) and about the same time as a real account.
        wait = _seconds_until(str(ring.unknown_slot(username).get("locked_until", "")), now)
        if wait:
            raise _locked(wait)
        crypto.derive_key(passphrase, crypto.new_salt(), crypto.DEFAULT_KDF)
        raise _failed(_record_failure(ring, None, now, username))
    wait = _seconds_locked(account, now)
    if wait:
        raise _locked(wait)
    try:
        key = account.unwrap(passphrase)
    except crypto.WrongKey:
        raise _failed(_record_failure(ring, account, now)) from None
    if not account.active:
        raise SignInFailed("This account is switched off. Ask your supervisor.")
    return ring, account, key


def login_any(data_dir: Path | str | None, passphrase: str, *,
              settings: Settings | None = None) -> AppContext:
    """Sign in with a passphrase alone (the command line): the account it opens.

    A failure counts against every account tried, since it was a guess at each of them.
    """
    directory = paths.data_dir(data_dir)
    ring, account, key = authenticate(directory, "", passphrase)
    return _open_signed_in(directory, ring, account, key, settings, "login")


def _authenticate_any(ring: Keyring, passphrase: str, now: datetime
                      ) -> tuple[Keyring, AccountKey, bytes]:
    tried = [a for a in ring.accounts.values() if a.active and not _seconds_locked(a, now)]
    if not tried:
        raise SignInFailed("Too many tries: wait a few minutes before trying again.")
    for account in tried:
        try:
            return ring, account, account.unwrap(passphrase)
        except crypto.WrongKey:
            continue
    delay = 0
    for account in tried:
        delay = max(delay, _record_failure(ring, account, now))
    raise _failed(delay)


def _open_signed_in(directory: Path, ring: Keyring, account: AccountKey, key: bytes,
                    settings: Settings | None, action: str) -> AppContext:
    from wellbeing_desktop.storage.models import Practitioner

    finish_encryption(directory, key)
    ctx = AppContext.open(directory, key=key, settings=settings)
    try:
        with ctx.store.session() as s:
            person = s.get(Practitioner, uuid.UUID(account.practitioner_id))
            if person is None or not person.active:
                raise SignInFailed("This account is switched off. Ask your supervisor.")
            for failure in ring.pending_failures:
                audit.record(s, SYSTEM, "login_failed", entity="practitioner",
                             entity_id=failure.get("practitioner_id", ""),
                             detail=f"at {failure.get('at', '')}")
            actor = Actor(person.id, person.display_name, person.role)
            audit.record(s, actor, action, entity="practitioner", entity_id=person.id)
    except BaseException:
        ctx.close()
        raise
    ring.pending_failures = []
    account.failed = 0
    account.locked_until = ""
    ring.save()
    ctx.actor = actor
    return ctx


def unlock(ctx: AppContext, passphrase: str) -> None:
    """Check the signed-in person's passphrase to end an idle lock (same lock-out rules)."""
    ring = Keyring.load(ctx.data_dir)
    if ring is None or ctx.actor.id is None:
        with ctx.store.session() as s:  # nothing to check on a store with no passphrases
            audit.record(s, ctx.actor, "unlock")
        return
    account = ring.accounts.get(str(ctx.actor.id))
    if account is None:
        raise SignInFailed("This account has no passphrase. Ask your supervisor.")
    now = utcnow()
    wait = _seconds_locked(account, now)
    if wait:
        raise _locked(wait)
    try:
        account.unwrap(passphrase)
    except crypto.WrongKey:
        delay = _record_failure(ring, account, now)
        raise SignInFailed("That passphrase is not right." + (
            f" Wait {delay} seconds before trying again." if delay else ""), delay) from None
    account.failed = 0
    account.locked_until = ""
    failures, ring.pending_failures = ring.pending_failures, []
    with ctx.store.session() as s:
        for failure in failures:
            audit.record(s, SYSTEM, "login_failed", entity="practitioner",
                         entity_id=failure.get("practitioner_id", ""),
                         detail=f"at {failure.get('at', '')}")
        audit.record(s, ctx.actor, "unlock")
    ring.save()


def record_lock(ctx: AppContext) -> None:
    with ctx.store.session() as s:
        audit.record(s, ctx.actor, "lock")


def change_passphrase(ctx: AppContext, old: str, new: str, confirm: str | None = None) -> None:
    """Re-wrap the data key under a new passphrase. The database file is not re-encrypted."""
    ring = _ring(ctx.data_dir)
    account = ring.accounts.get(str(ctx.actor.id)) if ctx.actor.id else None
    if account is None or ctx.store.key is None:
        raise WellbeingError("This account has no passphrase to change.")
    problems = []
    try:
        account.unwrap(old)
    except crypto.WrongKey:
        problems.append(FieldProblem("old_passphrase", "That is not your current passphrase."))
    weak = passphrase_problem(new, account.username)
    if weak:
        problems.append(FieldProblem("new_passphrase", weak))
    elif confirm is not None and confirm != new:
        problems.append(FieldProblem("confirm_passphrase", "The two passphrases are different."))
    if problems:
        raise ValidationError(problems)
    fresh = AccountKey.make(account.practitioner_id, account.username, new, ctx.store.key)
    ring.accounts[account.practitioner_id] = fresh
    with ctx.store.session() as s:
        audit.record(s, ctx.actor, "passphrase_changed", entity="practitioner",
                     entity_id=account.practitioner_id)
        ring.save()


def recover(data_dir: Path | str | None, recovery_key: str, username: str, new_passphrase: str,
            *, settings: Settings | None = None) -> AppContext:
    """Set a new passphrase for `username` with the recovery key, and sign in."""
    directory = paths.data_dir(data_dir)
    ring = _ring(directory)
    account = ring.by_username(username)
    problems = []
    if account is None:
        problems.append(FieldProblem("username", "There is no account with that username."))
    weak = passphrase_problem(new_passphrase, username)
    if weak:
        problems.append(FieldProblem("new_passphrase", weak))
    try:
        key = ring.unwrap_recovery(crypto.parse_recovery_key(recovery_key))
    except crypto.WrongKey as exc:
        problems.append(FieldProblem("recovery_key", str(exc).capitalize() + "."))
    if problems:
        raise ValidationError(problems)
    assert account is not None
    fresh = AccountKey.make(account.practitioner_id, account.username, new_passphrase, key)
    fresh.active = account.active
    ring.accounts[account.practitioner_id] = fresh
    ring.save()
    return _open_signed_in(directory, ring, fresh, key, settings, "recovered")


def secure_store(ctx: AppContext, username: str, passphrase: str,
                 confirm: str | None = None) -> str:
    """Encrypt a plain store and give the signed-in supervisor a passphrase.

    Returns the recovery key, to be shown (or printed) once and never stored in the clear.
    """
    from wellbeing_desktop.storage.models import Practitioner
    from wellbeing_desktop.storage.store import Store

    if ctx.store.key is not None:
        raise WellbeingError("These records are already encrypted.")
    problems = validate_new_account(username, passphrase, confirm)
    if ctx.actor.id is None:
        problems.append(FieldProblem("", "Set up a practitioner before adding a passphrase."))
    if problems:
        raise ValidationError(problems)
    assert ctx.actor.id is not None
    key = crypto.new_data_key()
    text, raw = crypto.new_recovery_key()
    with ctx.store.session() as s:
        person = s.get(Practitioner, ctx.actor.id)
        assert person is not None
        person.username = username.strip()
        audit.record(s, ctx.actor, "store_encrypted", entity="practitioner", entity_id=person.id)
    ring = Keyring(keyring_path(ctx.data_dir))
    ring.accounts[str(ctx.actor.id)] = AccountKey.make(str(ctx.actor.id), username.strip(),
                                                      passphrase, key)
    ring.set_recovery(raw, key)
    ctx.store.close()
    # The keyring is written first: if we stop half-way, the next sign-in finishes the job.
    ring.save()
    finish_encryption(ctx.data_dir, key)
    ctx.store = Store.open(ctx.data_dir, key=key)
    return text


def validate_new_account(username: str, passphrase: str, confirm: str | None) -> list[FieldProblem]:
    problems = []
    bad_name = username_problem(username)
    if bad_name:
        problems.append(FieldProblem("username", bad_name))
    weak = passphrase_problem(passphrase, username)
    if weak:
        problems.append(FieldProblem("passphrase", weak))
    elif confirm is not None and confirm != passphrase:
        problems.append(FieldProblem("confirm_passphrase", "The two passphrases are different."))
    return problems


def finish_encryption(data_dir: Path, key: bytes) -> bool:
    """If the database file is still plain SQLite, encrypt it in place; True when it was.

    Plain backups are deleted afterwards (they hold the records in the clear) and one
    encrypted backup is taken. The old plain pages may still be on the disk until overwritten.
    """
    from wellbeing_desktop.storage.backup import (
        backup_database,
        integrity_problem,
        list_backups,
        timestamped_name,
    )
    from wellbeing_desktop.storage.engine import encrypt_copy, is_plain_sqlite, raw_connect

    db = paths.database_path(data_dir)
    if not db.exists() or db.stat().st_size == 0 or not is_plain_sqlite(db):
        return False
    conn = raw_connect(db)
    try:  # fold the WAL into the file and drop it: a stale plain WAL must never be replayed
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    finally:
        conn.close()
    tmp = db.with_name(db.name + ".encrypting")
    encrypt_copy(db, tmp, key)
    problem = integrity_problem(tmp, key=key)
    if problem:
        tmp.unlink(missing_ok=True)
        raise WellbeingError(f"Encrypting the records failed its check ({problem}); "
                             "nothing was changed.")
    move_into_place(tmp, db)
    folder = paths.backups_dir(data_dir)
    for old in list_backups(folder):
        if is_plain_sqlite(old):
            old.unlink()
    backup_database(db, folder / timestamped_name("encrypted"), key=key)
    return True


