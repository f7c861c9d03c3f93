"""Applying a prepared bundle in one transaction: each record's winner by version, aliases, counts."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any, Literal

from sqlalchemy import Connection, Engine, exc, insert, select

from wellbeing_desktop.storage.bulk import paused_gc
from wellbeing_desktop.storage.models.sync import IdAlias, MergeLog
from wellbeing_desktop.storage.types import utcnow
from wellbeing_desktop.sync.merge.admission import admit, check_origins, foreign_record
from wellbeing_desktop.sync.merge.conflicts import _reconcile
from wellbeing_desktop.sync.merge.reading import (
    EntityCounts,
    MergeRejected,
    MergeResult,
    Prepared,
    Progress,
    Table,
    _key,
)
from wellbeing_desktop.sync.merge.restrictions import _note_withdrawals
from wellbeing_desktop.sync.merge.rows import (
    CHUNK,
    Held,
    Pending,
    _chunks,
    _copy,
    _copyable,
    _in,
    _insert,
    _update,
    held_keys,
)
from wellbeing_desktop.sync.schema import Entity, entity_map, forget_ids


def merge(engine: Engine, prepared: Prepared, *, progress: Progress | None = None) -> MergeResult:
    """Merge one prepared bundle in one transaction. Raises MergeRejected (nothing changed)."""
    try:
        return _merge(engine, prepared, progress)
    finally:
        forget_ids()  # the decoders' memo of id texts serves one bundle


def _merge(engine: Engine, prepared: Prepared, progress: Progress | None) -> MergeResult:
    bundle = prepared.bundle
    manifest = bundle.manifest
    export_id = uuid.UUID(manifest["export_id"])
    try:
        with engine.begin() as conn:
            own = admit(conn, prepared)  # enrolled, signed, audit head (issue 13)
            seen = conn.execute(select(
                MergeLog.digest, MergeLog.device_id, MergeLog.inserted, MergeLog.updated,
                MergeLog.unchanged, MergeLog.conflicts, MergeLog.tombstones).where(
                MergeLog.export_id == export_id)).first()
            if seen is not None:
                if seen.digest != bundle.digest:
                    raise MergeRejected(
                        f"export {export_id} was merged before with different content: this "
                        "bundle was altered or replaced, and is refused")
                # Nothing changes: this merge inserted and updated nothing; the first merge's
                # counts are reported under their own key (and go in the new acknowledgement).
                first = {"inserted": seen.inserted, "updated": seen.updated,
                         "unchanged": seen.unchanged, "conflicts": seen.conflicts,
                         "tombstones": seen.tombstones}
                now = {"inserted": 0, "updated": 0, "unchanged": seen.inserted + seen.updated
                       + seen.unchanged + seen.conflicts, "conflicts": 0, "tombstones": 0}
                return MergeResult(str(export_id), seen.device_id, seen.digest, True, now,
                                   first_merge=first)
            mode = conn.execute(select(MergeLog.pseudonymised).limit(1)).scalar()
            if mode is not None and bool(mode) != manifest["pseudonymised"]:
                raise MergeRejected(
                    "this database holds identifiable records; a pseudonymised bundle belongs in "
                    "a reporting database" if not mode else
                    "this is a pseudonymised reporting database; merge identifiable bundles into "
                    "the central records instead")
            totals = EntityCounts()
            per: dict[str, dict[str, int]] = {}
            names = [e for e in entity_map().values() if e.name in prepared.tables]
            # Parents before children (metadata order).
            order = {e.name: i for i, e in enumerate(entity_map().values())}
            names.sort(key=lambda e: order[e.name])
            pending: Pending | None = None
            # Reads ahead while an update runs (PostgreSQL); False: none could be opened.
            side: Connection | Literal[False] | None = None
            ahead: dict[str, Held] = {}  # stored versions read ahead, by table
            try:
                for number, entity in enumerate(names):
                    if progress:
                        progress(int(100 * number / max(1, len(names))),
                                 f"Merging {entity.name.replace('_', ' ')}…")
                    table = prepared.tables[entity.name]
                    if pending is not None:
                        # While the server updates the table before: decode this table and
                        # the ones after, and read their stored versions on a second
                        # connection, until the update is done (this one at least).
                        for later in names[number:]:
                            if later is not entity and not pending.running():
                                break
                            rows = prepared.tables[later.name].rows()
                            if not later.natural_keys and later.name not in ahead:
                                side = side if side is not None else _second(engine)
                                if side is not False:
                                    found = _read_ahead(side, later, rows)
                                    if found is None:
                                        side = _close(side)
                                    else:
                                        ahead[later.name] = found
                        pending.finish(conn)
                        pending = None
                    counts, pending = _merge_entity(conn, entity, table, export_id,
                                                    bundle.device_id, own,
                                                    ahead.pop(entity.name, None))
                    totals.add(counts)
                    if len(table):  # not when every record was stale history (dropped)
                        per[entity.name] = counts.as_dict()
                if pending is not None:
                    pending.finish(conn)
                    pending = None
            finally:
                if pending is not None:  # failed meanwhile: let the server's statement end
                    pending.wait()
                if side:
                    _close(side)
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


def _read_ahead(side: Connection, entity: Entity, rows: list[dict[str, Any]],
                ) -> Held | None:
    """The table's stored versions read on the second connection, or None if that failed (a
    timeout, a dropped connection): the merge then reads them in the table's own turn."""
    dbapi = side.dialect.dbapi
    failures: tuple[type[BaseException], ...] = (exc.DBAPIError,) + (
        (dbapi.Error,) if dbapi is not None else ())  # held_keys reads through psycopg itself
    try:
        return _existing(side, entity, [r["id"] for r in rows])
    except failures:
        return None


