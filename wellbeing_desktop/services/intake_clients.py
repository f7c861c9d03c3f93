"""Client details the intake area reads alongside the client list (kept out of
services/clients so that module's public names stay as they are while it is split)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from wellbeing_desktop.services import permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.storage.models import Client


def communication_needs(ctx: AppContext, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """Language, interpreter and document format (Accessible Information Standard) by id,
    for ids the caller already listed (the list applied the caseload rule)."""
    permissions.require(ctx.actor, "client.view_own")
    out: dict[uuid.UUID, dict[str, Any]] = {}
    with ctx.store.read() as s:
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for cid, lang, interp, fmt, post, message in s.execute(
                    select(Client.id, Client.language, Client.interpreter_needed,
                           Client.document_format, Client.post_allowed,
                           Client.message_allowed).where(Client.id.in_(chunk))):
                out[cid] = {"language": lang, "interpreter_needed": bool(interp),
                            "document_format": fmt, "post_allowed": bool(post),
                            "message_allowed": bool(message)}
    return out
