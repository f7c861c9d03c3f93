"""Writing merged rows in bulk: inserts (COPY on PostgreSQL), version-checked and staged updates."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterable
from operator import itemgetter
from typing import Any

import orjson
from sqlalchemy import (
    Connection,
    String,
    any_,
    bindparam,
    cast,
    exc,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.types import NullType

from wellbeing_desktop.sync.merge.reading import Key, MergeRejected
from wellbeing_desktop.sync.schema import Entity

CHUNK = 5000
COPY_TYPES = ("Uuid", "UTCDateTime", "DateTime", "Date", "Integer", "BigInteger", "SmallInteger",
              "String", "Text", "Boolean", "Float", "Unicode", "UnicodeText", "JSON")


def _in(conn: Connection, column: Any, ids: list[uuid.UUID]) -> Any:
    if conn.dialect.name == "postgresql":
        # One array literal, read as uuid[] by the server: psycopg adapts a list element by
        # element in Python, which took longer than the query. Untyped (NullType), so it
        # goes as an unknown literal the cast reads once; cast from varchar instead, it was
        # re-read for every row scanned.
        literal = "{" + ",".join([i.hex for i in ids]) + "}"
        return column == any_(cast(bindparam("ids", literal, type_=NullType()), _uuid_array()))
    return column.in_(ids)


def _uuid_array() -> Any:
    from sqlalchemy import ARRAY, Uuid

    return ARRAY(Uuid())


def _chunks(items: list[Any], size: int = CHUNK) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


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


def _copy(conn: Connection, entity: Entity, table: str, rows: Iterable[dict[str, Any]],
          extra: tuple[tuple[str, ...], list[tuple[Any, ...]]] | None = None) -> None:
    """PostgreSQL COPY of whole rows into `table` (the entity's own, or its staging table),
    each followed by its values of the `extra` columns when given (a staging table's copy of
    what each row was judged against, for the update's guard).

    Binary COPY, each column sent as the type the server's catalogue gives it: the server
    parses no text (dates, times, ids, numbers), and psycopg's binary dumpers for them are in
    C. JSON goes as its text (the binary form of `json` is the text; of `jsonb`, a version
    byte and the text). A column type psycopg cannot write in binary falls back to text COPY."""
    names = entity.columns + (extra[0] if extra is not None else ())
    columns = ", ".join(f'"{n}"' for n in names)
    raw = conn.connection.driver_connection
    assert raw is not None
    oids = _binary_types(raw, table, names)
    as_json = [i for i, n in enumerate(entity.columns)
               if type(entity.table.c[n].type).__name__ == "JSON"]
    pick = itemgetter(*entity.columns)  # a row's values in column order, as one tuple
    values: Iterable[tuple[Any, ...]] = (
        map(pick, rows) if extra is None
        else (pick(row) + more for row, more in zip(rows, extra[1], strict=True)))
    dumps = orjson.dumps
    if oids is None:
        if extra is not None:  # text COPY: the tokens (the extra columns) as numbers
            k = len(entity.columns)
            values = (value[:k] + tuple(str(int.from_bytes(v)) for v in value[k:])
                      for value in values)
        with raw.cursor() as cur, cur.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
            for value in values:
                if as_json:  # COPY's text form of json is the JSON text itself
                    texts = list(value)
                    for i in as_json:
                        if texts[i] is not None:
                            texts[i] = dumps(texts[i]).decode()
                    value = tuple(texts)  # noqa: PLW2901
                copy.write_row(value)
        return
    prefix = {i: b"\x01" if oids[i] == _JSONB else b"" for i in as_json}
    for i in as_json:
        oids[i] = _BYTEA  # sent as the bytes given: the JSON text (after jsonb's version byte)
    with raw.cursor() as cur:
        cur.adapters.register_dumper(uuid.UUID, _uuid_bytes())
        cur.adapters.register_dumper(_Token, _xid_bytes())  # found by its oid (`set_types`)
        with cur.copy(f'COPY "{table}" ({columns}) FROM STDIN (FORMAT BINARY)') as copy:
            copy.set_types(oids)
            write = copy.write_row
            if not as_json:
                for value in values:
                    write(value)
                return
            for value in values:
                sent = list(value)
                for i in as_json:
                    if sent[i] is not None:
                        sent[i] = prefix[i] + dumps(sent[i])
                write(sent)


_JSON, _JSONB, _BYTEA = 114, 3802, 17


class _Token(bytes):
    """Only names the dumper of xid for psycopg; tokens are plain bytes."""


def _uuid_bytes() -> Any:
    """psycopg's binary writer for ids, in one step: its own reads `UUID.bytes`, a Python
    property that does the same (three ids per record, 276,000 in the bench's bundle)."""
    from psycopg import adapt, pq
    from psycopg.types.uuid import UUIDBinaryDumper

    class UuidBytes(adapt.Dumper):
        format = pq.Format.BINARY
        oid = UUIDBinaryDumper.oid

        def dump(self, obj: uuid.UUID) -> bytes:
            return obj.int.to_bytes(16)

    return UuidBytes


def _binary_types(raw: Any, table: str, names: tuple[str, ...]) -> list[int] | None:
    """The type oid of each column as the server holds it, or None when psycopg has no
    binary writer for one of them (then the caller uses text COPY)."""
    from psycopg import pq

    found = dict(raw.execute(
        "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = %s::regclass "
        "AND attnum > 0 AND NOT attisdropped", [f'"{table}"']).fetchall())
    oids = [int(found[n]) for n in names]
    for oid in oids:
        if oid in (_JSON, _JSONB, _XID):  # written by `_copy` itself
            continue
        try:
            raw.adapters.get_dumper_by_oid(oid, pq.Format.BINARY)
        except Exception:  # psycopg.ProgrammingError: no binary dumper for this type
            return None
    return oids


class Held(dict[int, Key]):
    """The stored key `(version, updated_at, origin_device)` of each id a table holds, by the
    id's number; on PostgreSQL also each row's `tokens` entry: its `xmin` (as the server's
    four bytes), the transaction that wrote the stored row version. Any later write to the
    row gives it a new one, so an update guarded by it changes the row only if nobody has
    since it was read (PostgreSQL's usual optimistic-concurrency token: one value compared
    as it is stored, instead of the whole key)."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens: dict[int, bytes] = {}


def held_keys(conn: Connection, table: str, ids: list[uuid.UUID]) -> Held:
    """PostgreSQL: the stored key and token (`Held`) of each of `ids` the table holds. Read
    by psycopg directly, in binary, with each id loaded as its number: through SQLAlchemy's
    rows and type processors this took longer than the query (a quarter of a merge where
    every record is an update)."""
    from psycopg import pq
    from psycopg.adapt import Loader

    class UuidNumber(Loader):
        format = pq.Format.BINARY

        def load(self, data: Any) -> int:
            return int.from_bytes(data)

    raw = conn.connection.driver_connection
    assert raw is not None
    # One query, joined to the ids as a set: the planner knows their number from the array
    # and picks a hash join for many ids (twice as quick as `= ANY` probing the key for
    # each) or the primary key for a few.
    with raw.cursor(binary=True) as cur:
        cur.adapters.register_loader("uuid", UuidNumber)
        cur.execute(f'SELECT t.id, t.version, t.updated_at, t.origin_device, t.xmin '
                    f'FROM "{table}" AS t JOIN unnest(%s::uuid[]) AS i(id) ON t.id = i.id',
                    ["{" + ",".join([i.hex for i in ids]) + "}"])
        found = Held()
        tokens = found.tokens
        for rid, version, updated_at, origin, token in cur.fetchall():
            found[rid] = (version, updated_at, origin)
            tokens[rid] = token
        return found


_XID = 28  # xmin's type; psycopg reads it in binary as its four bytes, and writes them so


def _xid_bytes() -> Any:
    from psycopg import adapt, pq

    class XidBytes(adapt.Dumper):
        format = pq.Format.BINARY
        oid = _XID

        def dump(self, obj: bytes) -> bytes:
            return obj

    return XidBytes


STAGE_FROM = 200  # below this many updates, plain executemany is as quick


def _update(conn: Connection, entity: Entity, rows: list[dict[str, Any]], *,
            held: list[Key] | None = None, tokens: list[bytes] | None = None,
            background: bool = False) -> Pending | None:
    """Write the winning versions over the stored ones, each only while the stored row is
    still what it was judged against: its token (`Held.tokens`, PostgreSQL) or else its key
    (`held`), in the same order as `rows`. A row changed by someone else meanwhile refuses
    the whole merge (MergeRejected). With `background`, a large update on PostgreSQL is left
    running (`Pending`): the caller must `finish` it before it uses the connection again."""
    t = entity.table
    columns = [c for c in t.columns if c.name != "id" and c.name not in entity.local_keys]
    if (conn.dialect.name == "postgresql" and _copyable(entity) and len(rows) >= STAGE_FROM
            and (tokens is not None or held is None)):
        pending = _update_staged(conn, entity, rows, [c.name for c in columns], tokens)
        if background:
            return pending
        pending.finish(conn)
        return None
    where = t.c.id == bindparam("b_id", type_=t.c.id.type)
    if tokens is not None:  # a few rows: compared as text
        where = where & (literal_column(f'"{t.name}".xmin::text')
                         == bindparam("h_token", type_=String()))
    elif held is not None:
        where = where & (t.c.version == bindparam("h_version", type_=t.c.version.type)) & (
            t.c.updated_at == bindparam("h_updated_at", type_=t.c.updated_at.type)) & (
            t.c.origin_device == bindparam("h_origin_device", type_=t.c.origin_device.type))
    stmt = update(t).where(where).values(
        {c.name: bindparam(f"b_{c.name}", type_=c.type) for c in columns})
    done = 0
    for start in range(0, len(rows), CHUNK):
        params = [{f"b_{k}": v for k, v in row.items()} for row in rows[start:start + CHUNK]]
        if tokens is not None:
            for param, token in zip(params, tokens[start:start + CHUNK], strict=True):
                param["h_token"] = str(int.from_bytes(token))
        elif held is not None:
            for param, (version, updated_at, origin) in zip(
                    params, held[start:start + CHUNK], strict=True):
                param.update(h_version=version, h_updated_at=updated_at,
                             h_origin_device=origin)
        done += conn.execute(stmt, params).rowcount
    if (held is not None or tokens is not None) and done != len(rows):
        raise changed_meanwhile(str(t.name))
    return None


def changed_meanwhile(table: str) -> MergeRejected:
    return MergeRejected(
        f"{table}: records changed while this bundle was being merged (another merge at the "
        "same time?); nothing was changed: merge it again")


TOKEN = "wb_held_token"  # a staging table's copy of each row's token when it was judged


def _update_staged(conn: Connection, entity: Entity, rows: list[dict[str, Any]],
                   columns: list[str], tokens: list[bytes] | None) -> Pending:
    """PostgreSQL: COPY the winning versions into a temporary table, then one UPDATE … FROM,
    guarded by the merge key so a row is only ever replaced by a higher version, and, given
    `tokens`, only while it is still what it was judged against. The rows were classified
    (and conflicts kept) beforehand; if the guard skips any, someone else changed them
    meanwhile and the whole merge is refused (nothing changed)."""
    name = str(entity.table.name)
    stage = f"wb_stage_{name}"[:63]
    guard = ("(s.version, s.updated_at, s.origin_device) > "
             "(t.version, t.updated_at, t.origin_device)")
    extra: tuple[tuple[str, ...], list[tuple[Any, ...]]] | None = None
    if tokens is not None:
        conn.exec_driver_sql(f'CREATE TEMP TABLE "{stage}" (LIKE "{name}", "{TOKEN}" xid) '
                             "ON COMMIT DROP")
        extra = ((TOKEN,), [(token,) for token in tokens])
        guard += f' AND t.xmin = s."{TOKEN}"'
    else:
        conn.exec_driver_sql(f'CREATE TEMP TABLE "{stage}" (LIKE "{name}") ON COMMIT DROP')
    _copy(conn, entity, stage, rows, extra)
    # Its number of rows and ids known to the planner (a temporary table is never analysed
    # by autovacuum): a few updates into a large table probe the primary key, many join.
    conn.exec_driver_sql(f'ANALYZE "{stage}" (id)')
    sets = ", ".join(f'"{c}" = s."{c}"' for c in columns)
    return Pending(conn, name, stage, len(rows),
                   f'UPDATE "{name}" AS t SET {sets} FROM "{stage}" AS s '
                   f"WHERE t.id = s.id AND {guard}")


class Pending:
    """A table's `UPDATE … FROM` running on the server while the merge decodes the next table.

    The statement is sent from a helper thread that only waits for the server (psycopg's wait
    releases the interpreter), so on two cores the server's work and the merge's decoding
    overlap instead of taking turns. Nothing else uses the connection until `finish`, which
    the merge calls before its next statement, and on any failure (then it only waits)."""

    def __init__(self, conn: Connection, table: str, stage: str, expected: int,
                 statement: str) -> None:
        self.table, self.stage, self.expected = table, stage, expected
        self.statement = statement
        raw = conn.connection.driver_connection
        assert raw is not None
        self._raw = raw
        self._rowcount = -1
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(statement,),
                                        name=f"merge {table}", daemon=True)
        self._thread.start()

    def _run(self, statement: str) -> None:
        try:
            with self._raw.cursor() as cur:
                cur.execute(statement)
                self._rowcount = cur.rowcount
        except BaseException as err:  # handed to the merge's thread by finish
            self._error = err

    def running(self) -> bool:
        return self._thread.is_alive()

    def wait(self) -> None:
        """Wait for the statement, keeping any failure for `finish` (used on the way out of a
        merge that failed elsewhere, before its transaction is rolled back)."""
        self._thread.join()

    def finish(self, conn: Connection) -> None:
        """Wait for the statement; raise what it raised (a driver's error wrapped as
        SQLAlchemy wraps it on the merge's own thread), or MergeRejected if it skipped any
        record (changed meanwhile by someone else); drop the staging table."""
        self._thread.join()
        if self._error is not None:
            dbapi = conn.dialect.dbapi
            if dbapi is not None and isinstance(self._error, dbapi.Error):
                raise exc.DBAPIError.instance(self.statement, None, self._error, dbapi.Error,
                                              dialect=conn.dialect) from self._error
            raise self._error
        conn.exec_driver_sql(f'DROP TABLE "{self.stage}"')
        if self._rowcount != self.expected:
            raise changed_meanwhile(self.table)