def _close(side: Connection) -> Literal[False]:
    with contextlib.suppress(exc.DBAPIError):  # never hides what the merge itself raised
        side.close()
    return False


def _second(engine: Engine) -> Connection | Literal[False]:
    """A second connection for reading ahead, or False if the server will not give one (a
    connection limit): the merge then reads each table's stored versions in its own turn."""
    try:
        side = engine.connect()
    except exc.DBAPIError:
        return False
    try:
        return side.execution_options(isolation_level="AUTOCOMMIT")
    except exc.DBAPIError:
        return _close(side)


def _constraint(err: Exception) -> str:
    text = str(getattr(err, "orig", None) or err).strip().splitlines()
    return (text[0] if text else "integrity")[:160]


def _merge_entity(conn: Connection, entity: Entity, table: Table, export_id: uuid.UUID,
                  device: str, own: set[str], held: Held | None = None,
                  ) -> tuple[EntityCounts, Pending | None]:
    """Merge one table. `held`: its stored versions, read ahead on a second connection while
    the server updated the table before (see `_apply_rows`)."""
    with paused_gc():
        if not table.decoded and _streams(conn, entity):
            return _stream_inserts(conn, entity, table, device, own), None
        rows = check_origins(conn, entity, table.rows(), device, own)
        table.keep(rows)
        return _apply_rows(conn, entity, rows, export_id, held)


def _streams(conn: Connection, entity: Entity) -> bool:
    """Whether every record of the table is new and can be decoded as it is sent (`COPY`):
    on PostgreSQL, into a table that holds nothing yet (a first, bulk merge), where no id can
    be another's under an alias and the centre numbers no local keys."""
    if conn.dialect.name != "postgresql" or not _copyable(entity):
        return False
    if entity.natural_keys or entity.local_keys:
        return False
    t = entity.table
    if conn.execute(select(t.c.id).limit(1)).first() is not None:
        return False
    return not entity.aliased_refs or conn.execute(
        select(IdAlias.local_id).limit(1)).first() is None


