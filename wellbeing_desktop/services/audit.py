"""Append-only, hash-chained audit log: who did what to which record, identifiers only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wellbeing_desktop.services.context import Actor
from wellbeing_desktop.storage.models import AuditEvent
from wellbeing_desktop.storage.types import utcnow

GENESIS = "0" * 64


def _digest(prev: str, at: datetime, actor: str, action: str, entity: str, entity_id: str,
            client_id: str, detail: str) -> str:
    payload = "\x1f".join(
        [prev, at.isoformat(), actor, action, entity, entity_id, client_id, detail]
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    entity: str = "",
    entity_id: object = "",
    client_id: object = "",
    detail: str = "",
) -> None:
    """Append one event in the caller's unit of work (it commits or rolls back with it)."""
    last = session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).scalar()
    prev = last or GENESIS
    # The chain stores microsecond-free UTC so that SQLite and PostgreSQL round-trip it equally.
    at = utcnow().replace(microsecond=0)
    eid, cid = str(entity_id or ""), str(client_id or "")
    event = AuditEvent(
        at=at,
        actor_id=actor.audit_id,
        action=action,
        entity=entity,
        entity_id=eid,
        client_id=cid,
        detail=detail[:200],
        prev_hash=prev,
        hash=_digest(prev, at, actor.audit_id, action, entity, eid, cid, detail[:200]),
    )
    session.add(event)
    session.flush()


@dataclass(frozen=True)
class ChainReport:
    events: int
    first_broken_seq: int | None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


def verify(session: Session) -> ChainReport:
    prev = GENESIS
    count = 0
    for ev in session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars():
        count += 1
        expected = _digest(prev, ev.at, ev.actor_id, ev.action, ev.entity, ev.entity_id,
                           ev.client_id, ev.detail)
        if ev.prev_hash != prev or ev.hash != expected:
            return ChainReport(count, ev.seq)
        prev = ev.hash
    return ChainReport(count, None)
