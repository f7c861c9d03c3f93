"""Rows into the directory tables: upserts by ORUK id, soft deletes, bulk inserts.

Works on the caller's `Connection` (the service layer owns the transaction). Every written row
gets the shared columns (version, change sequence, origin device) as the sync export needs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, select, update

from wellbeing_desktop.storage.changes import device_id, reserve_sequence
from wellbeing_desktop.storage.models import directory as m

MODELS: dict[str, Any] = {
    "organization": m.DirOrganization,
    "taxonomy": m.DirTaxonomy,
    "taxonomy_term": m.DirTaxonomyTerm,
    "location": m.DirLocation,
    "address": m.DirAddress,
    "accessibility": m.DirAccessibility,
    "service": m.DirService,
    "service_at_location": m.DirServiceAtLocation,
    "contact": m.DirContact,
    "phone": m.DirPhone,
    "schedule": m.DirSchedule,
    "service_area": m.DirServiceArea,
    "language": m.DirLanguage,
    "cost_option": m.DirCostOption,
    "attribute": m.DirAttribute,
}
# Fields stored as our own UUID foreign keys: (table, field) → referenced table.
UUID_REFS: dict[tuple[str, str], str] = {
    ("service", "organization_id"): "organization",
    ("address", "location_id"): "location",
    ("accessibility", "location_id"): "location",
    ("service_at_location", "service_id"): "service",
    ("service_at_location", "location_id"): "location",
    ("contact", "service_id"): "service",
    ("phone", "contact_id"): "contact",
    ("phone", "service_id"): "service",
    ("schedule", "service_id"): "service",
    ("service_area", "service_id"): "service",
    ("language", "service_id"): "service",
    ("cost_option", "service_id"): "service",
    ("attribute", "taxonomy_term_id"): "taxonomy_term",
}
# ORUK fields whose column has another name (the shared `version` is our edit counter).
COLUMN_NAMES: dict[tuple[str, str], str] = {("taxonomy", "version"): "taxonomy_version"}

class Writer:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.device = device_id(conn)
        self.now = datetime.now(UTC)
        self.ids: dict[str, dict[str, uuid.UUID]] = {}

    def id_map(self, table: str) -> dict[str, uuid.UUID]:
        if table not in self.ids:
            t = MODELS[table].__table__
            self.ids[table] = dict(self.conn.execute(select(t.c.oruk_id, t.c.id)).all())
        return self.ids[table]

    def upsert(self, table: str, rows: list[dict[str, Any]],
               on_change: Callable[[str, str], None] | None = None) -> None:
        """Insert new rows, update changed ones (undeleting), leave equal ones alone."""
        if not rows:
            return
        t: Table = MODELS[table].__table__
        cols = [c for c in rows[0] if c != "oruk_id"]
        existing: dict[str, Any] = {}
        # Only rows the table already holds need their values read back (none, the first time).
        ids = self.id_map(table)
        keys = [r["oruk_id"] for r in rows if r["oruk_id"] in ids]
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            query = select(t.c.oruk_id, t.c.id, t.c.deleted_at,
                           *[t.c[c] for c in cols]).where(t.c.oruk_id.in_(chunk))
            for row in self.conn.execute(query):
                existing[row[0]] = row
        inserts, updates = [], []
        for r in rows:
            old = existing.get(r["oruk_id"])
            if old is None:
                r = dict(r)
                r["id"] = uuid.uuid4()
                inserts.append(r)
                if on_change:
                    on_change(r["oruk_id"], "added")
            elif old[2] is not None or any(old[3 + i] != r[c] for i, c in enumerate(cols)):
                updates.append((old[1], r))
                if on_change:
                    on_change(r["oruk_id"], "updated")
            elif on_change:
                on_change(r["oruk_id"], "unchanged")
        if inserts:
            seq = reserve_sequence(self.conn, len(inserts))
            for r in inserts:
                r.update(created_at=self.now, updated_at=self.now, version=1,
                         origin_device=self.device, change_seq=seq, deleted_at=None)
                seq += 1
                ids[r["oruk_id"]] = r["id"]
            self.insert(t, inserts)
        if updates:
            seq = reserve_sequence(self.conn, len(updates))
            for row_id, r in updates:
                values = {c: r[c] for c in cols}
                self.conn.execute(update(t).where(t.c.id == row_id).values(
                    **values, deleted_at=None, version=t.c.version + 1, updated_at=self.now,
                    origin_device=self.device, change_seq=seq))
                seq += 1

    def insert(self, t: Table, rows: list[dict[str, Any]]) -> None:
        bulk_insert(self.conn, t, rows)

    def soft_delete(self, table: str, row_ids: list[uuid.UUID]) -> None:
        if not row_ids:
            return
        t: Table = MODELS[table].__table__
        seq = reserve_sequence(self.conn, len(row_ids))
        for row_id in row_ids:
            self.conn.execute(update(t).where(t.c.id == row_id).values(
                deleted_at=self.now, version=t.c.version + 1, updated_at=self.now,
                origin_device=self.device, change_seq=seq))
            seq += 1


def bulk_insert(conn: Connection, t: Table, rows: list[dict[str, Any]]) -> None:
    """Many rows at once. On SQLite the values go through each column's own bind
    processor and one `executemany` (SQLAlchemy's per-row parameter handling was most of
    a 20,000-service import); elsewhere, a plain Core insert."""
    cols = list(rows[0])
    missing = [c for c in t.columns if c.name not in cols]
    if conn.dialect.name != "sqlite" or any(
            len(r) != len(cols) for r in rows) or any(
            c.default is not None and not c.default.is_scalar for c in missing):
        conn.execute(t.insert(), rows)
        return
    defaults = {c.name: getattr(c.default, "arg", None) for c in missing
                if c.default is not None}
    names = [*cols, *defaults]
    processors = [t.c[c].type._cached_bind_processor(conn.dialect) for c in names]
    extra = tuple(defaults.values())
    columns = [[r[c] for r in rows] for c in cols] + [[v] * len(rows) for v in extra]
    for i, process in enumerate(processors):
        if process is None:
            continue
        column = columns[i]
        first = column[0]
        if all(v is first for v in column):
            # The shared columns repeat one object (the import's time, this device):
            # processed once.
            columns[i] = [process(first)] * len(column)
        else:
            columns[i] = list(map(process, column))
    values = list(zip(*columns, strict=True))
    sql = (f'INSERT INTO "{t.name}" ({", ".join(f"{chr(34)}{n}{chr(34)}" for n in names)}) '
           f"VALUES ({', '.join('?' * len(names))})")
    conn.exec_driver_sql(sql, values)
