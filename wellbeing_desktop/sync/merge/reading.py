"""Reading a verified bundle for the merge: its records decoded and checked, nothing written yet."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
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
from wellbeing_desktop.sync.schema import (
    CLIENTS,
    Entity,
    RecordError,
    decode_row,
    entity_map,
    fast_decoder,
    forget_ids,
)

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


class Table:
    """One table's records in a bundle: its live member's lines and its tombstones, checked and
    decoded only when the merge reaches the table. Decoding (about a third of a merge) can then
    run while the server works: row by row inside a `COPY` of new records (`stream`), or while
    the server updates the table before (`rows`). A bad record refuses the bundle with its place
    (member and line, and field) whichever is used, and the merge's one transaction rolls back."""

    def __init__(self, entity: Entity, bundle: Bundle, member: str | None, count: int) -> None:
        self.entity = entity
        self.bundle = bundle
        self.member = member  # "<table>.ndjson", or None when the bundle only deletes
        self.count = count  # the member's lines (`read_bundle` checked the manifest's count)
        self.tombstones: list[tuple[str, dict[str, Any]]] = []  # (place, decoded record)
        self._rows: list[dict[str, Any]] | None = None

    def __len__(self) -> int:
        return len(self._rows) if self._rows is not None else (
            self.count + len(self.tombstones))

    @property
    def decoded(self) -> bool:
        return self._rows is not None

    def rows(self) -> list[dict[str, Any]]:
        """Every record, decoded and checked (kept: later calls return the same list)."""
        if self._rows is None:
            self._rows = list(self.stream())
        return self._rows

    def keep(self, rows: list[dict[str, Any]]) -> None:
        """Replace the decoded records (the origin check drops stale history)."""
        self._rows = rows

    def stream(self) -> Iterator[dict[str, Any]]:
        """Each record decoded and checked as it is taken: the live member's lines in order,
        then the table's tombstones; raises MergeRejected naming the line at fault."""
        if self._rows is not None:
            yield from self._rows
            return
        name, entity_name = self.member, self.entity.name
        decode = fast_decoder(self.entity)
        ids: set[int] = set()  # ids by number: an int hashes in C, a UUID in Python
        add = ids.add
        lines = self.bundle.lines(name) if name is not None else []
        for number, line in enumerate(lines, 1):
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
            add(key)
            yield row
        for where, row in self.tombstones:
            key = row["id"].int
            if key in ids:
                raise MergeRejected(f"{where}: record {row['id']} appears twice")
            add(key)
            yield row


@dataclass
class Prepared:
    bundle: Bundle
    tables: dict[str, Table]  # by entity, each holding at least one record
    # Consent withdrawn: client_id and the key of the client's record when it was noted.
    withdrawals: list[dict[str, Any]] = field(default_factory=list)

    def every_row(self) -> dict[str, list[dict[str, Any]]]:
        """Every table's records decoded (tests and the bench's floor; the merge decodes
        each table when it reaches it)."""
        try:
            with paused_gc():
                return {name: table.rows() for name, table in self.tables.items()}
        finally:
            forget_ids()


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
    """Check the bundle fits this schema: its members, tombstones and withdrawal notices.
    Raises MergeRejected. Each table's own records are checked and decoded by the merge when
    it reaches the table (`Table`), inside its transaction."""
    with paused_gc():
        return _prepare(bundle)


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
    tables: dict[str, Table] = {}
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
        tables[entity_name] = Table(entity, bundle, name, member["count"])
    if DELETED in bundle.members:
        # Tombstones are few; decoded here, each kept with its place. Their ids are checked
        # against each other here and against the live records when the table is decoded.
        seen: dict[str, set[int]] = {}
        for number, line in enumerate(bundle.lines(DELETED), 1):
            where = f"{DELETED} line {number}"
            stone = _loads(line, where)
            if not isinstance(stone, dict) or set(stone) != {"entity", "record"}:
                raise MergeRejected(f"{where}: a deletion needs an entity and a record")
            entity = known.get(stone["entity"]) if isinstance(stone["entity"], str) else None
            if entity is None:
                raise MergeRejected(f"{where}: this central database has no table "
                                    f"{stone['entity']!r}")
            try:
                row = decode_row(entity, stone["record"])
            except RecordError as err:
                raise MergeRejected(f"{where}: {err}") from None
            if row["deleted_at"] is None:
                raise MergeRejected(f"{where}: deleted records belong in {DELETED}, others in "
                                    f"{entity.name}.ndjson")
            ids = seen.setdefault(entity.name, set())
            if row["id"].int in ids:
                raise MergeRejected(f"{where}: record {row['id']} appears twice")
            ids.add(row["id"].int)
            table = tables.get(entity.name)
            if table is None:
                table = tables[entity.name] = Table(entity, bundle, None, 0)
            table.tombstones.append((where, row))
    notices: list[dict[str, Any]] = []
    if WITHDRAWALS in bundle.members:
        for number, line in enumerate(bundle.lines(WITHDRAWALS), 1):
            where = f"{WITHDRAWALS} line {number}"
            notices.append(_notice(_loads(line, where), where))
    # A member with no lines names no table.
    return Prepared(bundle, {name: t for name, t in tables.items() if len(t)}, notices)


def _loads(line: bytes, where: str) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        raise MergeRejected(f"{where}: not valid JSON") from None


Key = tuple[int, Any, str]


def _key(row: dict[str, Any]) -> Key:
    return (row["version"], row["updated_at"], row["origin_device"])
