"""The centre's register of enrolled devices (`sync_devices`): enrol, list, revoke.

A device is enrolled from the enrolment file its clinic wrote (`wellbeing sync enrolment`),
after the central team has compared the fingerprint with the one the clinic reads out from
its Sync page. A revoked device stays listed (its earlier merges stay too); its bundles are
refused from then on, and a revoked key is never enrolled again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update

from wellbeing_desktop.storage.models.security import EnrolledDevice
from wellbeing_desktop.storage.types import utcnow
from wellbeing_desktop.sync.crypto import BundleError


class EnrolmentRefused(BundleError):
    """The register was not changed; `str()` says why."""


@dataclass(frozen=True)
class DeviceEntry:
    device_id: str
    label: str
    fingerprint: str
    public_key: str
    enrolled_at: datetime
    enrolled_by: str
    revoked_at: datetime | None
    revoked_reason: str
    audit_seq: int
    audit_hash: str

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def as_dict(self) -> dict[str, Any]:
        return {"device_id": self.device_id, "label": self.label,
                "fingerprint": self.fingerprint, "public_key": self.public_key,
                "enrolled_at": self.enrolled_at.isoformat(), "enrolled_by": self.enrolled_by,
                "revoked": self.revoked,
                "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
                "revoked_reason": self.revoked_reason or None,
                "audit_head": {"seq": self.audit_seq, "hash": self.audit_hash}}


def _entry(row: Any) -> DeviceEntry:
    return DeviceEntry(row.device_id, row.label, row.fingerprint, row.public_key,
                       row.enrolled_at, row.enrolled_by, row.revoked_at, row.revoked_reason,
                       int(row.audit_seq or 0), row.audit_hash or "")


_COLUMNS = (EnrolledDevice.device_id, EnrolledDevice.label, EnrolledDevice.fingerprint,
            EnrolledDevice.public_key, EnrolledDevice.enrolled_at, EnrolledDevice.enrolled_by,
            EnrolledDevice.revoked_at, EnrolledDevice.revoked_reason, EnrolledDevice.audit_seq,
            EnrolledDevice.audit_hash)


def enrol(engine: Engine, doc: dict[str, Any], by: str) -> tuple[DeviceEntry, bool]:
    """Enrol the device an enrolment file (`signing.read_enrolment`) describes. Returns the
    entry and whether it is new (False: the same key was enrolled already)."""
    device_id = doc["device_id"]
    public = doc["public_key"].lower()
    with engine.begin() as conn:
        held = conn.execute(select(*_COLUMNS).where(EnrolledDevice.device_id == device_id)
                            ).first()
        if held is not None:
            if held.revoked_at is not None:
                raise EnrolmentRefused(
                    f"device {device_id} was revoked on {held.revoked_at:%Y-%m-%d} "
                    f"({held.revoked_reason}); a revoked device is not enrolled again")
            if held.public_key != public:
                raise EnrolmentRefused(
                    f"device {device_id} is enrolled already with another key "
                    f"({held.fingerprint}); revoke it first if this computer's key really "
                    "changed")
            return _entry(held), False
        conn.execute(insert(EnrolledDevice).values(
            device_id=device_id, public_key=public, fingerprint=doc["fingerprint"],
            label=doc["label"].strip(), enrolled_at=utcnow(), enrolled_by=by,
            revoked_at=None, revoked_reason="", audit_seq=0, audit_hash="", audit_at=None))
        row = conn.execute(select(*_COLUMNS).where(EnrolledDevice.device_id == device_id)
                           ).one()
    return _entry(row), True


def listing(engine: Engine) -> list[DeviceEntry]:
    with engine.connect() as conn:
        rows = conn.execute(select(*_COLUMNS).order_by(EnrolledDevice.enrolled_at,
                                                       EnrolledDevice.device_id)).all()
    return [_entry(r) for r in rows]


def revoke(engine: Engine, device_id: str, reason: str) -> DeviceEntry:
    """Revoke an enrolled device (its later bundles are refused). Refuses an unknown device
    or one revoked already."""
    with engine.begin() as conn:
        held = conn.execute(select(*_COLUMNS).where(EnrolledDevice.device_id == device_id)
                            ).first()
        if held is None:
            raise EnrolmentRefused(f"device {device_id} is not enrolled")
        if held.revoked_at is not None:
            raise EnrolmentRefused(f"device {device_id} was revoked already, on "
                                   f"{held.revoked_at:%Y-%m-%d}")
        conn.execute(update(EnrolledDevice).where(EnrolledDevice.device_id == device_id)
                     .values(revoked_at=utcnow(), revoked_reason=reason))
        row = conn.execute(select(*_COLUMNS).where(EnrolledDevice.device_id == device_id)
                           ).one()
    return _entry(row)
