"""Create, edit and open a client record (with the duplicate check on create)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from wellbeing_desktop.services import access, audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients.duplicates import _duplicates
from wellbeing_desktop.services.clients.records import (
    _INPUT_FIELDS,
    ClientDetail,
    ClientInput,
    DuplicatesFound,
    Saved,
    _apply,
    _get,
    validate,
)
from wellbeing_desktop.services.errors import Changed, ValidationError
from wellbeing_desktop.storage.models import Client, Practitioner


def create_client(ctx: AppContext, data: ClientInput, *, allow_duplicates: bool = False) -> Saved:
    """Add a client. Raises `DuplicatesFound` (nothing written) unless `allow_duplicates`."""
    permissions.require(ctx.actor, "client.edit")
    clean, problems = validate(data)
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        if not allow_duplicates:
            candidates = _duplicates(s, clean, None)
            if candidates:
                raise DuplicatesFound(candidates)
        row = Client()
        _apply(row, clean)
        if row.practitioner_id is None:
            row.practitioner_id = ctx.actor.id
        row.status = "referred"
        s.add(row)
        s.flush()
        audit.record(s, ctx.actor, "client.create", entity="client", entity_id=row.id,
                     client_id=row.id)
        return Saved(row.id, Changed.of("client", ids=(str(row.id),)))


def update_client(ctx: AppContext, client_id: uuid.UUID, data: ClientInput) -> Saved:
    permissions.require(ctx.actor, "client.edit")
    clean, problems = validate(data)
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        access.require_client(s, ctx.actor, client_id)
        row = _get(s, client_id)
        _apply(row, clean)
        audit.record(s, ctx.actor, "client.update", entity="client", entity_id=row.id,
                     client_id=row.id)
        return Saved(row.id, Changed.of("client", ids=(str(row.id),)))


def get_client(ctx: AppContext, client_id: uuid.UUID) -> ClientDetail:
    """Everything about the client, communication needs included (packs use it)."""
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        row = _get(s, client_id)
        name = ""
        if row.practitioner_id is not None:
            name = s.execute(select(Practitioner.display_name).where(
                Practitioner.id == row.practitioner_id)).scalar() or ""
        values = {n: getattr(row, n) for n in _INPUT_FIELDS}
        values["nhs_number"] = row.nhs_number or ""
        return ClientDetail(**values, id=row.id, status=row.status, practitioner_name=name,
                            version=row.version)


def view_client(ctx: AppContext, client_id: uuid.UUID) -> ClientDetail:
    """`get_client` plus an audit event: a practitioner opened the record."""
    detail = get_client(ctx, client_id)
    with ctx.store.session() as s:
        audit.record(s, ctx.actor, "client.view", entity="client", entity_id=client_id,
                     client_id=client_id)
    return detail


def practitioners(ctx: AppContext) -> list[tuple[uuid.UUID, str]]:
    with ctx.store.read() as s:
        return [(r[0], r[1]) for r in s.execute(
            select(Practitioner.id, Practitioner.display_name)
            .where(Practitioner.deleted_at.is_(None), Practitioner.active.is_(True))
            .order_by(Practitioner.display_name)).all()]
