"""Which tables travel, and how their values become JSON and back.

Generic over the schema: every model that uses `SyncedMixin` travels, so tables other areas
add flow without changes here. A table with a `client_id` column belongs to a client and goes
only with that client's consent; a table without one (the directory, practitioners) always goes.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Time,
    Uuid,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

from wellbeing_desktop.storage.models import Base, SyncedMixin
from wellbeing_desktop.storage.types import UTCDateTime

SHARED = ("id", "created_at", "updated_at", "version", "origin_device", "change_seq", "deleted_at")
# Columns that say which version a row is, not what it says.
NOT_CONTENT = frozenset({"updated_at", "version", "origin_device", "change_seq"})
CLIENTS = "clients"


class RecordError(ValueError):
    """A value in a bundle that does not fit its column."""


@dataclass(frozen=True)
class Entity:
    table: Table
    columns: tuple[str, ...]
    decoders: tuple[Callable[[Any], Any], ...]
    nullable: tuple[bool, ...]
    content: tuple[str, ...]
    # Unique text columns: the same value on two devices is the same record (an ORUK id).
    natural_keys: tuple[str, ...] = ()
    # Unique whole-number columns: numbers only meaningful on one device (a search index key);
    # the centre numbers them itself and never compares them.
    local_keys: tuple[str, ...] = ()
    # (column, table) for references to tables with natural keys (their ids may be aliased).
    aliased_refs: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return str(self.table.name)

    @property
    def has_client(self) -> bool:
        return "client_id" in self.table.c


@cache
def entities() -> tuple[Entity, ...]:
    """Every synchronised table, parents before children (foreign-key order)."""
    synced = {
        mapper.local_table.name
        for mapper in Base.registry.mappers
        if issubclass(mapper.class_, SyncedMixin) and isinstance(mapper.local_table, Table)
    }
    tables = [t for t in Base.metadata.sorted_tables if t.name in synced]

    def unique(table: Table, kind: type) -> tuple[str, ...]:
        return tuple(c.name for c in table.columns if c.unique and not c.primary_key
                     and isinstance(_base_type(c.type), kind))

    natural = {t.name for t in tables if unique(t, String)}
    out = []
    for table in tables:
        names = tuple(c.name for c in table.columns)
        local = unique(table, Integer)
        refs = tuple((fk.parent.name, fk.column.table.name) for fk in table.foreign_keys
                     if fk.column.table.name in natural)
        out.append(Entity(
            table=table,
            columns=names,
            decoders=tuple(_decoder(c.type, c.name) for c in table.columns),
            nullable=tuple(bool(c.nullable) for c in table.columns),
            content=tuple(n for n in names if n not in NOT_CONTENT and n not in local),
            natural_keys=unique(table, String),
            local_keys=local,
            aliased_refs=refs,
        ))
    return tuple(out)


def entity_map() -> dict[str, Entity]:
    return {e.name: e for e in entities()}


def encode_default(value: Any) -> Any:
    """orjson's fallback for the few types it does not write natively."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot write {type(value).__name__} in a bundle")


_new_uuid = object.__new__
_set = object.__setattr__
_UNKNOWN = uuid.SafeUUID.unknown


def fast_uuid(text: str) -> uuid.UUID | None:
    """Parse 32 hex digits or the hyphenated form, or None. About four times quicker than
    `uuid.UUID(text)` (a third of the merge's decoding time); same object, same checks."""
    if len(text) == 36:
        if text[8] != "-" or text[13] != "-" or text[18] != "-" or text[23] != "-":
            return None
        text = text.replace("-", "")
    if len(text) != 32 or not (text.isascii() and text.isalnum()):
        return None
    try:
        number = int(text, 16)
    except ValueError:
        return None
    value: uuid.UUID = _new_uuid(uuid.UUID)
    _set(value, "int", number)
    _set(value, "is_safe", _UNKNOWN)
    return value


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return f"text of {len(value)} characters"
    if isinstance(value, dict):
        return "an object"
    return "a list" if isinstance(value, list) else type(value).__name__


def _base_type(type_: TypeEngine[Any]) -> TypeEngine[Any]:
    while isinstance(type_, TypeDecorator):
        type_ = type_.impl if isinstance(type_.impl, TypeEngine) else type_.impl()
    return type_


