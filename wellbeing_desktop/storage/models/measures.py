"""Measure administrations: one completed questionnaire (in the app or from a paper form)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing_desktop.storage.models.base import Base, SyncedMixin


class MeasureAdministration(SyncedMixin, Base):
    """Answers are kept as given (item order; a number, "NA" or null), so a score can always be
    recomputed; the total, band and caseness are stored as scored at the time."""

    __tablename__ = "measure_administrations"
    __table_args__ = (
        Index("ix_measure_administrations_client_taken", "client_id", "taken_on"),
        # Schema 0400: Reports' physical-health figures read a few measures by date.
        Index("ix_measure_administrations_measure_taken", "measure_id", "taken_on"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"), index=True)
    referral_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("referrals.id"), default=None, index=True
    )
    measure_id: Mapped[str] = mapped_column(String(40))
    taken_on: Mapped[date] = mapped_column(Date)
    answers: Mapped[list[Any]] = mapped_column(JSON)
    total: Mapped[float | None] = mapped_column(Float, default=None)
    band: Mapped[str | None] = mapped_column(String(60), default=None)
    caseness: Mapped[bool | None] = mapped_column(Boolean, default=None)
    valid: Mapped[bool] = mapped_column(Boolean, default=True)
    entered_from_paper: Mapped[bool] = mapped_column(Boolean, default=False)
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("practitioners.id"), default=None
    )
