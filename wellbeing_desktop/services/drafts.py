"""Autosaved drafts of notes: written as the practitioner types, offered back after a crash.

Drafts stay on this device (never synchronised) and are not audited one keystroke at a time;
the saved record is audited when it is saved.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.storage.models import Client
from wellbeing_desktop.storage.models.casework import NoteDraft
from wellbeing_desktop.storage.types import utcnow


@dataclass(frozen=True)
class Draft:
    key: str
    client_id: uuid.UUID
    client_name: str
    text: str
    fields: dict[str, Any]
    saved_at: datetime


def save_draft(ctx: AppContext, client_id: uuid.UUID, key: str, text: str,
               fields: dict[str, Any] | None = None) -> None:
    """Keep what was typed under `key` (one draft per key; the newest wins)."""
    with ctx.store.session() as s:
        row = s.execute(select(NoteDraft).where(NoteDraft.key == key)).scalar()
        if row is None:
            row = NoteDraft(client_id=client_id, key=key, practitioner_id=ctx.actor.id)
            s.add(row)
        row.text, row.fields, row.saved_at = text, dict(fields or {}), utcnow()


def get_draft(ctx: AppContext, key: str) -> Draft | None:
    return next((d for d in pending(ctx) if d.key == key), None)


def pending(ctx: AppContext) -> list[Draft]:
    """Unsaved drafts left by this practitioner (e.g. after a crash), newest first."""
    with ctx.store.read() as s:
        query = (select(NoteDraft, Client.given_name, Client.family_name)
                 .join(Client, Client.id == NoteDraft.client_id)
                 .where(Client.deleted_at.is_(None))
                 .order_by(NoteDraft.saved_at.desc()))
        if ctx.actor.id is not None:
            query = query.where(NoteDraft.practitioner_id == ctx.actor.id)
        return [Draft(d.key, d.client_id, f"{g} {f}", d.text, dict(d.fields or {}), d.saved_at)
                for d, g, f in s.execute(query).all()]


def discard(ctx: AppContext, key: str) -> None:
    with ctx.store.session() as s:
        discard_in(s, key)


def discard_in(s: Session, key: str) -> None:
    s.execute(delete(NoteDraft).where(NoteDraft.key == key))
