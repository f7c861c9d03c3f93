"""Printed documents: what was given to whom, when, in which variant — never the PDF itself.

The SHA-256 of the bytes proves which version was printed; because the same snapshot gives
byte-identical PDFs, a past version can be rebuilt and checked against it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing_desktop.storage.models.base import Base, SyncedMixin
from wellbeing_desktop.storage.types import UTCDateTime, utcnow


class PrintedDocument(SyncedMixin, Base):
    __tablename__ = "printed_documents"

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))          # plan, leaflet, discharge
    variant: Mapped[str] = mapped_column(String(20))       # standard, large-print, easy-read
    language: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(20), default="person")
    action: Mapped[str] = mapped_column(String(20), default="printed")  # printed, saved
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    printed_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("practitioners.id"), default=None)
    printed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
