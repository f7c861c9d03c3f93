"""Whether the centre takes a bundle at all: checks 1, 2 and 4 are made before any record is
read, check 3 on each table before any of its records is written.

In the merge's own transaction, so a refusal (MergeRejected) changes nothing, and the held
audit head moves only with a merge that commits:
  1. the device is enrolled and not revoked;
  2. the bundle carries that device's signature over its manifest (which lists every
     member's SHA-256): a bundle sealed with only the centre's public key is refused;
  3. every record is this device's (`origin_device`), or a device's it was enrolled to
     replace (a replacement computer started from the old one's backup:
     `enrolled.enrol(replaces=...)`), or is history the centre holds already (a store
     restored from another installation's backup): a record claiming another device that
     would insert or update anything refuses the bundle;
  4. the device's audit-chain head (`audit_head`) is not behind, nor different at the same
     event, from the newest the centre holds for it: a later bundle with an earlier head
     means events were removed; a different hash at the same event means a rewrite.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from wellbeing_desktop.storage.models.security import EnrolledDevice
from wellbeing_desktop.sync.enrolled import lineage
from wellbeing_desktop.sync.merge.reading import MergeRejected, Prepared, _key
from wellbeing_desktop.sync.merge.rows import _chunks, _in
from wellbeing_desktop.sync.schema import Entity
from wellbeing_desktop.sync.signing import signature_problem


def admit(conn: Connection, prepared: Prepared) -> set[str]:
    """Checks 1, 2 and 4; returns the devices whose records this bundle may carry (check 3,
    made on each table as the merge reaches it: `check_origins`, `foreign_record`)."""
    bundle = prepared.bundle
    device = bundle.device_id
    held = conn.execute(select(
        EnrolledDevice.public_key, EnrolledDevice.label, EnrolledDevice.revoked_at,
        EnrolledDevice.revoked_reason, EnrolledDevice.audit_seq, EnrolledDevice.audit_hash,
        EnrolledDevice.audit_at).where(EnrolledDevice.device_id == device).with_for_update()
    ).first()
    if held is None:
        raise MergeRejected(f"device {device} is not enrolled: the centre merges bundles only "
                            "from enrolled devices (wellbeing central enrol)")
    name = f"device {device}" + (f" ({held.label})" if held.label else "")
    if held.revoked_at is not None:
        raise MergeRejected(f"{name} was revoked on {held.revoked_at:%Y-%m-%d}: "
                            f"{held.revoked_reason}")
    problem = signature_problem(bundle.signature, bundle.manifest_body, device, held.public_key)
    if problem:
        raise MergeRejected(f"{problem}; refused")
    _check_head(conn, bundle.manifest, device, held)
    return {device, *lineage(conn, device)}


def check_origins(conn: Connection, entity: Entity, rows: list[dict[str, Any]], device: str,
                  own: set[str]) -> list[dict[str, Any]]:
    """Records written on another device may travel in a bundle only as history (a store
    restored from, or copied from, another installation): a version the centre already holds
    is kept (it changes nothing), one older than the centre's is dropped (it would change
    nothing either, and is not this device's to report as a conflict); one that would insert
    or update a record refuses the whole bundle. Returns the rows to merge. Made on each table
    before anything of it is written, in the merge's transaction: a refusal in a later table
    rolls the earlier tables back."""
    foreign = {r["id"]: r for r in rows if r["origin_device"] not in own}
    if not foreign:
        return rows
    t = entity.table
    held: dict[Any, Any] = {}
    for part in _chunks(list(foreign)):
        for rid, version, updated_at, origin in conn.execute(
                select(t.c.id, t.c.version, t.c.updated_at, t.c.origin_device)
                .where(_in(conn, t.c.id, part))):
            held[rid] = (version, updated_at, origin)
    stale = set()
    for rid, row in foreign.items():
        current = held.get(rid)
        if current is None or current < _key(row):
            raise foreign_record(entity, row, device)
        if current != _key(row):
            stale.add(rid)
    return [r for r in rows if r["id"] not in stale] if stale else rows


def foreign_record(entity: Entity, row: dict[str, Any], device: str) -> MergeRejected:
    """The refusal of a record claiming another device that would insert or update."""
    return MergeRejected(
        f"{entity.name} record {row['id']} claims to come from device {row['origin_device']}, "
        f"not from {device} which sent the bundle, and is newer than what the centre holds; "
        "refused (if this computer replaced that one from its backup, enrol it with --replaces)")


def _when(text: Any) -> datetime | None:
    try:
        when = datetime.fromisoformat(str(text))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _check_head(conn: Connection, manifest: dict[str, Any], device: str, held: Any) -> None:
    head = manifest.get("audit_head")
    if not isinstance(head, dict) or not isinstance(head.get("seq"), int) or isinstance(
            head.get("seq"), bool) or head["seq"] < 0 or not isinstance(head.get("hash"), str):
        raise MergeRejected("the bundle's manifest has no valid audit_head; refused")
    seq, digest = int(head["seq"]), str(head["hash"])
    made = _when(manifest["created_at"])
    if made is None:
        raise MergeRejected("the bundle's manifest has no valid created_at; refused")
    held_seq, held_hash, held_at = int(held.audit_seq or 0), held.audit_hash or "", held.audit_at
    if held_hash and seq == held_seq and digest != held_hash:
        raise MergeRejected(
            f"device {device}'s audit log disagrees with what the centre holds: event {seq} "
            "has a different hash than in an earlier bundle, so the log was rewritten; refused")
    if held_hash and seq < held_seq and held_at is not None and made > held_at:
        raise MergeRejected(
            f"device {device}'s audit log went backwards: this bundle (made "
            f"{made:%Y-%m-%d %H:%M}) ends at event {seq}, but an earlier one ended at event {held_seq}, so "
            "events were removed; refused")
    if seq > held_seq or not held_hash:
        conn.execute(update(EnrolledDevice).where(EnrolledDevice.device_id == device)
                     .values(audit_seq=seq, audit_hash=digest, audit_at=made))
