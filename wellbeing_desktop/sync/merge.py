"""The central merge: verified bundles into the central records (SQLite or PostgreSQL).

Per bundle, in one transaction: a replay of a merged bundle changes nothing; the same export
id with other content is refused. For each record the higher `(version, updated_at,
origin_device)` wins, so the result does not depend on the order bundles arrive in.

A losing version is kept in `sync_conflicts` when it was written on another device than the
winner, says something different, and is not the record's first version. Version 1 is where
a record was made, so every later version on any device descends from it and losing it loses
nothing; a later version that loses to another device's was a concurrent edit. The rule looks
only at the two versions, so it records the same conflicts whichever bundle comes first.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    Engine,
    any_,
    bindparam,
    delete,
    exc,
    func,
    insert,
    select,
    update,
)

from wellbeing_desktop.storage import migrate
from wellbeing_desktop.storage.models.sync import Conflict, IdAlias, MergeLog, Restriction
from wellbeing_desktop.storage.types import utcnow
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
    encode_default,
    entity_map,
    fast_decoder,
)

Progress = Callable[[int, str], None]
CHUNK = 5000
COPY_TYPES = ("Uuid", "UTCDateTime", "DateTime", "Date", "Integer", "BigInteger", "SmallInteger",
              "String", "Text", "Boolean", "Float", "Unicode", "UnicodeText", "JSON")


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

    def as_dict(self) -> dict[str, Any]:
        return {"export_id": self.export_id, "device_id": self.device_id, "digest": self.digest,
                "status": "already merged" if self.replay else "merged", **self.totals,
                "withdrawals": self.withdrawals, "entities": self.entities}


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
    seen: dict[str, set[uuid.UUID]] = {}

    def take(entity: Entity, raw: Any, where: str, deleted: bool) -> None:
        try:
            row = fast_decoder(entity)(raw)
        except RecordError as err:
            raise MergeRejected(f"{where}: {err}") from None
        if (row["deleted_at"] is not None) != deleted:
            raise MergeRejected(f"{where}: deleted records belong in {DELETED}, others in "
                                f"{entity.name}.ndjson")
        ids = seen.setdefault(entity.name, set())
        if row["id"] in ids:
            raise MergeRejected(f"{where}: record {row['id']} appears twice")
        ids.add(row["id"])
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
        for number, line in enumerate(bundle.lines(name), 1):
            take(entity, _loads(line, f"{name} line {number}"), f"{name} line {number}", False)
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
    return Prepared(bundle, rows, notices)


def _loads(line: bytes, where: str) -> Any:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        raise MergeRejected(f"{where}: not valid JSON") from None


Key = tuple[int, Any, str]


def _key(row: dict[str, Any]) -> Key:
    return (row["version"], row["updated_at"], row["origin_device"])


def merge(engine: Engine, prepared: Prepared, *, progress: Progress | None = None) -> MergeResult:
    """Merge one prepared bundle in one transaction. Raises MergeRejected (nothing changed)."""
    bundle = prepared.bundle
    manifest = bundle.manifest
    export_id = uuid.UUID(manifest["export_id"])
    try:
        with engine.begin() as conn:
            seen = conn.execute(select(
                MergeLog.digest, MergeLog.device_id, MergeLog.inserted, MergeLog.updated,
                MergeLog.unchanged, MergeLog.conflicts, MergeLog.tombstones).where(
                MergeLog.export_id == export_id)).first()
            if seen is not None:
                if seen.digest != bundle.digest:
                    raise MergeRejected(
                        f"export {export_id} was merged before with different content: this "
                        "bundle was altered or replaced, and is refused")
                # Nothing changes; the counts are those of the first merge (for the new ack).
                return MergeResult(str(export_id), seen.device_id, seen.digest, True, {
                    "inserted": seen.inserted, "updated": seen.updated,
                    "unchanged": seen.unchanged, "conflicts": seen.conflicts,
                    "tombstones": seen.tombstones})
            mode = conn.execute(select(MergeLog.pseudonymised).limit(1)).scalar()
            if mode is not None and bool(mode) != manifest["pseudonymised"]:
                raise MergeRejected(
                    "this database holds identifiable records; a pseudonymised bundle belongs in "
                    "a reporting database" if not mode else
                    "this is a pseudonymised reporting database; merge identifiable bundles into "
                    "the central records instead")
            totals = EntityCounts()
            per: dict[str, dict[str, int]] = {}
            names = [e for e in entity_map().values() if e.name in prepared.rows]
            # Parents before children (metadata order).
            order = {e.name: i for i, e in enumerate(entity_map().values())}
            names.sort(key=lambda e: order[e.name])
            for number, entity in enumerate(names):
                if progress:
                    progress(int(100 * number / max(1, len(names))),
                             f"Merging {entity.name.replace('_', ' ')}…")
                counts = _merge_entity(conn, entity, prepared.rows[entity.name], export_id)
                totals.add(counts)
                per[entity.name] = counts.as_dict()
            noted = _note_withdrawals(conn, prepared.withdrawals, bundle.device_id, export_id)
            conn.execute(insert(MergeLog).values(
                export_id=export_id, digest=bundle.digest, device_id=bundle.device_id,
                practitioner_id=manifest["practitioner_id"], merged_at=utcnow(),
                since_seq=manifest["since_seq"], until_seq=manifest["until_seq"],
                pseudonymised=manifest["pseudonymised"], **totals.as_dict()))
            if progress:
                progress(100, "Merged")
    except Exception as err:
        dbapi = engine.dialect.dbapi
        integrity = isinstance(err, exc.IntegrityError) or (
            dbapi is not None and isinstance(err, dbapi.IntegrityError))
        if not integrity:
            raise
        raise MergeRejected(
            "the bundle refers to records these central records do not hold yet (or was being "
            "merged at the same time): merge the device's earlier bundles first; nothing was "
            f"changed ({_constraint(err)})") from None
    return MergeResult(str(export_id), bundle.device_id, bundle.digest, False,
                       totals.as_dict(), per, noted)


def _constraint(err: Exception) -> str:
    text = str(getattr(err, "orig", None) or err).strip().splitlines()
    return (text[0] if text else "integrity")[:160]


def _in(conn: Connection, column: Any, ids: list[uuid.UUID]) -> Any:
    if conn.dialect.name == "postgresql":
        return column == any_(bindparam("ids", ids, type_=_uuid_array()))
    return column.in_(ids)


def _uuid_array() -> Any:
    from sqlalchemy import ARRAY, Uuid

    return ARRAY(Uuid())


def _chunks(items: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _merge_entity(conn: Connection, entity: Entity, rows: list[dict[str, Any]],
                  export_id: uuid.UUID) -> EntityCounts:
    counts = EntityCounts()
    if entity.natural_keys:
        _use_aliases(conn, entity, rows, [("id", entity.name)])
    existing = _existing(conn, entity, [r["id"] for r in rows])
    if entity.natural_keys:
        _adopt_by_natural_key(conn, entity, [r for r in rows if r["id"] not in existing])
        existing = _existing(conn, entity, [r["id"] for r in rows])
    if entity.aliased_refs:
        _use_aliases(conn, entity, rows, list(entity.aliased_refs))
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    losers: list[dict[str, Any]] = []  # incoming versions from another device that lost
    replaced: dict[uuid.UUID, Key] = {}  # stored versions an incoming one beat
    for row in rows:
        current = existing.get(row["id"])
        deleted = row["deleted_at"] is not None
        if current is None:
            inserts.append(row)
            counts.inserted += 1
            counts.tombstones += deleted
            continue
        incoming = _key(row)
        if incoming == current:
            counts.unchanged += 1
            continue
        if incoming > current:
            updates.append(row)
            replaced[row["id"]] = current
            counts.updated += 1
            counts.tombstones += deleted
        else:
            counts.unchanged += 1
            if current[2] != row["origin_device"] and row["version"] >= 2:
                losers.append(row)
    if updates or losers:
        counts.conflicts = _reconcile(conn, entity, updates, replaced, losers, export_id)
    if inserts:
        _insert(conn, entity, inserts)
    if updates:
        _update(conn, entity, updates)
    return counts


def _existing(conn: Connection, entity: Entity, ids: list[uuid.UUID]) -> dict[uuid.UUID, Key]:
    t = entity.table
    found: dict[uuid.UUID, Key] = {}
    if len(ids) > CHUNK and conn.execute(select(t.c.id).limit(1)).first() is None:
        return found  # an empty table (a first, bulk merge): nothing to look up
    for part in _chunks(ids):
        stmt = select(t.c.id, t.c.version, t.c.updated_at, t.c.origin_device).where(
            _in(conn, t.c.id, part))
        for rid, version, updated_at, origin in conn.execute(stmt):
            found[rid] = (version, updated_at, origin)
    return found


def _use_aliases(conn: Connection, entity: Entity, rows: list[dict[str, Any]],
                 columns: list[tuple[str, str]]) -> None:
    """Replace device ids the centre knows under another id (see `IdAlias`)."""
    for column, _table in columns:
        values = list({r[column] for r in rows if r[column] is not None})
        aliases: dict[uuid.UUID, uuid.UUID] = {}
        for part in _chunks(values):
            aliases.update(conn.execute(select(IdAlias.local_id, IdAlias.central_id).where(
                _in(conn, IdAlias.local_id, part))).all())
        if aliases:
            for row in rows:
                if row[column] in aliases:
                    row[column] = aliases[row[column]]


def _adopt_by_natural_key(conn: Connection, entity: Entity, rows: list[dict[str, Any]]) -> None:
    """A new id whose natural key the centre already holds is the same record: alias it."""
    t = entity.table
    new_aliases: list[dict[str, Any]] = []
    for key in entity.natural_keys:
        wanted = {r[key]: r for r in rows if r[key] is not None}
        for part in _chunks(list(wanted)):
            for central_id, value in conn.execute(select(t.c.id, t.c[key]).where(
                    t.c[key].in_(part))):
                row = wanted[value]
                if row["id"] != central_id:
                    new_aliases.append({"local_id": row["id"], "entity": entity.name,
                                        "central_id": central_id})
                    row["id"] = central_id
    if new_aliases:
        conn.execute(insert(IdAlias), new_aliases)


def _hash(entity: Entity, row: dict[str, Any]) -> str:
    body = orjson.dumps([row[name] for name in entity.content], default=encode_default,
                        option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(body).hexdigest()


def _reconcile(conn: Connection, entity: Entity, winners: list[dict[str, Any]],
               replaced: dict[uuid.UUID, Key], losers: list[dict[str, Any]],
               export_id: uuid.UUID) -> int:
    """Keep each record's losing device heads (see `Conflict`); returns new open conflicts."""
    t = entity.table
    c = Conflict.__table__.c
    ids = [r["id"] for r in winners] + [r["id"] for r in losers]
    heads: dict[uuid.UUID, dict[str, dict[str, Any]]] = {}
    for part in _chunks(ids):
        query = select(c.id, c.record_id, c.lost_device, c.lost_version, c.content_hash,
                       c.same_as_kept, c.kept_version, c.kept_device, c.resolved).where(
            c.entity == entity.name, _in(conn, c.record_id, part))
        for found in conn.execute(query).mappings():
            heads.setdefault(found["record_id"], {})[found["lost_device"]] = dict(found)
    # Stored rows we need whole: a winner of another device that now loses (it becomes a
    # head), and the stored winner an incoming version lost to (for its content).
    wanted = [r["id"] for r in losers] + [
        r["id"] for r in winners
        if replaced[r["id"]][2] != r["origin_device"] and replaced[r["id"]][0] >= 2]
    stored: dict[uuid.UUID, dict[str, Any]] = {}
    for part in _chunks(wanted):
        for values in conn.execute(select(t).where(_in(conn, t.c.id, part))):
            found_row = dict(zip(entity.columns, values, strict=True))
            stored[found_row["id"]] = found_row
    now = utcnow()
    new_rows: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    gone: list[int] = []
    opened = 0

    def head_of(loser: dict[str, Any], winner: dict[str, Any], winner_hash: str) -> dict[str, Any]:
        digest = _hash(entity, loser)
        return {
            "entity": entity.name, "record_id": loser["id"],
            "client_id": loser.get("client_id") if entity.has_client else (
                loser["id"] if entity.name == CLIENTS else None),
            "detected_at": now, "export_id": export_id,
            "lost_version": loser["version"], "lost_device": loser["origin_device"],
            "lost_updated_at": loser["updated_at"], "lost_deleted": loser["deleted_at"] is not None,
            "kept_version": winner["version"], "kept_device": winner["origin_device"],
            "content": orjson.dumps(loser, default=encode_default,
                                    option=orjson.OPT_SORT_KEYS).decode("utf-8"),
            "content_hash": digest, "same_as_kept": digest == winner_hash, "resolved": False,
            "resolved_at": None, "resolved_by": "", "resolved_keep": "", "resolved_reason": "",
        }

    def offer(rid: uuid.UUID, loser: dict[str, Any], winner: dict[str, Any], winner_hash: str,
              record_heads: dict[str, dict[str, Any]]) -> None:
        nonlocal opened
        old = record_heads.get(loser["origin_device"])
        if old is not None and old["lost_version"] >= loser["version"]:
            return
        head = head_of(loser, winner, winner_hash)
        if old is None:
            new_rows.append(head)
        else:
            changed.append({"b_id": old["id"], **{f"b_{k}": v for k, v in head.items()
                                                   if k not in ("entity", "record_id")}})
        record_heads[loser["origin_device"]] = {"id": None, "lost_version": loser["version"],
                                                "content_hash": head["content_hash"]}
        opened += not head["same_as_kept"]

    for row in winners:
        rid = row["id"]
        record_heads = heads.get(rid, {})
        previous = stored.get(rid)
        if previous is None and not record_heads:
            continue  # the same device's newer version, nothing under review
        winner_hash = _hash(entity, row)
        own = record_heads.pop(row["origin_device"], None)
        if own is not None and not own.get("resolved"):
            gone.append(own["id"])  # superseded by its own device's newer version
        # (a reviewed one stays as the record of the review until that device loses again)
        untouched = dict(record_heads)
        if previous is not None:
            offer(rid, previous, row, winner_hash, record_heads)
            untouched.pop(previous["origin_device"], None)
        for head in untouched.values():  # the others now lose to a new winner
            changed.append({"b_id": head["id"], "b_kept_version": row["version"],
                            "b_kept_device": row["origin_device"],
                            "b_same_as_kept": head["content_hash"] == winner_hash})
    for row in losers:
        rid = row["id"]
        winner = stored[rid]
        offer(rid, row, winner, _hash(entity, winner), heads.setdefault(rid, {}))
    if gone:
        conn.execute(delete(Conflict).where(Conflict.id.in_(gone)))
    if new_rows:
        conn.execute(insert(Conflict), new_rows)
    for keys in {tuple(sorted(ch)) for ch in changed}:
        batch = [ch for ch in changed if tuple(sorted(ch)) == keys]
        stmt = update(Conflict).where(Conflict.id == bindparam("b_id")).values(
            {k[2:]: bindparam(k) for k in keys if k != "b_id"})
        conn.execute(stmt, batch)
    return opened


