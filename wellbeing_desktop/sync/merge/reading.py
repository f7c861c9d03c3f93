"""Reading a verified bundle for the merge: its records decoded and checked, nothing written yet."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from wellbeing_desktop.storage import migrate
from wellbeing_desktop.storage.bulk import paused_gc
from wellbeing_desktop.sync.bundle import (
    DELETED,
    DELETED_ENTITY,
    WITHDRAWALS,
    WITHDRAWALS_ENTITY,
    Bundle,
)
from wellbeing_desktop.sync.crypto import BundleError
from wellbeing_desktop.sync.schema import CLIENTS, Entity, RecordError, entity_map, fast_decoder, forget_ids

Progress = Callable[[int, str], None]


class MergeRejected(BundleError):
    """The bundle was refused; nothing was changed."""


@dataclass
class EntityCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0
    tombstones: int = 0

    def add(self, other: EntityCounts) -> None:
        for name in ("inserted", "updated", "unchanged", "conflicts", "tombstones"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {"inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
                "conflicts": self.conflicts, "tombstones": self.tombstones}


@dataclass(frozen=True)
class MergeResult:
    export_id: str
    device_id: str
    digest: str
    replay: bool
    totals: dict[str, int]
    entities: dict[str, dict[str, int]] = field(default_factory=dict)
    withdrawals: int = 0  # consent-withdrawn notices that restricted (or kept restricting)
    # A replay: what the first merge of this bundle did (`totals` say what this one did:
    # nothing inserted or updated, issue 13).
    first_merge: dict[str, int] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"export_id": self.export_id, "device_id": self.device_id,
               "digest": self.digest,
               "status": "already merged" if self.replay else "merged", **self.totals,
               "withdrawals": self.withdrawals, "entities": self.entities}
        if self.first_merge is not None:
            out["first_merge"] = dict(self.first_merge)
        return out


@dataclass
class Prepared:
    bundle: Bundle
    rows: dict[str, list[dict[str, Any]]]  # live and deleted rows by entity
    # Consent withdrawn: client_id and the key of the client's record when it was noted.
    withdrawals: list[dict[str, Any]] = field(default_factory=list)


NOTICE_FIELDS = ("client_id", "version", "updated_at", "origin_device")


def _notice(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict) or set(raw) != set(NOTICE_FIELDS):
        raise MergeRejected(f"{where}: a withdrawal needs exactly {', '.join(NOTICE_FIELDS)}")
    clients = entity_map()[CLIENTS]
    out: dict[str, Any] = {}
    for name in NOTICE_FIELDS:
        column = "id" if name == "client_id" else name
        decode = clients.decoders[clients.columns.index(column)]
        try:
            out[name] = decode(raw[name])
        except RecordError as err:
            raise MergeRejected(f"{where}: {name}: {err}") from None
        if out[name] is None:
            raise MergeRejected(f"{where}: {name} is missing")
    return out


def prepare(bundle: Bundle) -> Prepared:
    """Check the bundle fits this schema and decode every record; raises MergeRejected."""
    with paused_gc():
        try:
            return _prepare(bundle)
        finally:
            forget_ids()


def _prepare(bundle: Bundle) -> Prepared:
    manifest = bundle.manifest
    if manifest["schema_revision"] != migrate.HEAD:
        raise MergeRejected(
            f"the bundle was made with schema {manifest['schema_revision']} but these central "
            f"records use schema {migrate.HEAD}: update Wellbeing Desktop so both match")
    try:
        uuid.UUID(manifest["export_id"])
    except ValueError:
        raise MergeRejected("the bundle's export id is not valid") from None
    known = entity_map()
    rows: dict[str, list[dict[str, Any]]] = {}
    seen: dict[str, set[int]] = {}  # ids by number: an int hashes in C, a UUID in Python

    def take(entity: Entity, raw: Any, where: str, deleted: bool) -> None:
        try:
            row = fast_decoder(entity)(raw)
        except RecordError as err:
            raise MergeRejected(f"{where}: {err}") from None
        if (row["deleted_at"] is not None) != deleted:
            raise MergeRejected(f"{where}: deleted records belong in {DELETED}, others in "
                                f"{entity.name}.ndjson")
        ids = seen.setdefault(entity.name, set())
        number = row["id"].int
        if number in ids:
            raise MergeRejected(f"{where}: record {row['id']} appears twice")
        ids.add(number)
        rows.setdefault(entity.name, []).append(row)

    for member in manifest["members"]:
        name, entity_name = member["name"], member["entity"]
        if entity_name == DELETED_ENTITY:
            if name != DELETED:
                raise MergeRejected(f"{name}: unexpected member for deletions")
            continue
        if entity_name == WITHDRAWALS_ENTITY:
            if name != WITHDRAWALS:
                raise MergeRejected(f"{name}: unexpected member for withdrawals")
            continue
        entity = known.get(entity_name)
        if entity is None or name != f"{entity_name}.ndjson":
            raise MergeRejected(f"{name}: this central database has no table {entity_name!r}")
        # `take`, unrolled for the live rows (nearly all of a bundle): the decoder, the id set
        # and the list looked up once per member, and "where" only spelled out for an error.
        decode = fast_decoder(entity)
        ids = seen.setdefault(entity_name, set())
        out = rows.setdefault(entity_name, [])
        for number, line in enumerate(bundle.lines(name), 1):
            try:
                row = decode(orjson.loads(line))
            except orjson.JSONDecodeError:
                raise MergeRejected(f"{name} line {number}: not valid JSON") from None
            except RecordError as err:
                raise MergeRejected(f"{name} line {number}: {err}") from None
            if row["deleted_at"] is not None:
                raise MergeRejected(f"{name} line {number}: deleted records belong in "
                                    f"{DELETED}, others in {entity_name}.ndjson")
            key = row["id"].int
            if key in ids:
                raise MergeRejected(f"{name} line {number}: record {row['id']} appears twice")
            ids.add(key)
            out.append(row)
    if DELETED in bundle.members:
        for number, line in enumerate(bundle.lines(DELETED), 1):
            where = f"{DELETED} line {number}"
            stone = _loads(line, where)
            if not isinstance(stone, dict) or set(stone) != {"entity", "record"}:
                raise MergeRejected(f"{where}: a deletion needs an entity and a record")
            entity = known.get(stone["entity"]) if isinstance(stone["entity"], str) else None
            if entity is None:
                raise MergeRejected(f"{where}: this central database has no table "
                                    f"{stone['entity']!r}")
            take(entity, stone["record"], where, True)
    notices: list[dict[str, Any]] = []
    if WITHDRAWALS in bundle.members:
        for number, line in enumerate(bundle.lines(WITHDRAWALS), 1):
            where = f"{WITHDRAWALS} line {number}"
            notices.append(_notice(_loads(line, where), where))
    # A member with no lines names no table, as before the unrolled loop.
    return Prepared(bundle, {name: found for name, found in rows.items() if found}, notices)


def _loads(line: bytes, where: str) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        raise MergeRejected(f"{where}: not valid JSON") from None


Key = tuple[int, Any, str]


def _key(row: dict[str, Any]) -> Key:
    return (row["version"], row["updated_at"], row["origin_device"])
