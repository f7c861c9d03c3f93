"""Directory feeds: each import belongs to a named feed (a publisher), and each service
remembers which feeds list it, so a re-import withdraws only within its own feed.

A service listed by two feeds is one service (one ORUK id) with two sources. It is on offer
while any source still lists it; removing a feed withdraws its sources, never deletes a
service (signposting history points at them).

These records are this installation's own bookkeeping (which files it imported), like
`device_state`: they do not travel to central records (no `SyncedMixin`). Two clinics that
import the same council's feed send the centre the same services, not two feeds.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing_desktop.storage.models.base import Base
from wellbeing_desktop.storage.types import UTCDateTime, utcnow


class DirFeed(Base):
    __tablename__ = "dir_feeds"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # The file (or folder) last imported for this feed, as the user chose it.
    source_file: Mapped[str] = mapped_column(Text, default="")
    last_imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Whether the last import was a complete list (only then does it withdraw services).
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    # Counts of the last import (added, updated, unchanged, withdrawn, skipped, warnings) and
    # its data-quality warnings, as JSON.
    counts_json: Mapped[str] = mapped_column(Text, default="{}")
    warnings_json: Mapped[str] = mapped_column(Text, default="[]")
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class DirServiceSource(Base):
    """One feed lists one service. `withdrawn_at`: the feed stopped listing it (or was removed)."""

    __tablename__ = "dir_service_sources"
    __table_args__ = (UniqueConstraint("service_id", "feed_id",
                                       name="uq_dir_service_sources_service_feed"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    service_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("dir_services.id"), index=True)
    feed_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("dir_feeds.id"), index=True)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
