"""Intake: attempts to contact a referred person (the waiting list's history)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing_desktop.storage.models.base import Base, SyncedMixin


class ContactAttempt(SyncedMixin, Base):
    """One try at reaching the person: when, how, and what came of it. A care contact of its
    own kind for central records (docs/sync-format.md), never an attended session."""

    __tablename__ = "contact_attempts"
    __table_args__ = (
        # The waiting list reads each person's latest attempt and their count.
        Index("ix_contact_attempts_client_on", "client_id", "attempted_on"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"))
    referral_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("referrals.id"), default=None)
    attempted_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(20))      # phone, text, email, letter, visit
    outcome: Mapped[str] = mapped_column(String(30))     # no_answer, left_message, spoke, …
    note: Mapped[str] = mapped_column(Text, default="")
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("practitioners.id"), default=None)
