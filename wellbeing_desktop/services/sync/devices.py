"""Device identity and enrolment: this installation's signing key and the enrolment file on
the desktop; enrolling, listing and revoking devices for the central records team."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, FieldProblem, ValidationError
from wellbeing_desktop.services.sync.history import SyncError
from wellbeing_desktop.storage import identity
from wellbeing_desktop.storage.files import SHARED, atomic_write
from wellbeing_desktop.storage.identity import SigningIdentity
from wellbeing_desktop.storage.types import utcnow
from wellbeing_desktop.sync import central, enrolled, signing
from wellbeing_desktop.sync.crypto import BundleError
from wellbeing_desktop.sync.enrolled import DeviceEntry


def device_identity(ctx: AppContext) -> SigningIdentity:
    """This installation's signing identity (made on first use: an install set up before
    0.2, or a store restored from another installation's folder)."""
    return identity.load_or_create(ctx.data_dir, ctx.store.device_id, ctx.store.key)


@dataclass(frozen=True)
class DeviceSummary:
    device_id: str
    label: str
    fingerprint: str
    public_key: str


def default_label(ctx: AppContext) -> str:
    service = str(ctx.settings.get("service_name") or "").strip()
    host = socket.gethostname().split(".")[0]
    return f"{service} ({host})" if service else host


def this_device(ctx: AppContext) -> DeviceSummary:
    """What the Sync page shows: the device id, label and fingerprint the centre will see."""
    found = device_identity(ctx)
    return DeviceSummary(found.device_id, default_label(ctx), found.fingerprint,
                         found.public_hex)


@dataclass(frozen=True)
class EnrolmentWritten:
    path: Path
    device: DeviceSummary
    changed: Changed

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "device_id": self.device.device_id,
                "label": self.device.label, "fingerprint": self.device.fingerprint,
                "public_key": self.device.public_key}


def write_enrolment(ctx: AppContext, out: Path | str, *, label: str | None = None
                    ) -> EnrolmentWritten:
    """Write the enrolment file the central team enrols this device from. It holds only the
    public key (nothing secret, 0644 like the centre's public key)."""
    permissions.require(ctx.actor, "sync.export")
    target = Path(out)
    if target.is_dir():
        raise ValidationError([FieldProblem("out", f"{target} is a folder; give a file name.")])
    if not target.parent.is_dir():
        raise ValidationError([FieldProblem("out", f"The folder {target.parent} does not "
                                                   "exist.")])
    chosen = (label if label is not None else default_label(ctx)).strip()
    if len(chosen) > 200:
        raise ValidationError([FieldProblem("label", "Use 200 characters or fewer.")])
    summary = this_device(ctx)
    summary = DeviceSummary(summary.device_id, chosen, summary.fingerprint, summary.public_key)
    doc = signing.enrolment_document(summary.device_id, chosen, summary.public_key,
                                     utcnow().isoformat())
    atomic_write(target, orjson.dumps(doc, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
                 + b"\n", mode=SHARED)
    with ctx.store.session() as s:
        audit.record(s, ctx.actor, "sync.enrolment", detail=summary.fingerprint)
    return EnrolmentWritten(target, summary, Changed.of("sync"))


# ---------------------------------------------------------------- the central records team

def _open(db_url: str) -> Any:
    try:
        return central.open_central(db_url)
    except BundleError as exc:
        raise SyncError(str(exc)) from None


def central_enrol(path: Path | str, db_url: str, *, by: str,
                  replaces: str | None = None) -> tuple[DeviceEntry, bool]:
    """Enrol the device described by an enrolment file, as the successor of the enrolled
    device `replaces` if given (a replacement computer started from its backup; that device
    is revoked). Returns its entry and whether anything changed (False: enrolled already with
    the same key and predecessor)."""
    try:
        doc = signing.read_enrolment(Path(path))
    except BundleError as exc:
        raise ValidationError([FieldProblem("file", str(exc))]) from None
    engine = _open(db_url)
    try:
        return enrolled.enrol(engine, doc, by, replaces=replaces.strip() if replaces else None)
    except enrolled.EnrolmentRefused as exc:
        field = "replaces" if replaces and "replace" in str(exc) else "file"
        raise ValidationError([FieldProblem(field, str(exc))]) from None
    finally:
        engine.dispose()


def central_devices(db_url: str) -> list[DeviceEntry]:
    engine = _open(db_url)
    try:
        return enrolled.listing(engine)
    finally:
        engine.dispose()


def central_revoke(db_url: str, device_id: str, reason: str) -> DeviceEntry:
    if not reason.strip():
        raise ValidationError([FieldProblem("reason", "Say why the device is revoked.")])
    engine = _open(db_url)
    try:
        return enrolled.revoke(engine, device_id.strip(), reason.strip())
    except enrolled.EnrolmentRefused as exc:
        raise ValidationError([FieldProblem("device", str(exc))]) from None
    finally:
        engine.dispose()
