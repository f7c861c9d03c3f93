"""Choosing and writing the records of one export (consent, watermarks, pseudonymisation).

Incremental: rows whose `change_seq` is in (since, until], where `since` is the last
acknowledged watermark and `until` the device's counter read in the same snapshot. A client
whose whole record the centre has not acknowledged yet (consent given later, or never sent)
goes whole. Deleted rows travel as tombstones in `deleted.ndjson`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from sqlalchemy import Connection, Select, String, Text, and_, literal_column, or_, select, text

from wellbeing_desktop.storage.models.clients import Client
from wellbeing_desktop.storage.models.sync import ExportLog, ExportSubject, SentClient
from wellbeing_desktop.sync.bundle import (
    DELETED,
    DELETED_ENTITY,
    WITHDRAWALS,
    WITHDRAWALS_ENTITY,
    BundleWriter,
)
from wellbeing_desktop.sync.schema import CLIENTS, Entity, encode_default, entities, sqlite_json

BATCH = 2000
Progress = Callable[[int, str], None]

# Direct identifiers blanked in pseudonymised exports (docs/sync-format.md).
CLIENT_BLANK = ("given_name", "family_name", "preferred_name", "address", "phone", "email",
                "contact_preferences", "communication_notes", "search_name", "consent_share_with")
_OUTWARD = re.compile(r"^\s*([A-Za-z]{1,2}[0-9][A-Za-z0-9]?)")


@dataclass(frozen=True)
class Plan:
    since: int
    until: int
    full: bool
    pseudonymised: bool


@dataclass(frozen=True)
class Written:
    counts: dict[str, int]
    tombstones: int
    fresh_clients: list[uuid.UUID]
    subjects: set[uuid.UUID] = field(default_factory=set)  # clients whose records went
    withdrawn: list[uuid.UUID] = field(default_factory=list)  # withdrawal notices that went

    @property
    def records(self) -> int:
        return sum(self.counts.values())


def current_seq(conn: Connection) -> int:
    return int(conn.execute(text("SELECT change_seq FROM device_state WHERE id = 1")).scalar_one())


def _consenting() -> Select[Any]:
    return select(Client.id).where(Client.consent_central_records.is_(True))


def _fresh(plan: Plan) -> Select[Any]:
    """Consenting clients whose whole record the centre has not acknowledged."""
    return _consenting().where(Client.id.not_in(select(SentClient.client_id)))


def _where(entity: Entity, plan: Plan) -> Any:
    t = entity.table
    changed = and_(t.c.change_seq > plan.since, t.c.change_seq <= plan.until) if not plan.full \
        else t.c.change_seq <= plan.until
    if entity.name == CLIENTS:
        return and_(t.c.id.in_(_consenting()),
                    or_(changed, and_(t.c.change_seq <= plan.until, t.c.id.in_(_fresh(plan)))))
    if entity.has_client:
        return and_(t.c.client_id.in_(_consenting()),
                    or_(changed, and_(t.c.change_seq <= plan.until,
                                      t.c.client_id.in_(_fresh(plan)))))
    return changed


def _pseudonymiser(entity: Entity) -> Callable[[dict[str, Any]], None] | None:
    if entity.name == CLIENTS:
        def client(row: dict[str, Any]) -> None:
            for name in CLIENT_BLANK:
                if name in row:
                    row[name] = ""
            row["nhs_number"] = None
            dob = row.get("date_of_birth")
            if isinstance(dob, date):
                row["date_of_birth"] = date(dob.year, 1, 1)
            elif isinstance(dob, str) and len(dob) >= 4:
                row["date_of_birth"] = f"{dob[:4]}-01-01"
            match = _OUTWARD.match(row.get("postcode") or "")
            row["postcode"] = match.group(1).upper() if match else ""
        return client
    if entity.has_client:
        free_text = [c.name for c in entity.table.columns if isinstance(c.type, Text)]
        if not free_text:
            return None

        def notes(row: dict[str, Any]) -> None:
            for name in free_text:
                if row.get(name) is not None:
                    row[name] = ""
        return notes
    return None


def count_pending(conn: Connection, plan: Plan) -> dict[str, int]:
    from sqlalchemy import func

    out: dict[str, int] = {}
    for entity in entities():
        n = conn.execute(select(func.count()).select_from(entity.table)
                         .where(_where(entity, plan))).scalar_one()
        if n:
            out[entity.name] = int(n)
    return out


def write_records(conn: Connection, writer: BundleWriter, plan: Plan,
                  progress: Progress | None = None,
                  cancelled: Callable[[], bool] = lambda: False) -> Written:
    counts: dict[str, int] = {}
    tombstones: list[bytes] = []
    subjects: set[uuid.UUID] = set()
    todo = entities()
    raw = conn.dialect.name == "sqlite"
    for number, entity in enumerate(todo):
        if progress:
            progress(int(95 * number / len(todo)), f"Exporting {entity.name.replace('_', ' ')}…")
        if cancelled():
            raise InterruptedError("export cancelled")
        lines_of = _json_lines if raw and not plan.pseudonymised else _typed_lines
        stream = None
        for lines, stones in lines_of(conn, entity, plan, subjects):
            tombstones.extend(stones)
            if lines:
                if stream is None:
                    stream = writer.member(f"{entity.name}.ndjson", entity.name)
                stream.write_lines(lines)
            if cancelled():
                raise InterruptedError("export cancelled")
        if stream is not None:
            writer.close_member()
            counts[entity.name] = stream.member.count
    stream = writer.member(DELETED, DELETED_ENTITY)
    for start in range(0, len(tombstones), BATCH):
        stream.write_lines(tombstones[start:start + BATCH])
    writer.close_member()
    notices = withdrawals(conn, plan)
    if notices:
        stream = writer.member(WITHDRAWALS, WITHDRAWALS_ENTITY)
        stream.write_lines([orjson.dumps(n, default=encode_default) for n in notices])
        writer.close_member()
    fresh: list[uuid.UUID] = list(conn.execute(_fresh(plan)).scalars()) if not plan.pseudonymised \
        else []
    return Written(counts, len(tombstones), fresh, subjects,
                   [uuid.UUID(n["client_id"]) for n in notices])


def withdrawals(conn: Connection, plan: Plan) -> list[dict[str, Any]]:
    """Withdrawal notices this export carries: clients who do not consent now, whose records
    went in an earlier export of the same kind (identifiable or pseudonymised), unless an
    acknowledged export of that kind carried their notice after their records last went.
    Each notice holds the key of the client's record now (docs/sync-format.md §7a)."""
    t = Client.__table__
    found = conn.execute(
        select(ExportSubject.client_id, ExportSubject.kind, ExportLog.created_at,
               ExportLog.acknowledged).join(ExportLog, ExportLog.id == ExportSubject.export_id)
        .where(ExportLog.pseudonymised.is_(plan.pseudonymised),
               ExportSubject.client_id.in_(select(t.c.id).where(
                   t.c.consent_central_records.is_(False))))).all()
    last_data: dict[uuid.UUID, Any] = {}
    last_notice: dict[uuid.UUID, Any] = {}
    for cid, kind, when, acknowledged in found:
        if kind == "data":
            last_data[cid] = max(when, last_data.get(cid, when))
        elif acknowledged:
            last_notice[cid] = max(when, last_notice.get(cid, when))
    due = sorted(cid for cid, when in last_data.items()
                 if cid not in last_notice or last_notice[cid] < when)
    out: list[dict[str, Any]] = []
    for start in range(0, len(due), BATCH):
        part = due[start:start + BATCH]
        for cid, version, updated_at, origin in conn.execute(
                select(t.c.id, t.c.version, t.c.updated_at, t.c.origin_device)
                .where(t.c.id.in_(part)).order_by(t.c.id)):
            out.append({"client_id": cid.hex, "version": version,
                        "updated_at": updated_at.isoformat(), "origin_device": origin})
    return out