def _stream_inserts(conn: Connection, entity: Entity, table: Table, device: str,
                    own: set[str]) -> EntityCounts:
    """Every record is new: each is decoded and checked as `COPY` sends it, so the server
    inserts the rows before while this decodes the next. A refusal aborts the `COPY`, and the
    merge's transaction rolls back. A record claiming another device would insert: refused,
    as `check_origins` refuses one the centre does not hold."""
    counts = EntityCounts()

    def checked() -> Iterator[dict[str, Any]]:
        for row in table.stream():
            if row["origin_device"] not in own:
                raise foreign_record(entity, row, device)
            counts.inserted += 1
            if row["deleted_at"] is not None:
                counts.tombstones += 1
            yield row

    _copy(conn, entity, entity.name, checked())
    return counts


def _apply_rows(conn: Connection, entity: Entity, rows: list[dict[str, Any]],
                export_id: uuid.UUID, held: Held | None = None,
                ) -> tuple[EntityCounts, Pending | None]:
    """Classify each record against the stored version (new, newer, the same, older), keep
    conflicts, insert and update. `held` are the stored versions if already read, on another
    connection: the same as reading them here, since this transaction has not written the
    table yet and, at READ COMMITTED, each statement on either connection sees what was
    committed when it began. A record someone else changes after the read fails the guarded
    update (or the insert's primary key), which refuses the whole merge."""
    counts = EntityCounts()
    if entity.natural_keys:
        _use_aliases(conn, entity, rows, [("id", entity.name)])
    existing = held if held is not None and not entity.natural_keys else _existing(
        conn, entity, [r["id"] for r in rows])
    if entity.natural_keys:
        _adopt_by_natural_key(conn, entity, [r for r in rows if r["id"].int not in existing])
        existing = _existing(conn, entity, [r["id"] for r in rows])
    if entity.aliased_refs:
        _use_aliases(conn, entity, rows, list(entity.aliased_refs))
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    losers: list[dict[str, Any]] = []  # incoming versions from another device that lost
    # Stored versions an incoming one beat that were another device's edit (not version 1):
    # they become that device's head, a conflict to review.
    displaced: list[uuid.UUID] = []
    for row in rows:
        current = existing.get(row["id"].int)
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
            if current[2] != row["origin_device"] and current[0] >= 2:
                displaced.append(row["id"])
            counts.updated += 1
            counts.tombstones += deleted
        else:
            counts.unchanged += 1
            if current[2] != row["origin_device"] and row["version"] >= 2:
                losers.append(row)
    if updates or losers:
        counts.conflicts = _reconcile(conn, entity, updates, displaced, losers, export_id)
    if inserts:
        _insert(conn, entity, inserts)
    if not updates:
        return counts, None
    # A large update is left running on the server while the merge decodes the next table;
    # each row only while it is still what it was judged against (its token, or its key).
    numbers = [row["id"].int for row in updates]
    tokens = existing.tokens
    return counts, _update(conn, entity, updates, background=True,
                           tokens=[tokens[n] for n in numbers] if tokens else None,
                           held=None if tokens else [existing[n] for n in numbers])


def _existing(conn: Connection, entity: Entity, ids: list[uuid.UUID]) -> Held:
    """The stored key of each id the table holds, by the id's number (`UUID.int`: an int
    hashes in C, a UUID in Python, and this dict is probed once per incoming record); on
    PostgreSQL with each row's token."""
    t = entity.table
    if len(ids) > CHUNK and conn.execute(select(t.c.id).limit(1)).first() is None:
        return Held()  # an empty table (a first, bulk merge): nothing to look up
    if conn.dialect.name == "postgresql":
        return held_keys(conn, str(t.name), ids)
    found = Held()
    for part in _chunks(ids):
        stmt = select(t.c.id, t.c.version, t.c.updated_at, t.c.origin_device).where(
            _in(conn, t.c.id, part))
        for rid, version, updated_at, origin in conn.execute(stmt):
            found[rid.int] = (version, updated_at, origin)
    return found


def _use_aliases(conn: Connection, entity: Entity, rows: list[dict[str, Any]],
                 columns: list[tuple[str, str]]) -> None:
    """Replace device ids the centre knows under another id (see `IdAlias`)."""
    if conn.execute(select(IdAlias.local_id).limit(1)).first() is None:
        return  # no aliases at all (asked again for each table: a merge may have just made one)
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
