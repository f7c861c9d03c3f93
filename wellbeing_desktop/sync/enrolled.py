"""The centre's register of enrolled devices (`sync_devices`): enrol, list, revoke.

A device is enrolled from the enrolment file its clinic wrote (`wellbeing sync enrolment`),
after the central team has compared the fingerprint with the one the clinic reads out from
its Sync page. A revoked device stays listed (its earlier merges stay too); its bundles are
refused from then on, and a revoked key is never enrolled again.

A replacement computer that started from an old one's backup is enrolled as its successor
(`replaces`): the old device is revoked (if it was not already), and the records the old one
made travel in the new one's bundles as its history (`merge.admission`). Without that, those
records claim another device and the bundle is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

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
    replaces: str | None = None

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
                "replaces": self.replaces,
                "audit_head": {"seq": self.audit_seq, "hash": self.audit_hash}}


def _entry(row: Any) -> DeviceEntry:
    return DeviceEntry(row.device_id, row.label, row.fingerprint, row.public_key,
                       row.enrolled_at, row.enrolled_by, row.revoked_at, row.revoked_reason,
                       int(row.audit_seq or 0), row.audit_hash or "", row.replaces)


_COLUMNS = (EnrolledDevice.device_id, EnrolledDevice.label, EnrolledDevice.fingerprint,
            EnrolledDevice.public_key, EnrolledDevice.enrolled_at, EnrolledDevice.enrolled_by,
            EnrolledDevice.revoked_at, EnrolledDevice.revoked_reason, EnrolledDevice.audit_seq,
            EnrolledDevice.audit_hash, EnrolledDevice.replaces)


def enrol(engine: Engine, doc: dict[str, Any], by: str,
          replaces: str | None = None) -> tuple[DeviceEntry, bool]:
    """Enrol the device an enrolment file (`signing.read_enrolment`) describes, as the
    successor of `replaces` if given (that device is revoked). Returns the entry and whether
    it changed (False: the same key was enrolled already, with the same predecessor)."""
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
            if replaces is None or held.replaces == replaces:
                return _entry(held), False
            _take_over(conn, device_id, replaces, held)
            conn.execute(update(EnrolledDevice).where(EnrolledDevice.device_id == device_id)
                         .values(replaces=replaces))
        else:
            if replaces is not None:
                _take_over(conn, device_id, replaces, None)
            conn.execute(insert(EnrolledDevice).values(
                device_id=device_id, public_key=public, fingerprint=doc["fingerprint"],
                label=doc["label"].strip(), enrolled_at=utcnow(), enrolled_by=by,
                revoked_at=None, revoked_reason="", audit_seq=0, audit_hash="", audit_at=None,
                replaces=replaces))
        row = conn.execute(select(*_COLUMNS).where(EnrolledDevice.device_id == device_id)
                           ).one()
    return _entry(row), True


def _take_over(conn: Connection, device_id: str, replaces: str, held: Any) -> None:
    """Checks for `enrol(..., replaces=...)`, and the old device revoked."""
    if replaces == device_id:
        raise EnrolmentRefused(f"device {device_id} cannot replace itself")
    if held is not None and held.replaces not in (None, replaces):
        raise EnrolmentRefused(f"device {device_id} already replaces device {held.replaces}")
    old = conn.execute(select(*_COLUMNS).where(EnrolledDevice.device_id == replaces)).first()
    if old is None:
        raise EnrolmentRefused(f"device {replaces} is not enrolled, so nothing can replace it")
    if device_id in lineage(conn, replaces):
        raise EnrolmentRefused(f"device {replaces} took over from device {device_id}; it "
                               "cannot be replaced by it")
    taken = conn.execute(select(EnrolledDevice.device_id).where(
        EnrolledDevice.replaces == replaces, EnrolledDevice.device_id != device_id)).first()
    if taken is not None:
        raise EnrolmentRefused(f"device {replaces} was replaced already, by device "
                               f"{taken.device_id}")
    if old.revoked_at is None:
        conn.execute(update(EnrolledDevice).where(EnrolledDevice.device_id == replaces)
                     .values(revoked_at=utcnow(),
                             revoked_reason=f"replaced by device {device_id}"))


def lineage(conn: Connection, device_id: str) -> list[str]:
    """The devices `device_id` took over from, nearest first (a chain of replacements)."""
    out: list[str] = []
    current: str | None = device_id
    while current is not None:
        current = conn.execute(select(EnrolledDevice.replaces).where(
            EnrolledDevice.device_id == current)).scalar()
        if current is None or current in out or current == device_id:
            break
        out.append(current)
    return out


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
