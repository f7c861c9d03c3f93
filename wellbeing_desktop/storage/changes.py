"""Versioning and the per-device change sequence, kept by one session hook.

Every insert or edit of a synchronised record, in one flush, gets `updated_at = now`,
`version + 1` (edits) and the next numbers of this device's change sequence. Incremental
export is then "rows with change_seq above the last acknowledged watermark".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, event, text
from sqlalchemy.orm import Session, sessionmaker

from wellbeing_desktop.storage.models.base import SyncedMixin
from wellbeing_desktop.storage.types import utcnow


def reserve_sequence(conn: Connection, count: int) -> int:
    """Reserve `count` change numbers; returns the first. For Core bulk inserts."""
    if count <= 0:
        raise ValueError("count must be positive")
    last = conn.execute(
        text("UPDATE device_state SET change_seq = change_seq + :n WHERE id = 1 RETURNING change_seq"),
        {"n": count},
    ).scalar_one()
    return int(last) - count + 1


def device_id(conn: Connection) -> str:
    return str(conn.execute(text("SELECT device_id FROM device_state WHERE id = 1")).scalar_one())


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    new = [obj for obj in session.new if isinstance(obj, SyncedMixin)]
    dirty = [
        obj
        for obj in session.dirty
        if isinstance(obj, SyncedMixin) and session.is_modified(obj, include_collections=False)
    ]
    if not new and not dirty:
        return
    conn = session.connection()
    origin = session.info.get("device_id")
    if origin is None:
        origin = session.info["device_id"] = device_id(conn)
    seq = reserve_sequence(conn, len(new) + len(dirty))
    now = utcnow()
    for obj in new:
        obj.created_at = obj.created_at or now
        obj.updated_at = now
        obj.version = 1
        obj.origin_device = origin
        obj.change_seq = seq
        seq += 1
    for obj in dirty:
        obj.updated_at = now
        obj.version = (obj.version or 0) + 1
        obj.origin_device = origin
        obj.change_seq = seq
        seq += 1


def make_sessionmaker(bind: Any) -> sessionmaker[Session]:
    factory = sessionmaker(bind=bind, expire_on_commit=False)
    event.listen(factory, "before_flush", _before_flush)
    return factory
