"""Append-only, keyed hash chain audit log: who did what to which record, identifiers only.

Each event links to the one before by HMAC-SHA256 under the chain key (issue 13). Events made
before the chain was keyed (0.1.0) keep their plain SHA-256 links; `audit_chain` says from
which event on the links are keyed. The key of an encrypted store is derived from its data key
(held in the keyring); a plain store keeps a random key in its own database, which guards
against accidental damage and tools that do not know it, not against someone who can edit the
file (docs/hardening.md). What anchors the chain against a rewrite or a truncation is outside
the database: the head recorded at each sign-in and close (`anchors`) and in every export
bundle, which the centre keeps.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
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
            client_id: str, detail: str, key: bytes | None = None) -> str:
    payload = "\x1f".join(
        [prev, at.isoformat(), actor, action, entity, entity_id, client_id, detail]
    ).encode("utf-8")
    if key is not None:
        return hmac.new(key, payload, hashlib.sha256).hexdigest()
    return hashlib.sha256(payload).hexdigest()


@dataclass(frozen=True)
class ChainState:
    key: bytes | None        # None: the chain is not keyed yet (a store from 0.1.0, unused)
    keyed_from: int | None   # the first keyed event's seq


def chain_state(session: Session) -> ChainState:
    """The chain key and from which event it applies (read from `audit_chain`)."""
    from wellbeing_desktop.storage.models.security import AuditChain

    row = session.get(AuditChain, 1)
    if row is None:
        return ChainState(None, None)
    key = bytes.fromhex(row.key) if row.key else session.info.get("chain_key")
    if key is None:
        raise RuntimeError("the audit chain is keyed by the data key, but no key was given")
    return ChainState(key, int(row.keyed_from_seq))


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
    from wellbeing_desktop.storage.models.security import AuditChain

    last = session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).scalar()
    prev = last or GENESIS
    state = chain_state(session)
    key, first_keyed = state.key, False
    if key is None:  # the first event of this release: the chain becomes keyed from here
        key = session.info.get("chain_key")
        stored = None
        if key is None:
            key = os.urandom(32)
            stored = key.hex()
        first_keyed = True
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
        hash=_digest(prev, at, actor.audit_id, action, entity, eid, cid, detail[:200], key),
    )
    session.add(event)
    session.flush()
    if first_keyed:
        session.add(AuditChain(id=1, keyed_from_seq=event.seq, key=stored))
        session.flush()


def record_many(session: Session, actor: Actor,
                events: list[tuple[str, str, object, object, str]]) -> None:
    """Append several events (action, entity, entity_id, client_id, detail) in the caller's
    unit of work: the same chain as `record` one by one, with one read of the last hash and
    one flush (a 2,000-row referral import writes 2,000 events)."""
    if not events:
        return
    # The first through `record`, which keys the chain if this is its first keyed event.
    (action, entity, entity_id, client_id, detail), rest = events[0], events[1:]
    record(session, actor, action, entity=entity, entity_id=entity_id, client_id=client_id,
           detail=detail)
    key = chain_state(session).key
    prev = head(session)[1]
    at = utcnow().replace(microsecond=0)
    for action, entity, entity_id, client_id, detail in rest:
        eid, cid, text = str(entity_id or ""), str(client_id or ""), detail[:200]
        digest = _digest(prev, at, actor.audit_id, action, entity, eid, cid, text, key)
        session.add(AuditEvent(at=at, actor_id=actor.audit_id, action=action, entity=entity,
                               entity_id=eid, client_id=cid, detail=text, prev_hash=prev,
                               hash=digest))
        prev = digest
    session.flush()


@dataclass(frozen=True)
class ChainReport:
    events: int
    first_broken_seq: int | None
    keyed_from: int | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken_seq is None


def verify(session: Session) -> ChainReport:
    state = chain_state(session)
    prev = GENESIS
    count = 0
    for ev in session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars():
        count += 1
        keyed = state.keyed_from is not None and ev.seq >= state.keyed_from
        expected = _digest(prev, ev.at, ev.actor_id, ev.action, ev.entity, ev.entity_id,
                           ev.client_id, ev.detail, state.key if keyed else None)
        if ev.prev_hash != prev or not hmac.compare_digest(ev.hash, expected):
            return ChainReport(count, ev.seq, state.keyed_from)
        prev = ev.hash
    return ChainReport(count, None, state.keyed_from)


def head(session: Session) -> tuple[int, str]:
    """(seq, hash) of the newest event; (0, GENESIS) for an empty log."""
    row = session.execute(select(AuditEvent.seq, AuditEvent.hash)
                          .order_by(AuditEvent.seq.desc()).limit(1)).first()
    return (int(row[0]), str(row[1])) if row else (0, GENESIS)


def hash_at(session: Session, seq: int) -> str | None:
    return session.execute(select(AuditEvent.hash).where(AuditEvent.seq == seq)).scalar()


def verify_file(path: Path, key: bytes | None) -> ChainReport:
    """Verify the chain of a database file that is not open as the store (a staged backup)."""
    from sqlalchemy.orm import Session as _Session

    from wellbeing_desktop.storage.crypto import chain_key
    from wellbeing_desktop.storage.engine import make_engine

    engine = make_engine(path, key=key, pool=False)
    try:
        with _Session(engine) as s:
            s.info["chain_key"] = chain_key(key) if key is not None else None
            return verify(s)
    finally:
        engine.dispose()


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


# ------------------------------------------------------------------------------- anchoring

@dataclass(frozen=True)
class Anchoring:
    """The chain's own check, and how far anchors outside the database vouch for it."""

    chain: ChainReport
    head_seq: int
    anchored_seq: int = 0       # the newest anchor that still matches (0: none)
    anchored_at: str = ""
    anchored_by: str = ""       # "closing the app", "export <id>"
    exported_seq: int = 0
    problem: str = ""           # a missing tail or a rewrite an anchor shows

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problem

    def describe(self) -> str:
        if not self.chain.ok:
            return f"Audit chain BROKEN at event {self.chain.first_broken_seq}"
        if self.problem:
            return f"Audit chain BROKEN: {self.problem}"
        text = f"Audit chain intact ({self.chain.events} events"
        text += f", keyed from event {self.chain.keyed_from})" if self.chain.keyed_from \
            else ", not keyed yet)"
        if not self.anchored_seq:
            return text + "; not anchored yet (no close or export recorded on this computer)"
        text += f"; anchored up to event {self.anchored_seq} ({self.anchored_by}, " \
                f"{self.anchored_at})"
        if self.exported_seq:
            text += f"; up to event {self.exported_seq} also held by central records"
        if self.head_seq > self.anchored_seq:
            text += (f"; events after {self.anchored_seq} are checked by the chain alone "
                     "until the app closes or exports")
        return text


