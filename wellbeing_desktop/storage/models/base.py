"""Declarative base and the columns every synchronised record shares (DESIGN §3)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Integer, MetaData, String, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from wellbeing_desktop.storage.types import UTCDateTime, utcnow

# Stable constraint names keep batch migrations on SQLite and autogenerate comparisons exact.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class SyncedMixin:
    """Shared columns of every record that travels to central records.

    `version`, `updated_at` and `change_seq` are maintained by the session hook in
    `storage.changes`; code never sets them by hand (Core bulk inserts call
    `changes.reserve_sequence`).
    """

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)
    origin_device: Mapped[str] = mapped_column(String(36), default="")
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0, index=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None
