"""Shared state and the fast Core insert helper for demo-data generators."""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table

from wellbeing_desktop.storage.changes import reserve_sequence

Progress = Callable[[int, str], None]

_new_object = object.__new__
_set_attr = object.__setattr__
# RFC 4122 version 4: the version nibble is 4 and the variant bits are 10.
_VERSION_BITS = ~((0xF000 << 64) | (0xC000 << 48))
_VERSION_4 = (4 << 76) | (0x8000 << 48)


@dataclass
class DemoContext:
    conn: Connection
    rng: random.Random
    device_id: str
    today: date
    clients: int
    services: int
    large: bool
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    practitioner_ids: list[uuid.UUID] = field(default_factory=list)
    client_ids: list[uuid.UUID] = field(default_factory=list)
    referral_ids: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # client -> referral
    client_stage: dict[uuid.UUID, str] = field(default_factory=dict)
    service_ids: list[uuid.UUID] = field(default_factory=list)
    # Anything a later generator needs from an earlier one.
    extra: dict[str, Any] = field(default_factory=dict)

    _random: bytes = field(default=b"", init=False, repr=False)
    _used: int = field(default=0, init=False, repr=False)

    def uuid(self) -> uuid.UUID:
        """A random (version 4) id, as `uuid.uuid4()` makes, about three times as quickly:
        the random bytes are read from the system 4,096 ids at a time and the object is made
        without `UUID.__init__`'s checks (half a million ids for the 50,000-client set).
        Content follows the seed; ids never repeat, so demo data can be added twice."""
        if self._used >= len(self._random):
            self._random, self._used = os.urandom(16 * 4096), 0
        number = int.from_bytes(self._random[self._used:self._used + 16])
        self._used += 16
        made: uuid.UUID = _new_object(uuid.UUID)
        _set_attr(made, "int", (number & _VERSION_BITS) | _VERSION_4)
        _set_attr(made, "is_safe", uuid.SafeUUID.unknown)
        return made

    def insert(self, table: Table, rows: Iterable[dict[str, Any]]) -> int:
        """Insert synchronised rows with one executemany, filling the shared columns.

        The same rows and stored formats as `conn.execute(table.insert(), rows)` (each column's
        own bind processor converts its values, Python-side column defaults fill what a row
        leaves out), without SQLAlchemy's per-row parameter handling, and with the values that
        are the same on every row converted once: about twice as fast for the hundreds of
        thousands of rows of the 50,000-client data set (DESIGN §9).
        """
        batch = list(rows)
        if not batch:
            return 0
        shared = {"created_at": self.now, "updated_at": self.now, "version": 1,
                  "origin_device": self.device_id, "deleted_at": None}
        given = set().union(*(row.keys() for row in batch)) | {"id", "change_seq"}
        dialect = self.conn.dialect
        plan: list[tuple[str, Any, bool, Any]] = []  # name, processor, constant?, value
        for column in table.columns:
            process = column.type._cached_bind_processor(dialect)
            if column.name in shared and column.name not in given:
                value = shared[column.name]
                plan.append((column.name, None, True,
                             process(value) if process and value is not None else value))
            elif column.name in given:
                plan.append((column.name, process, False,
                             shared[column.name] if column.name in shared else _default(column)))
            elif column.default is not None:
                value = _default(column)
                plan.append((column.name, process, True,
                             process(value) if process and value is not None else value))
            # Otherwise the column is left to the database, as SQLAlchemy would.
        seq = reserve_sequence(self.conn, len(batch))
        values: list[tuple[Any, ...]] = []
        for number, row in enumerate(batch):
            row.setdefault("id", self.uuid())
            row["change_seq"] = seq + number
            out = []
            for name, process, constant, default in plan:
                if constant:
                    out.append(default)
                    continue
                value = row[name] if name in row else (
                    default() if callable(default) else default)
                out.append(process(value) if process is not None and value is not None else value)
            values.append(tuple(out))
        names = ", ".join(f'"{name}"' for name, *_ in plan)
        marks = ", ".join("?" for _ in plan)
        self.conn.exec_driver_sql(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', values)
        return len(batch)


def _default(column: Any) -> Any:
    """A column's Python-side default: a value, or a no-argument callable making one."""
    default = column.default
    if default is None:
        return None
    if default.is_scalar:
        return default.arg
    if default.is_callable:
        return lambda: default.arg(None)  # SQLAlchemy wraps callables to take a context
    return None