def _copyable(entity: Entity) -> bool:
    return all(type(c.type).__name__ in COPY_TYPES for c in entity.table.columns)


def _insert(conn: Connection, entity: Entity, rows: list[dict[str, Any]]) -> None:
    t = entity.table
    for key in entity.local_keys:  # the centre numbers device-local keys itself
        start = int(conn.execute(select(func.coalesce(func.max(t.c[key]), 0))).scalar_one())
        for number, row in enumerate(rows, start + 1):
            row[key] = number
    if conn.dialect.name == "postgresql" and _copyable(entity):
        _copy(conn, entity, str(entity.table.name), rows)
        return
    for part in _chunks(rows):
        conn.execute(insert(entity.table), part)


def _copy(conn: Connection, entity: Entity, table: str, rows: list[dict[str, Any]]) -> None:
    """PostgreSQL COPY of whole rows into `table` (the entity's own, or its staging table)."""
    names = entity.columns
    columns = ", ".join(f'"{n}"' for n in names)
    raw = conn.connection.driver_connection
    assert raw is not None
    as_json = [n for n in names if type(entity.table.c[n].type).__name__ == "JSON"]
    with raw.cursor() as cur, cur.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            if as_json:  # COPY's text form of json is the JSON text itself
                row = {**row, **{n: None if row[n] is None else orjson.dumps(row[n]).decode()
                                 for n in as_json}}
            copy.write_row([row[n] for n in names])