def check_anchored(session: Session, data_dir: Path) -> Anchoring:
    from wellbeing_desktop.storage import anchors

    chain = verify(session)
    head_seq, _ = head(session)
    state = chain_state(session)
    found = anchors.load(data_dir)
    best: anchors.Anchor | None = None
    exported = 0
    for anchor in found.values():
        if state.key is None or not anchor.authentic(state.key):
            return Anchoring(chain, head_seq, problem=(
                f"the record of where the chain was ({anchors.FILENAME}) was altered"))
        if anchor.seq > head_seq:
            return Anchoring(chain, head_seq, problem=(
                f"events after {head_seq} were removed (the chain reached event {anchor.seq} "
                f"on {anchor.at})"))
        if hash_at(session, anchor.seq) != anchor.hash:
            return Anchoring(chain, head_seq, problem=(
                f"the chain was rewritten at or before event {anchor.seq}"))
        if anchor.kind == "export":
            exported = max(exported, anchor.seq)
        if best is None or anchor.seq > best.seq:
            best = anchor
    if best is None:
        return Anchoring(chain, head_seq)
    by = "closing the app" if best.kind == "local" else f"export {best.note}"
    return Anchoring(chain, head_seq, best.seq, best.at, by, exported)


def verify_anchored(ctx: AppContext) -> Anchoring:
    from wellbeing_desktop.services import permissions

    permissions.require(ctx.actor, "audit.view")
    with ctx.store.read() as s:
        return check_anchored(s, ctx.data_dir)


def record_anchor(ctx: AppContext, kind: str = "local", note: str = "",
                  *, reset: bool = False, point: tuple[int, str] | None = None) -> None:
    """Remember the chain's head outside the database. An anchor that no longer matches the
    chain is left as it is (it is the evidence), unless `reset` (after a restore, which rolls
    the chain back on purpose)."""
    from wellbeing_desktop.storage import anchors

    with ctx.store.read() as s:
        state = chain_state(s)
        if state.key is None:
            return
        seq, digest = point or head(s)
        found = anchors.load(ctx.data_dir)
        if reset:
            found = {}
        for anchor in found.values():
            if not anchor.authentic(state.key) or hash_at(s, anchor.seq) != anchor.hash:
                return
    found[kind] = anchors.Anchor(kind, seq, digest, utcnow().replace(microsecond=0).isoformat(),
                                 note).signed(state.key)
    anchors.save(ctx.data_dir, found)
