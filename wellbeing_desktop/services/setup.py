"""First-run set-up: the service's name and the first practitioner."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import func, select

from wellbeing_desktop.services import audit
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.context import ROLE_SUPERVISOR, Actor
from wellbeing_desktop.services.errors import Changed, FieldProblem, ValidationError
from wellbeing_desktop.storage.models import Practitioner


@dataclass(frozen=True)
class SetupInput:
    service_name: str
    practitioner_name: str
    job_title: str = "Health and Wellbeing Practitioner"
    phone: str = ""
    # With a passphrase the store is encrypted and the supervisor signs in with `username`;
    # without one (tests, `wellbeing init`) the store stays plain until it is secured.
    username: str = ""
    passphrase: str = ""
    confirm_passphrase: str | None = None
    require_passphrase: bool = False  # the GUI's set-up always encrypts
    practitioner_id: uuid.UUID | None = None  # chosen in advance when the keyring comes first


@dataclass(frozen=True)
class FirstRunResult:
    changed: Changed
    recovery_key: str = ""  # shown once; empty when no passphrase was set


def needs_first_run(ctx: AppContext) -> bool:
    if not ctx.settings.get("first_run_complete"):
        return True
    with ctx.store.read() as s:
        return (s.execute(select(func.count()).select_from(Practitioner)).scalar() or 0) == 0


def complete_first_run(ctx: AppContext, data: SetupInput) -> Changed:
    return first_run(ctx, data).changed


def first_run(ctx: AppContext, data: SetupInput) -> FirstRunResult:
    """Create the supervisor (and, with a passphrase, encrypt the store). Bad input changes
    nothing."""
    problems = []
    if not data.service_name.strip():
        problems.append(FieldProblem("service_name", "Enter the name of your service."))
    if not data.practitioner_name.strip():
        problems.append(FieldProblem("practitioner_name", "Enter your name."))
    if len(data.practitioner_name) > 120:
        problems.append(FieldProblem("practitioner_name", "Use 120 characters or fewer."))
    if data.passphrase or data.username or data.require_passphrase:
        from wellbeing_desktop.services.auth import validate_new_account

        problems.extend(validate_new_account(data.username, data.passphrase,
                                             data.confirm_passphrase))
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        person = Practitioner(
            **({"id": data.practitioner_id} if data.practitioner_id else {}),
            display_name=data.practitioner_name.strip(),
            role=ROLE_SUPERVISOR,
            job_title=data.job_title.strip(),
            phone=data.phone.strip(),
        )
        s.add(person)
        s.flush()
        actor = Actor(person.id, person.display_name, person.role)
        audit.record(s, actor, "setup", entity="practitioner", entity_id=person.id)
    ctx.settings.set("service_name", data.service_name.strip())
    ctx.settings.set("service_phone", data.phone.strip())
    ctx.settings.set("current_practitioner_id", str(person.id))
    ctx.settings.set("first_run_complete", True)
    ctx.settings.save()
    ctx.actor = actor
    recovery = ""
    if data.passphrase:
        from wellbeing_desktop.services.auth import secure_store

        recovery = secure_store(ctx, data.username, data.passphrase)
    _make_identity(ctx)
    return FirstRunResult(Changed.of("practitioner", "settings"), recovery)


def _make_identity(ctx: AppContext) -> None:
    """This installation's signing key is made at set-up (docs/sync-format.md §1a). It is also
    made on first use, so a failure here (a full disk) does not stop the set-up."""
    from wellbeing_desktop.services.sync.devices import device_identity

    try:
        device_identity(ctx)
    except OSError:
        pass


def first_run_encrypted(data_dir: Path, data: SetupInput) -> tuple[AppContext, str]:
    """Set up a new store that is encrypted from its first byte (`wellbeing init`): the data
    key is made first, the keyring written, then the database created with that key, so no
    plain copy of anything ever reaches the disk. Returns the signed-in context and the
    recovery key (to be shown once)."""
    from wellbeing_desktop.services.auth import validate_new_account
    from wellbeing_desktop.storage import crypto, paths
    from wellbeing_desktop.storage.keyring import AccountKey, Keyring, keyring_path

    problems = validate_new_account(data.username, data.passphrase, data.confirm_passphrase)
    if not data.service_name.strip():
        problems.append(FieldProblem("service_name", "Enter the name of your service."))
    if not data.practitioner_name.strip():
        problems.append(FieldProblem("practitioner_name", "Enter your name."))
    if problems:
        raise ValidationError(problems)
    directory = paths.data_dir(data_dir)
    db = paths.database_path(directory)
    if db.exists() and db.stat().st_size > 0:
        raise ValidationError("There are records here already.")
    ring_path = keyring_path(directory)
    if ring_path.exists():  # left by a set-up that stopped before the database was made
        ring_path.replace(ring_path.with_name(f"{ring_path.name}.orphaned"))
    key = crypto.new_data_key()
    text, raw = crypto.new_recovery_key()
    pid = uuid.uuid4()
    username = data.username.strip()
    ring = Keyring(ring_path)
    ring.accounts[str(pid)] = AccountKey.make(str(pid), username, data.passphrase, key)
    ring.set_recovery(raw, key)
    ring.save()
    ctx = AppContext.open(directory, key=key)
    try:
        first_run(ctx, replace(data, username="", passphrase="", confirm_passphrase=None,
                               practitioner_id=pid))
        with ctx.store.session() as s:
            person = s.get(Practitioner, pid)
            assert person is not None
            person.username = username
            audit.record(s, ctx.actor, "store_encrypted", entity="practitioner", entity_id=pid)
    except BaseException:
        ctx.close()
        raise
    return ctx, text