STAGE_FROM = 200  # below this many updates, plain executemany is as quick


def _update(conn: Connection, entity: Entity, rows: list[dict[str, Any]]) -> None:
    t = entity.table
    columns = [c for c in t.columns if c.name != "id" and c.name not in entity.local_keys]
    if conn.dialect.name == "postgresql" and _copyable(entity) and len(rows) >= STAGE_FROM:
        _update_staged(conn, entity, rows, [c.name for c in columns])
        return
    stmt = update(t).where(t.c.id == bindparam("b_id", type_=t.c.id.type)).values(
        {c.name: bindparam(f"b_{c.name}", type_=c.type) for c in columns})
    for part in _chunks(rows):
        conn.execute(stmt, [{f"b_{k}": v for k, v in row.items()} for row in part])


def _update_staged(conn: Connection, entity: Entity, rows: list[dict[str, Any]],
                   columns: list[str]) -> None:
    """PostgreSQL: COPY the winning versions into a temporary table, then one UPDATE … FROM,
    guarded by the merge key so a row is only ever replaced by a higher version. The rows
    were classified (and conflicts kept) beforehand; if the guard skips any, someone else
    changed them meanwhile and the whole merge is refused (nothing changed)."""
    name = str(entity.table.name)
    stage = f"wb_stage_{name}"[:63]
    conn.exec_driver_sql(f'CREATE TEMP TABLE "{stage}" (LIKE "{name}") ON COMMIT DROP')
    _copy(conn, entity, stage, rows)
    sets = ", ".join(f'"{c}" = s."{c}"' for c in columns)
    done = conn.exec_driver_sql(
        f'UPDATE "{name}" AS t SET {sets} FROM "{stage}" AS s WHERE t.id = s.id AND '
        "(s.version, s.updated_at, s.origin_device) > (t.version, t.updated_at, t.origin_device)")
    conn.exec_driver_sql(f'DROP TABLE "{stage}"')
    if done.rowcount != len(rows):
        raise MergeRejected(
            f"{name}: records changed while this bundle was being merged (another merge at "
            "the same time?); nothing was changed: merge it again")


