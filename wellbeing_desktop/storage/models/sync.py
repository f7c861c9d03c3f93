"""Models for sync to central records (DESIGN §6).

Desktop side: the log of exports (watermarks, acknowledgement) and which clients' whole
records the centre has already acknowledged. Central side: the bundles merged (idempotence,
replay-with-alteration detection) and conflicts kept for review. None of these use
`SyncedMixin`: they never travel in a bundle themselves.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing_desktop.storage.models.base import Base
from wellbeing_desktop.storage.types import UTCDateTime, utcnow


class ExportLog(Base):
    """One bundle written on this device: the change-sequence range it covers."""

    __tablename__ = "sync_exports"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)  # the export id
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[str] = mapped_column(String(36), default="")
    since_seq: Mapped[int] = mapped_column(BigInteger)
    until_seq: Mapped[int] = mapped_column(BigInteger)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    pseudonymised: Mapped[bool] = mapped_column(Boolean, default=False)
    records: Mapped[int] = mapped_column(Integer, default=0)
    tombstones: Mapped[int] = mapped_column(Integer, default=0)
    file_name: Mapped[str] = mapped_column(String(260), default="")
    # sha256 of the manifest (which holds every member's sha256): the bundle's identity.
    digest: Mapped[str] = mapped_column(String(64))
    # Key the centre proves it decrypted the bundle with (HMAC of its acknowledgement).
    ack_key: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(64), default="")
    acknowledged: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    ack_counts: Mapped[str] = mapped_column(Text, default="")


class ExportClient(Base):
    """Clients whose whole record went in an export for the first time (consent given later
    than their records were written, or never acknowledged before)."""

    __tablename__ = "sync_export_clients"

    export_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class ExportSubject(Base):
    """Every client an export carried something about: their records (`data`) or the notice
    that they withdrew consent (`withdrawal`). Ids only; the client's subject access export
    lists these, so a person can see each bundle that carried their data."""

    __tablename__ = "sync_export_subjects"

    export_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, index=True)
    kind: Mapped[str] = mapped_column(String(16), default="data")


class SentClient(Base):
    """Clients whose whole record the centre has acknowledged: later exports send changes only."""

    __tablename__ = "sync_sent_clients"

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    export_id: Mapped[uuid.UUID] = mapped_column(Uuid)


class MergeLog(Base):
    """Central side: every bundle merged, so a replay changes nothing and an altered replay
    (same export id, different content) is refused."""

    __tablename__ = "sync_merges"

    export_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    device_id: Mapped[str] = mapped_column(String(36), index=True)
    practitioner_id: Mapped[str] = mapped_column(String(36), default="")
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    since_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    until_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    pseudonymised: Mapped[bool] = mapped_column(Boolean, default=False)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    conflicts: Mapped[int] = mapped_column(Integer, default=0)
    tombstones: Mapped[int] = mapped_column(Integer, default=0)


class Conflict(Base):
    """Central side: for one record, the newest version from one device that lost to the
    winning version from another device (a concurrent edit), kept whole for review.

    One row per (record, losing device): a device's later losing version replaces its earlier
    one, and the row goes when that device's own newer version wins. `same_as_kept` is true when
    the losing version says the same as the winner (nothing to review); it is worked out again
    whenever the winner changes, so the open conflicts never depend on the merge order.
    """

    __tablename__ = "sync_conflicts"
    __table_args__ = (UniqueConstraint("entity", "record_id", "lost_device"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    client_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None, index=True)
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    export_id: Mapped[uuid.UUID] = mapped_column(Uuid)  # the merge that found it
    lost_version: Mapped[int] = mapped_column(Integer)
    lost_device: Mapped[str] = mapped_column(String(36))
    lost_updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lost_deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    kept_version: Mapped[int] = mapped_column(Integer)
    kept_device: Mapped[str] = mapped_column(String(36))
    content: Mapped[str] = mapped_column(Text, default="")  # the losing row as JSON
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    same_as_kept: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)
    # Review (`wellbeing central resolve`): who chose, when, which version ("current" or
    # "other") and why. Empty for conflicts nobody has reviewed.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolved_by: Mapped[str] = mapped_column(String(120), default="")
    resolved_keep: Mapped[str] = mapped_column(String(16), default="")
    resolved_reason: Mapped[str] = mapped_column(Text, default="")


class Restriction(Base):
    """Central side: a client who withdrew consent to central records after their records were
    sent (docs/sync-format.md §7a). Their rows stay (records retention, clinical safety) but
    are restricted: not for routine use or reporting. Kept with the key of the client's record
    when the withdrawal was noted; a later version of that record saying they consent again
    (higher key) lifts it, so merge order never matters."""

    __tablename__ = "sync_restrictions"

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    origin_device: Mapped[str] = mapped_column(String(36))
    device_id: Mapped[str] = mapped_column(String(36))  # the device whose bundle said so
    export_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    first_noted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IdAlias(Base):
    """Central side: a device's id for a record the centre already holds under another id,
    found by a natural key (e.g. two clinics importing the same ORUK feed: same `oruk_id`,
    different local ids). Later rows from that device, and references to it, use the centre's id."""

    __tablename__ = "sync_id_aliases"

    local_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    entity: Mapped[str] = mapped_column(String(64))
    central_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