def _decoder(type_: TypeEngine[Any], column: str) -> Callable[[Any], Any]:
    base = _base_type(type_)

    def fail(value: Any, what: str) -> RecordError:
        # Say what kind of value was found, never the value: it may be clinical content.
        return RecordError(f"{column}: expected {what}, found {_kind(value)}")

    if isinstance(base, Uuid):
        def dec_uuid(v: Any) -> uuid.UUID:
            if type(v) is not str:
                raise fail(v, "an id")
            found = fast_uuid(v)
            if found is None:
                raise fail(v, "an id")
            return found
        return dec_uuid
    if isinstance(base, DateTime):
        # UTC columns carry their offset; plain DateTime columns hold local wall-clock times.
        aware = isinstance(type_, UTCDateTime) or bool(base.timezone)

        def dec_datetime(v: Any) -> datetime:
            if type(v) is not str:
                raise fail(v, "a date and time")
            try:
                moment = datetime.fromisoformat(v)
            except ValueError:
                raise fail(v, "a date and time") from None
            if (moment.tzinfo is not None) != aware:
                raise fail(v, "a date and time with its time zone" if aware else
                           "a local date and time (no time zone)")
            return moment
        return dec_datetime
    if isinstance(base, Date):
        def dec_date(v: Any) -> date:
            if type(v) is not str or len(v) != 10:
                raise fail(v, "a date")
            try:
                return date.fromisoformat(v)
            except ValueError:
                raise fail(v, "a date") from None
        return dec_date
    if isinstance(base, Time):
        def dec_time(v: Any) -> time:
            try:
                return time.fromisoformat(v)
            except (TypeError, ValueError):
                raise fail(v, "a time") from None
        return dec_time
    if isinstance(base, Boolean):
        def dec_bool(v: Any) -> bool:
            if type(v) is not bool:
                raise fail(v, "true or false")
            return v
        return dec_bool
    if isinstance(base, Integer):
        def dec_int(v: Any) -> int:
            if type(v) is not int:
                raise fail(v, "a whole number")
            return v
        return dec_int
    if isinstance(base, Float):
        def dec_float(v: Any) -> float:
            if type(v) not in (int, float):
                raise fail(v, "a number")
            return float(v)
        return dec_float
    if isinstance(base, Numeric):
        def dec_decimal(v: Any) -> Decimal:
            try:
                return Decimal(str(v))
            except InvalidOperation:
                raise fail(v, "a number") from None
        return dec_decimal
    if isinstance(base, LargeBinary):
        def dec_bytes(v: Any) -> bytes:
            try:
                return base64.b64decode(v, validate=True)
            except (TypeError, ValueError):
                raise fail(v, "base64 data") from None
        return dec_bytes
    if isinstance(base, JSON):
        return lambda v: v
    if isinstance(base, String | Enum):
        length = getattr(base, "length", None)
        enums = frozenset(base.enums) if isinstance(base, Enum) else None

        def dec_str(v: Any) -> str:
            if type(v) is not str:
                raise fail(v, "text")
            if length is not None and len(v) > length:
                raise RecordError(f"{column}: longer than {length} characters")
            if enums is not None and v not in enums:
                raise fail(v, "one of " + ", ".join(sorted(enums)))
            return v
        return dec_str
    raise TypeError(f"column {column}: type {type_!r} cannot travel in a bundle; teach sync/schema.py")


def sqlite_json(entity: Entity) -> str | None:
    """A SQLite expression that builds each row's bundle JSON in C (`json_object`), about as
    fast as reading the rows at all. Ids come out as 32 hex digits and times with a space
    before the clock (both valid ISO/UUID forms the reader accepts, as is the typed path's
    hyphenated and "T" form); None when a column type has no such form (the caller then
    serialises typed values). A test checks both paths decode to the same records."""
    parts: list[str] = []
    for column in entity.table.columns:
        type_ = column.type
        base = _base_type(type_)
        ref = f'"{entity.table.name}"."{column.name}"'
        if isinstance(base, Uuid):
            expr = ref  # stored as 32 hex digits: a UUID form every reader accepts
        elif isinstance(base, DateTime):
            aware = isinstance(type_, UTCDateTime) or bool(base.timezone)
            expr = f"{ref}||'+00:00'" if aware else ref  # stored as UTC "YYYY-MM-DD HH:MM:SS.ffffff"
        elif isinstance(base, Boolean):
            expr = (f"CASE WHEN {ref} IS NULL THEN NULL WHEN {ref} THEN json('true') "
                    "ELSE json('false') END")
        elif isinstance(base, JSON):
            expr = f"json({ref})"
        elif isinstance(base, Date | String | Integer | Float) and not isinstance(base, Enum):
            expr = ref
        else:
            return None
        parts.append(f"'{column.name}', {expr}")
    return "json_object(" + ", ".join(parts) + ")"