# ---------------------------------------------------------------- conflict review

CENTRAL_DEVICE = "central"  # origin_device of versions the central team chose
KEEP_CHOICES = ("current", "other")


@dataclass(frozen=True)
class Resolution:
    conflict_id: int
    entity: str
    record_id: str
    keep: str
    version: int  # the chosen version's new number, above both
    resolved_at: Any
    others_open: int  # other devices' open conflicts on the same record, judged again


def resolve_conflict(engine: Engine, conflict_id: int, keep: str, by: str,
                     reason: str) -> Resolution:
    """Apply the reviewer's choice for one conflict, in one transaction.

    The chosen content (the record as it is now, or the version that lost) is written again as
    a new version above both, made by the centre, so any later merge compares against it by the
    same rule as always: a replay of either old version changes nothing, and a device's later
    edit still competes (and is kept for review if it loses). The conflict row records who,
    when, which and why; the version set aside, if it was the current one, is kept as a
    reviewed (resolved) conflict row of its device, so nothing is lost.
    """
    if keep not in KEEP_CHOICES:
        raise MergeRejected(f"keep must be one of {', '.join(KEEP_CHOICES)}")
    c = Conflict.__table__.c
    now = utcnow()
    with engine.begin() as conn:
        found = conn.execute(select(Conflict.__table__).where(c.id == conflict_id)
                             .with_for_update()).mappings().first()
        if found is None:
            raise MergeRejected(f"there is no conflict {conflict_id}")
        if found["resolved"]:
            raise MergeRejected(
                f"conflict {conflict_id} was resolved already ({found['resolved_keep']} kept "
                f"by {found['resolved_by'] or 'someone'})")
        entity = entity_map().get(found["entity"])
        if entity is None:
            raise MergeRejected(f"this database has no table {found['entity']!r}")
        t = entity.table
        values = conn.execute(select(t).where(t.c.id == found["record_id"])
                              .with_for_update()).first()
        if values is None:
            raise MergeRejected(f"{entity.name} record {found['record_id']} is not held here")
        current = dict(zip(entity.columns, values, strict=True))
        try:
            other = decode_row(entity, orjson.loads(found["content"]))
        except (RecordError, orjson.JSONDecodeError) as err:
            raise MergeRejected(f"conflict {conflict_id}: the kept version cannot be read "
                                f"({err})") from None
        chosen = dict(current if keep == "current" else other)
        for key in entity.local_keys:  # device-local numbers: the centre's own stay
            chosen[key] = current[key]
        version = max(current["version"], other["version"]) + 1
        chosen.update(version=version, updated_at=now, origin_device=CENTRAL_DEVICE)
        _update(conn, entity, [chosen])
        winner_hash = _hash(entity, chosen)
        conn.execute(update(Conflict).where(c.id == conflict_id).values(
            resolved=True, resolved_at=now, resolved_by=by[:120], resolved_keep=keep,
            resolved_reason=reason, kept_version=version, kept_device=CENTRAL_DEVICE,
            same_as_kept=found["content_hash"] == winner_hash))
        current_hash = _hash(entity, current)
        review = {"resolved_at": now, "resolved_by": by[:120], "resolved_keep": keep,
                  "resolved_reason": reason}
        set_aside = keep == "other" and current_hash != winner_hash
        if current["origin_device"] != found["lost_device"] and (
                set_aside or current["origin_device"] != CENTRAL_DEVICE):
            # The version that was winning now loses to the centre's, as in any merge: it
            # becomes its device's head, so a bundle re-sending it changes nothing. Set aside
            # by this review, it is kept as a reviewed (resolved) row, so no version is lost.
            head = conn.execute(select(c.id, c.lost_version).where(
                c.entity == entity.name, c.record_id == found["record_id"],
                c.lost_device == current["origin_device"])).first()
            head_values = {
                "detected_at": now, "export_id": found["export_id"],
                "lost_version": current["version"], "lost_updated_at": current["updated_at"],
                "lost_deleted": current["deleted_at"] is not None,
                "kept_version": version, "kept_device": CENTRAL_DEVICE,
                "content": orjson.dumps(current, default=encode_default,
                                        option=orjson.OPT_SORT_KEYS).decode("utf-8"),
                "content_hash": current_hash, "same_as_kept": current_hash == winner_hash,
                "resolved": set_aside,
                **(review if set_aside else {"resolved_at": None, "resolved_by": "",
                                             "resolved_keep": "", "resolved_reason": ""})}
            if head is None:
                conn.execute(insert(Conflict).values(
                    entity=entity.name, record_id=found["record_id"],
                    client_id=found["client_id"], lost_device=current["origin_device"],
                    **head_values))
            elif head.lost_version < current["version"]:
                conn.execute(update(Conflict).where(c.id == head.id).values(**head_values))
        # Other devices' versions of this record now lose to the chosen one: judge them again.
        # Those saying what the version set aside said (a device whose version the centre
        # had carried forward at an earlier review) were set aside by this review too; the
        # rest stay open if they differ from the chosen content.
        others = conn.execute(select(c.id, c.content_hash).where(
            c.entity == entity.name, c.record_id == found["record_id"], c.id != conflict_id,
            c.resolved.is_(False))).all()
        still_open = 0
        for other_id, content_hash in others:
            same = content_hash == winner_hash
            aside = set_aside and content_hash == current_hash
            conn.execute(update(Conflict).where(c.id == other_id).values(
                kept_version=version, kept_device=CENTRAL_DEVICE, same_as_kept=same,
                **({"resolved": True, **review} if aside else {})))
            still_open += not same and not aside
    return Resolution(conflict_id, entity.name, str(found["record_id"]), keep, version, now,
                      still_open)


