"""User accounts: supervisors add practitioners, switch accounts off, reset passphrases."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from wellbeing_desktop.domain.lockout import passphrase_problem
from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.auth import validate_new_account
from wellbeing_desktop.services.context import ROLE_PRACTITIONER, ROLE_SUPERVISOR
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.storage.keyring import AccountKey, Keyring
from wellbeing_desktop.storage.models import Practitioner

ROLES = (ROLE_PRACTITIONER, ROLE_SUPERVISOR)


@dataclass(frozen=True)
class UserSummary:
    id: uuid.UUID
    display_name: str
    username: str
    role: str
    active: bool
    can_sign_in: bool


@dataclass(frozen=True)
class NewUser:
    display_name: str
    username: str
    role: str = ROLE_PRACTITIONER
    passphrase: str = ""
    confirm_passphrase: str | None = None
    job_title: str = "Health and Wellbeing Practitioner"


def list_users(ctx: AppContext) -> list[UserSummary]:
    permissions.require(ctx.actor, "users.manage")
    ring = Keyring.load(ctx.data_dir)
    keys = ring.accounts if ring else {}
    with ctx.store.read() as s:
        rows = s.execute(
            select(Practitioner.id, Practitioner.display_name, Practitioner.username,
                   Practitioner.role, Practitioner.active)
            .where(Practitioner.deleted_at.is_(None))
            .order_by(Practitioner.display_name)
        ).all()
    return [UserSummary(r[0], r[1], r[2] or "", r[3], r[4],
                        str(r[0]) in keys and keys[str(r[0])].active) for r in rows]


def add_user(ctx: AppContext, data: NewUser) -> Changed:
    permissions.require(ctx.actor, "users.manage")
    problems = []
    name = data.display_name.strip()
    if not name:
        problems.append(FieldProblem("display_name", "Enter the person's name."))
    elif len(name) > 120:
        problems.append(FieldProblem("display_name", "Use 120 characters or fewer."))
    if data.role not in ROLES:
        problems.append(FieldProblem("role", "Choose practitioner or supervisor."))
    encrypted = ctx.store.key is not None
    if encrypted or data.passphrase:
        problems.extend(validate_new_account(data.username, data.passphrase,
                                             data.confirm_passphrase))
    if encrypted and data.passphrase and _is_own_passphrase(ctx, data.passphrase):
        problems.append(FieldProblem("passphrase", "Choose a passphrase different from your own: "
                                     "each person signs in with their own."))
    username = data.username.strip()
    if username:
        with ctx.store.read() as s:
            taken = s.execute(select(func.count()).select_from(Practitioner).where(
                func.lower(Practitioner.username) == username.lower())).scalar()
        if taken:
            problems.append(FieldProblem("username", "That username is already used."))
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        person = Practitioner(display_name=name, role=data.role, job_title=data.job_title.strip(),
                              username=username or None)
        s.add(person)
        s.flush()
        audit.record(s, ctx.actor, "user_added", entity="practitioner", entity_id=person.id,
                     detail=data.role)
        if encrypted:
            assert ctx.store.key is not None
            ring = Keyring.load(ctx.data_dir)
            assert ring is not None
            ring.accounts[str(person.id)] = AccountKey.make(str(person.id), username,
                                                           data.passphrase, ctx.store.key)
            ring.save()  # inside the unit of work: if saving fails, the person is not added
    return Changed.of("practitioner", ids=(str(person.id),))


def _is_own_passphrase(ctx: AppContext, passphrase: str) -> bool:
    """True when `passphrase` opens the signed-in person's own account (one Argon2id run)."""
    from wellbeing_desktop.storage import crypto

    ring = Keyring.load(ctx.data_dir)
    own = ring.accounts.get(str(ctx.actor.id)) if ring and ctx.actor.id else None
    if own is None:
        return False
    try:
        own.unwrap(passphrase)
    except crypto.WrongKey:
        return False
    return True


def _person(s: object, user_id: uuid.UUID) -> Practitioner:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    person = s.get(Practitioner, user_id)
    if person is None or person.deleted_at is not None:
        raise NotFound("There is no such user.")
    return person


def set_active(ctx: AppContext, user_id: uuid.UUID, active: bool) -> Changed:
    """Switch an account off (it can no longer sign in; its records stay) or on again."""
    permissions.require(ctx.actor, "users.manage")
    if user_id == ctx.actor.id and not active:
        raise ValidationError([FieldProblem("active", "You cannot switch off your own account.")])
    with ctx.store.session() as s:
        person = _person(s, user_id)
        person.active = active
        audit.record(s, ctx.actor, "user_enabled" if active else "user_disabled",
                     entity="practitioner", entity_id=user_id)
        ring = Keyring.load(ctx.data_dir)
        if ring is not None and str(user_id) in ring.accounts:
            ring.accounts[str(user_id)].active = active
            ring.save()
    return Changed.of("practitioner", ids=(str(user_id),))


def set_role(ctx: AppContext, user_id: uuid.UUID, role: str) -> Changed:
    permissions.require(ctx.actor, "users.manage")
    if role not in ROLES:
        raise ValidationError([FieldProblem("role", "Choose practitioner or supervisor.")])
    if user_id == ctx.actor.id and role != ROLE_SUPERVISOR:
        raise ValidationError([FieldProblem("role", "You cannot remove your own supervisor role.")])
    with ctx.store.session() as s:
        _person(s, user_id).role = role
        audit.record(s, ctx.actor, "user_role", entity="practitioner", entity_id=user_id,
                     detail=role)
    return Changed.of("practitioner", ids=(str(user_id),))


def reset_passphrase(ctx: AppContext, user_id: uuid.UUID, passphrase: str,
                     confirm: str | None = None) -> Changed:
    """A supervisor sets a new passphrase for someone who forgot theirs (no recovery key needed:
    the supervisor's own sign-in already holds the data key)."""
    permissions.require(ctx.actor, "users.manage")
    ring = Keyring.load(ctx.data_dir)
    if ring is None or ctx.store.key is None or str(user_id) not in ring.accounts:
        raise NotFound("That user has no sign-in on this computer.")
    account = ring.accounts[str(user_id)]
    weak = passphrase_problem(passphrase, account.username)
    if weak:
        raise ValidationError([FieldProblem("passphrase", weak)])
    if confirm is not None and confirm != passphrase:
        raise ValidationError([FieldProblem("confirm_passphrase",
                                            "The two passphrases are different.")])
    fresh = AccountKey.make(account.practitioner_id, account.username, passphrase, ctx.store.key)
    fresh.active = account.active
    ring.accounts[str(user_id)] = fresh
    with ctx.store.session() as s:
        audit.record(s, ctx.actor, "passphrase_reset", entity="practitioner", entity_id=user_id)
        ring.save()
    return Changed.of("practitioner", ids=(str(user_id),))
