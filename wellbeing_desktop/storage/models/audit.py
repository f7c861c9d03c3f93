"""The append-only, hash-chained audit log (identifiers only, never clinical content), and
amendments: corrections that keep what was there before."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing_desktop.storage.models.base import Base, SyncedMixin
from wellbeing_desktop.storage.types import UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[str] = mapped_column(String(36), default="")
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40), default="")
    entity_id: Mapped[str] = mapped_column(String(36), default="")
    client_id: Mapped[str] = mapped_column(String(36), default="", index=True)
    detail: Mapped[str] = mapped_column(String(200), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class Amendment(SyncedMixin, Base):
    """A correction to a client's record (subject's right to rectification): the old and the
    new value, who made it and why. The record itself holds the new value; this keeps history."""

    __tablename__ = "amendments"

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    entity: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(36))
    field_name: Mapped[str] = mapped_column(String(60))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    amended_by: Mapped[str] = mapped_column(String(36), default="")


# Append-only in the database itself: an UPDATE or DELETE of an audit row fails. (Someone with
# the data key and a SQL shell can drop the triggers; the hash chain then shows the edit.)
EXTRA_DDL = [
    (
        "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        "DROP TRIGGER IF EXISTS audit_events_no_update",
    ),
    (
        "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
        "DROP TRIGGER IF EXISTS audit_events_no_delete",
    ),
]
