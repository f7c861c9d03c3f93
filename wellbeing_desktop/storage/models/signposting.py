"""Assisted signposting: a client connected with a directory service, and its follow-ups."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing_desktop.storage.models.base import Base, SyncedMixin


class Signposting(SyncedMixin, Base):
    __tablename__ = "signpostings"

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"), index=True)
    service_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("dir_services.id"), index=True)
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("practitioners.id"), default=None
    )
    # An optional link to the session it was made in (casework's table; kept loose on purpose).
    session_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    signposted_on: Mapped[date] = mapped_column(Date)
    need: Mapped[str] = mapped_column(String(40))  # a needs-domain code
    kind: Mapped[str] = mapped_column(String(30))  # information / assisted_referral / warm_handover
    consent_to_share: Mapped[bool] = mapped_column(Boolean, default=False)
    shared_what: Mapped[str] = mapped_column(Text, default="")
    shared_with: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None] = mapped_column(Date, default=None, index=True)
    # The latest outcome ("" until a follow-up records one).
    outcome: Mapped[str] = mapped_column(String(30), default="")
    outcome_on: Mapped[date | None] = mapped_column(Date, default=None)


class SignpostingFollowUp(SyncedMixin, Base):
    __tablename__ = "signposting_follow_ups"

    signposting_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("signpostings.id"), index=True
    )
    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"), index=True)
    followed_up_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")
    next_follow_up_on: Mapped[date | None] = mapped_column(Date, default=None)


class UnmetNeed(SyncedMixin, Base):
    """A signposting attempt that ended "no suitable service" for a need in an area: counted
    centrally as a gap in provision."""

    __tablename__ = "unmet_needs"

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"), index=True)
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("practitioners.id"), default=None
    )
    recorded_on: Mapped[date] = mapped_column(Date, index=True)
    need: Mapped[str] = mapped_column(String(40))  # a needs-domain code
    # Where a service was looked for: a postcode district or a place name.
    area: Mapped[str] = mapped_column(String(80), default="")
    note: Mapped[str] = mapped_column(Text, default="")
