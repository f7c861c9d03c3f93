"""The device itself and the people who use it."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing_desktop.storage.models.base import Base, SyncedMixin


class DeviceState(Base):
    """One row: this device's id and its change-sequence counter (never leaves the device)."""

    __tablename__ = "device_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class Practitioner(SyncedMixin, Base):
    """A person who uses the app.

    Sign-in secrets are not kept here: the database is encrypted, and the key that opens it is
    wrapped per account in the keyring file beside it (see `storage.keyring`). `username` links
    the two.
    """

    __tablename__ = "practitioners"

    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), default="practitioner")
    job_title: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    username: Mapped[str | None] = mapped_column(String(60), default=None, unique=True)
