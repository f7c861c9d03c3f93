"""Append-only, hash-chained audit log: who did what to which record, identifiers only."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wellbeing_desktop.services.context import Actor
from wellbeing_desktop.storage.models import AuditEvent
from wellbeing_desktop.storage.types import utcnow

if TYPE_CHECKING:
    from wellbeing_desktop.services.app import AppContext

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


def record_many(session: Session, actor: Actor,
                events: list[tuple[str, str, object, object, str]]) -> None:
    """Append several events (action, entity, entity_id, client_id, detail) in the caller's
    unit of work: the same chain as `record` one by one, with one read of the last hash and
    one flush (a 2,000-row referral import writes 2,000 events)."""
    if not events:
        return
    last = session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).scalar()
    prev = last or GENESIS
    at = utcnow().replace(microsecond=0)
    for action, entity, entity_id, client_id, detail in events:
        eid, cid, text = str(entity_id or ""), str(client_id or ""), detail[:200]
        digest = _digest(prev, at, actor.audit_id, action, entity, eid, cid, text)
        session.add(AuditEvent(at=at, actor_id=actor.audit_id, action=action, entity=entity,
                               entity_id=eid, client_id=cid, detail=text, prev_hash=prev,
                               hash=digest))
        prev = digest
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


@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    actor_id: str
    actor_name: str
    action: str
    entity: str
    entity_id: str
    client_id: str
    detail: str


@dataclass(frozen=True)
class AuditFilter:
    actor_id: str = ""
    client_id: str = ""
    action: str = ""
    since: datetime | None = None
    until: datetime | None = None


def _filtered(query: Any, f: AuditFilter) -> Any:
    if f.actor_id:
        query = query.where(AuditEvent.actor_id == f.actor_id)
    if f.client_id:
        query = query.where(AuditEvent.client_id == f.client_id)
    if f.action:
        query = query.where(AuditEvent.action == f.action)
    if f.since is not None:
        query = query.where(AuditEvent.at >= f.since)
    if f.until is not None:
        query = query.where(AuditEvent.at < f.until)
    return query


def list_events(ctx: AppContext, flt: AuditFilter | None = None, *, limit: int = 500,
                offset: int = 0) -> list[AuditRow]:
    """Newest first. Supervisors only (the viewer itself is not audited per row shown)."""
    from wellbeing_desktop.services import permissions
    from wellbeing_desktop.storage.models import Practitioner

    permissions.require(ctx.actor, "audit.view")
    flt = flt or AuditFilter()
    query = _filtered(select(AuditEvent), flt).order_by(AuditEvent.seq.desc())
    with ctx.store.read() as s:
        events = s.execute(query.limit(limit).offset(offset)).scalars().all()
        names = {str(pid): name for pid, name in s.execute(
            select(Practitioner.id, Practitioner.display_name))}
        return [AuditRow(e.seq, e.at, e.actor_id, names.get(e.actor_id, e.actor_id), e.action,
                         e.entity, e.entity_id, e.client_id, e.detail) for e in events]


def count_events(ctx: AppContext, flt: AuditFilter | None = None) -> int:
    from sqlalchemy import func

    from wellbeing_desktop.services import permissions

    permissions.require(ctx.actor, "audit.view")
    with ctx.store.read() as s:
        return int(s.execute(_filtered(select(func.count()).select_from(AuditEvent),
                                       flt or AuditFilter())).scalar_one())


def actions(ctx: AppContext) -> list[str]:
    with ctx.store.read() as s:
        return sorted(a for a in s.execute(select(AuditEvent.action).distinct()).scalars())


def verify_chain(ctx: AppContext) -> ChainReport:
    from wellbeing_desktop.services import permissions

    permissions.require(ctx.actor, "audit.view")
    with ctx.store.read() as s:
        return verify(s)


def record_view(ctx: AppContext, client_id: object, what: str = "client") -> None:
    """Note that the acting person looked at a client's record (its own unit of work)."""
    with ctx.store.session() as s:
        record(s, ctx.actor, "view", entity=what, client_id=client_id)