Lines = Iterator[tuple[list[bytes], list[bytes]]]  # (record lines, tombstone lines) per batch


def _subject_column(entity: Entity) -> str | None:
    """The column naming the client a record is about (None: it is about no client)."""
    return "id" if entity.name == CLIENTS else "client_id" if entity.has_client else None


def _json_lines(conn: Connection, entity: Entity, plan: Plan, subjects: set[uuid.UUID]) -> Lines:
    """SQLite writes each line itself (json_object): the export's hot loop stays in C."""
    expr = sqlite_json(entity)
    if expr is None:
        yield from _typed_lines(conn, entity, plan, subjects)
        return
    t = entity.table
    who = _subject_column(entity)
    stmt = select(t.c.deleted_at.is_(None), literal_column(expr, type_=String()),
                  t.c[who] if who else literal_column("NULL")).where(
        _where(entity, plan)).order_by(t.c.change_seq)
    head = b'{"entity":' + orjson.dumps(entity.name) + b',"record":'
    result = conn.execution_options(yield_per=BATCH).execute(stmt)
    for part in result.partitions(BATCH):
        lines: list[bytes] = []
        stones: list[bytes] = []
        for live, line, subject in part:
            if subject is not None:
                subjects.add(subject)
            if live:
                lines.append(line.encode("utf-8"))
            else:
                stones.append(head + line.encode("utf-8") + b"}")
        yield lines, stones


def _typed_lines(conn: Connection, entity: Entity, plan: Plan, subjects: set[uuid.UUID]) -> Lines:
    """Typed values serialised by orjson (pseudonymised exports, other databases)."""
    names = entity.columns
    who = _subject_column(entity)
    scrub = _pseudonymiser(entity) if plan.pseudonymised else None
    stmt = select(entity.table).where(_where(entity, plan)).order_by(entity.table.c.change_seq)
    result = conn.execution_options(yield_per=BATCH).execute(stmt)
    for part in result.partitions(BATCH):
        lines: list[bytes] = []
        stones: list[bytes] = []
        for found in part:
            row = dict(zip(names, found, strict=True))
            if who is not None and row[who] is not None:
                subjects.add(row[who])
            if scrub is not None:
                scrub(row)
            if row["deleted_at"] is not None:
                stones.append(orjson.dumps({"entity": entity.name, "record": row},
                                           default=encode_default))
            else:
                lines.append(orjson.dumps(row, default=encode_default))
        yield lines, stones