def decode_row(entity: Entity, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise RecordError("a record must be a JSON object")
    if len(raw) != len(entity.columns) or raw.keys() != set(entity.columns):
        missing = sorted(set(entity.columns) - raw.keys())
        extra = sorted(raw.keys() - set(entity.columns))
        parts = ([f"missing {', '.join(missing)}"] if missing else []) + (
            [f"unknown {', '.join(extra)}"] if extra else [])
        raise RecordError("fields do not match the schema: " + "; ".join(parts))
    out: dict[str, Any] = {}
    for name, decode, nullable in zip(entity.columns, entity.decoders, entity.nullable, strict=True):
        value = raw[name]
        if value is None:
            if not nullable:
                raise RecordError(f"{name}: a value is required")
            out[name] = None
        else:
            out[name] = decode(value)
    return out


def fast_decoder(entity: Entity) -> Callable[[Any], dict[str, Any]]:
    """`decode_row` for one table as straight-line code (made once per table with `exec`, as
    `dataclasses` does): plain text, number and flag columns are checked inline and the rest
    call their decoder. About twice as quick; anything unusual falls back to `decode_row`, which
    raises the precise error. A test checks both agree. The parsed object given is returned
    with its values decoded in place (not copied: pass a copy to keep the original)."""
    cached = _FAST.get(entity.name)
    if cached is not None:
        return cached
    names = entity.columns
    body = [f"    if type(raw) is not dict or len(raw) != {len(names)}:",
            "        return slow(entity, raw)",
            "    try:"]
    body += [f"        v{i} = raw[{name!r}]" for i, name in enumerate(names)]
    body += ["    except KeyError:", "        return slow(entity, raw)"]
    namespace: dict[str, Any] = {"slow": decode_row, "entity": entity, "ids": _IDS}
    converted: list[int] = []  # columns whose value is replaced by its decoded form
    for i, column in enumerate(entity.table.columns):
        base = _base_type(column.type)
        nullable = entity.nullable[i]
        check = None
        if isinstance(base, String) and not isinstance(base, Enum):
            check = f"type(v{i}) is not str" + (
                f" or len(v{i}) > {int(base.length)}" if base.length else "")
        elif isinstance(base, Boolean):
            check = f"type(v{i}) is not bool"
        elif isinstance(base, Integer):
            check = f"type(v{i}) is not int"
        if check is not None:
            test = f"v{i} is not None and ({check})" if nullable else f"v{i} is None or {check}"
            body += [f"    if {test}:", "        return slow(entity, raw)"]
            continue
        namespace[f"d{i}"] = entity.decoders[i]
        if not isinstance(base, JSON):  # a JSON value is kept as read
            converted.append(i)
        if isinstance(base, Uuid):
            # A bundle names each record's id again in every row that refers to it: parse
            # each id's text once (`ids`, emptied by `forget_ids`). Only text is looked up.
            body += [f"    if v{i} is not None:" if nullable else f"    if v{i} is None:"]
            if not nullable:
                body += ["        return slow(entity, raw)"]
            pad = "        " if nullable else "    "
            body += [f"{pad}u = ids.get(v{i}) if type(v{i}) is str else None",
                     f"{pad}if u is None:",
                     f"{pad}    u = ids[v{i}] = d{i}(v{i})",
                     f"{pad}v{i} = u"]
            continue
        convert = _inline(i, base, column.type) or [f"v{i} = d{i}(v{i})"]
        if nullable:
            body += [f"    if v{i} is not None:"] + [f"        {line}" for line in convert]
        else:
            body += [f"    if v{i} is None:", "        return slow(entity, raw)"]
            body += [f"    {line}" for line in convert]
    namespace.update(datetime_iso=datetime.fromisoformat, date_iso=date.fromisoformat)
    # Every check passed: the converted values go back into the parsed object, which is
    # returned (it holds exactly these keys), rather than a second dict of every column.
    body += [f"    raw[{names[i]!r}] = v{i}" for i in converted]
    body.append("    return raw")
    source = "def decode(raw):\n" + "\n".join(body) + "\n"
    exec(compile(source, f"<decoder {entity.name}>", "exec"), namespace)  # noqa: S102
    decode: Callable[[Any], dict[str, Any]] = namespace["decode"]
    _FAST[entity.name] = decode
    return decode


def _inline(i: int, base: TypeEngine[Any], type_: TypeEngine[Any]) -> list[str] | None:
    """`fast_decoder`'s lines converting a present value `v{i}` in place without calling its
    decoder, for the commonest kinds (dates, times, JSON); anything that does not pass goes
    to `decode_row`, which raises the precise error. None: call the column's decoder."""
    slow = ["    return slow(entity, raw)"]
    if isinstance(base, DateTime):
        aware = isinstance(type_, UTCDateTime) or bool(base.timezone)
        return [f"if type(v{i}) is not str:", *slow, "try:",
                f"    v{i} = datetime_iso(v{i})", "except ValueError:", *slow,
                f"if v{i}.tzinfo is {'' if aware else 'not '}None:", *slow]
    if isinstance(base, Date):
        return [f"if type(v{i}) is not str or len(v{i}) != 10:", *slow, "try:",
                f"    v{i} = date_iso(v{i})", "except ValueError:", *slow]
    if isinstance(base, JSON):
        return ["pass"]  # any JSON value, as read
    return None


_FAST: dict[str, Callable[[Any], dict[str, Any]]] = {}
_IDS: dict[str, uuid.UUID] = {}


def forget_ids() -> None:
    """Empty the parsed-id memo of `fast_decoder` (after each bundle: it only saves time
    within one)."""
    _IDS.clear()