# ---------------------------------------------------------------- consent withdrawn

def _note_withdrawals(conn: Connection, notices: list[dict[str, Any]], device_id: str,
                      export_id: uuid.UUID) -> int:
    """Keep each client's newest withdrawal notice (by the record key); returns how many."""
    r = Restriction.__table__.c
    now = utcnow()
    for notice in notices:
        key = (notice["version"], notice["updated_at"], notice["origin_device"])
        held = conn.execute(select(r.version, r.updated_at, r.origin_device).where(
            r.client_id == notice["client_id"])).first()
        values = {"version": key[0], "updated_at": key[1], "origin_device": key[2],
                  "device_id": device_id, "export_id": export_id}
        if held is None:
            conn.execute(insert(Restriction).values(client_id=notice["client_id"],
                                                    first_noted_at=now, **values))
        elif key > tuple(held):
            conn.execute(update(Restriction).where(r.client_id == notice["client_id"])
                         .values(**values))
    return len(notices)


@dataclass(frozen=True)
class Restricted:
    client_id: str
    first_noted_at: Any
    device_id: str
    held: bool  # the centre holds records of theirs (a notice can arrive before them)


def restricted_clients(conn: Connection) -> list[Restricted]:
    """Clients whose withdrawal is in force: no later version of their record (by the merge
    key) says they consent again."""
    from wellbeing_desktop.storage.models.clients import Client

    r = Restriction.__table__.c
    c = Client.__table__.c
    out = []
    rows = conn.execute(select(r.client_id, r.version, r.updated_at, r.origin_device,
                               r.first_noted_at, r.device_id, c.version.label("cv"),
                               c.updated_at.label("cu"), c.origin_device.label("co"),
                               c.consent_central_records).outerjoin(
        Client.__table__, c.id == r.client_id).order_by(r.first_noted_at, r.client_id))
    for row in rows:
        if row.cv is not None and row.consent_central_records and (
                (row.cv, row.cu, row.co) > (row.version, row.updated_at, row.origin_device)):
            continue  # consent given again, later than the withdrawal
        out.append(Restricted(str(row.client_id), row.first_noted_at, row.device_id,
                              row.cv is not None))
    return out
