"""Issue 13: the audit chain's key state (desktop) and the devices the centre has enrolled.

Neither uses `SyncedMixin`: they never travel in a bundle.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing_desktop.storage.models.base import Base
from wellbeing_desktop.storage.types import UTCDateTime, utcnow


class AuditChain(Base):
    """One row: from which event the audit chain is keyed (HMAC-SHA256; earlier events, made
    before this release, keep their plain SHA-256 links). `key` is set only for a store that
    was plain when the chain became keyed (docs/hardening.md says what that protects); an
    encrypted store's chain key is derived from its data key and never stored."""

    __tablename__ = "audit_chain"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    keyed_from_seq: Mapped[int] = mapped_column(BigInteger)
    key: Mapped[str | None] = mapped_column(String(64), default=None)


class EnrolledDevice(Base):
    """Central side: an installation whose bundles the centre accepts, by its Ed25519 public
    key. A revoked device's bundles are refused from then on (its earlier merges stay). The
    newest audit-chain head seen in its bundles lets the centre notice a rewritten or
    truncated chain."""

    __tablename__ = "sync_devices"

    device_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))  # raw Ed25519 key, hex
    fingerprint: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(Text, default="")
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    enrolled_by: Mapped[str] = mapped_column(String(120), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    revoked_reason: Mapped[str] = mapped_column(Text, default="")
    audit_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    audit_hash: Mapped[str] = mapped_column(String(64), default="")
    # `created_at` of the bundle that carried the held head: a later bundle with a lower head
    # means the chain was cut; an earlier one is a bundle merged late (0600_devices).
    audit_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # The device this one took over from: a replacement computer that started from the old
    # one's backup sends the old one's records (their `origin_device`) as its own history
    # (0700_successors). The replaced device is revoked.
    replaces: Mapped[str | None] = mapped_column(String(36), default=None)
