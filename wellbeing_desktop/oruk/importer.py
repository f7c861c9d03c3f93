"""Write a checked feed into the store, in the caller's transaction.

Matching is by ORUK id: a re-import updates and never duplicates, local-only fields are left
alone (unless the feed is our own export carrying them), child records a service no longer lists
are soft-deleted, and services a *full* feed no longer lists are marked withdrawn (never
deleted: signposting history still points at them). Works on a SQLAlchemy `Connection`, so the
service layer decides the transaction (and a dry run is the same code, rolled back).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import orjson
from sqlalchemy import Connection, Date, Float, Table, func, select, update

from wellbeing_desktop.domain.costs import CostState
from wellbeing_desktop.domain.markup import clean_text
from wellbeing_desktop.domain.needs import DOMAIN_CODES, domain_label
from wellbeing_desktop.oruk import schema, sources
from wellbeing_desktop.oruk.documents import assemble, content_hash, cost_of, derive
from wellbeing_desktop.oruk.reader import Feed, Rec
from wellbeing_desktop.oruk.skipping import owning_services, records_of, records_owned_by
from wellbeing_desktop.oruk.validate import Problem, check_records, check_references
from wellbeing_desktop.oruk.writer import COLUMN_NAMES, MODELS, UUID_REFS, Writer
from wellbeing_desktop.storage.models import directory as m

# Child tables that belong to one service: rows it no longer lists are soft-deleted.
SERVICE_CHILDREN = ("service_at_location", "contact", "phone", "schedule", "service_area",
                    "language", "cost_option", "attribute")
LOCAL_FIELDS = ("needs", "self_referral", "how_to_refer", "practitioner_notes", "favourite",
                "reported_wrong", "reported_wrong_reason", "reported_wrong_on", "verified_on",
                "verified_by")


class ImportRejected(Exception):
    """The feed has problems; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(problems[0].text if problems else "the feed was rejected")


@dataclass
class ImportReport:
    source: str
    full_feed: bool
    dry_run: bool = False
    added: list[tuple[str, str]] = field(default_factory=list)  # (ORUK id, name)
    updated: list[tuple[str, str]] = field(default_factory=list)
    unchanged: list[tuple[str, str]] = field(default_factory=list)
    withdrawn: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    records: int = 0
    feed_name: str = ""
    warnings: list[Problem] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "updated": len(self.updated),
                "unchanged": len(self.unchanged), "withdrawn": len(self.withdrawn),
                "skipped": len(self.skipped), "warnings": len(self.warnings)}


def default_feed_name(source: str) -> str:
    """A feed is named for its file unless the user names it: re-importing the same file name
    updates that feed; a differently named file is another feed (and withdraws nothing of this
    one)."""
    name = source.rsplit("/", 1)[-1]
    for ext in (".json", ".zip", ".csv"):
        if name.casefold().endswith(ext):
            return name[: -len(ext)] or name
    return name


def known_ids(conn: Connection) -> Callable[[str], set[str]]:
    def known(table: str) -> set[str]:
        model = MODELS.get(table)
        if model is None:
            return set()
        t = model.__table__
        return set(conn.execute(select(t.c.oruk_id).where(t.c.deleted_at.is_(None))).scalars())
    return known


def check(conn: Connection, feed: Feed, *, skip_invalid: bool) -> list[Problem]:
    """Validate; raise `ImportRejected`, or with `skip_invalid` drop what is bad and return why."""
    problems = check_records(feed)
    known = known_ids(conn)
    problems += check_references(feed, known)
    if not problems:
        return []
    if not skip_invalid:
        raise ImportRejected(problems)
    skipped = list(problems)
    bad = records_of(feed, problems)
    while True:
        services = owning_services(feed, bad)
        bad |= records_owned_by(feed, services)
        more = check_references(feed, known, skip=[r for t in feed.tables.values()
                                                    for r in t if id(r) in bad])
        new = records_of(feed, more) - bad
        if not new:
            break
        skipped += more
        bad |= new
    for table in feed.tables:
        feed.tables[table] = [r for r in feed.tables[table] if id(r) not in bad]
    for sid in services:
        skipped.append(Problem(feed.source, "service", sid, "",
                               "service skipped because of the problems above"))
    feed.skipped_services |= services
    if not feed.tables["service"] and not any(feed.tables.values()):
        raise ImportRejected(skipped)
    return skipped


@cache
def _plan(table: str) -> tuple[tuple[str, str, str | None, str], ...]:
    """(ORUK field, column, referenced table or None, "date"/"float"/"") for each stored field:
    worked out once per table, as `_convert` runs for every record of a feed."""
    t: Table = MODELS[table].__table__
    out = []
    for name in schema.fields(table):
        column = COLUMN_NAMES.get((table, name), name)
        if name == "id" or column not in t.c:
            continue
        target = UUID_REFS.get((table, name))
        kind = t.c[column].type
        out.append((name, name if target else column, target,
                    "date" if isinstance(kind, Date) else "float" if isinstance(kind, Float)
                    else ""))
    return tuple(out)


@cache
def _plan_by_name(table: str) -> tuple[dict[str, None], dict[str, tuple[str, str | None, str]]]:
    """(every stored column, empty; ORUK field → (column, referenced table, kind))."""
    plan = _plan(table)
    return ({column: None for _, column, _, _ in plan},
            {name: (column, target, kind) for name, column, target, kind in plan})


def _convert(table: str, data: dict[str, Any], writer: Writer) -> dict[str, Any]:
    # Every row of a table has every column (one bulk insert); only the fields the record
    # gives are looked at (a record gives a third of them).
    blank, by_name = _plan_by_name(table)
    out: dict[str, Any] = {"oruk_id": data["id"], **blank}
    for name, value in data.items():
        if value is None:
            continue
        plan = by_name.get(name)
        if plan is None:
            continue
        column, target, kind = plan
        if target is not None:
            value = writer.id_map(target).get(value)
        elif kind == "date":
            value = date.fromisoformat(value)
        elif kind == "float":
            value = float(value)
        out[column] = value
    return out


def apply(conn: Connection, feed: Feed, *, feed_name: str = "", dry_run: bool = False
          ) -> ImportReport:
    """Write a checked feed (see `check`) as the named feed (default: the file's name without
    its extension). The caller owns the transaction."""
    report = ImportReport(feed.source, feed.full, dry_run, records=feed.record_count,
                          feed_name=feed_name or default_feed_name(feed.source))
    writer = Writer(conn)
    tables = {name: [r.data for r in recs] for name, recs in feed.tables.items()}
    docs = {d["id"]: d for d in assemble(tables)}
    svc_table: Table = m.DirService.__table__  # type: ignore[assignment]
    current = {row.oruk_id: row for row in conn.execute(select(
        svc_table.c.oruk_id, svc_table.c.id, svc_table.c.content_hash, svc_table.c.needs,
        svc_table.c.withdrawn_at, svc_table.c.deleted_at))}
    changed_services: set[str] = set()
    contact_owner = {c.oruk_id: str(c.data.get("service_id")) for c in feed.tables["contact"]}
    for table in schema.TABLES:
        if table not in MODELS or table == "service":
            if table == "service":
                _write_services(writer, feed, docs, current, report, changed_services)
            continue
        recs: list[Rec] = feed.tables[table]
        if table in SERVICE_CHILDREN:
            recs = [r for r in recs if (o := _owner(table, r, contact_owner)) not in current
                    or o in changed_services]
        rows = [_convert(table, r.data, writer) for r in recs]
        if table == "attribute":
            services = writer.id_map("service")
            for row, rec in zip(rows, recs, strict=True):
                row["link_id"] = rec.data.get("link_id")
                row["service_id"] = services.get(str(rec.data.get("link_id")))
        if table == "phone":
            contact_service = _contact_services(writer)
            for row in rows:
                if row.get("service_id") is None and row.get("contact_id") is not None:
                    row["service_id"] = contact_service.get(row["contact_id"])
        writer.upsert(table, rows)
    # Only services the store held before can have children the feed no longer lists.
    _remove_dropped_children(writer, feed, changed_services & set(current))
    _record_sources(writer, feed, report)
    return report


def _owner(table: str, rec: Rec, contact_owner: dict[str, str]) -> str:
    """The ORUK id of the service a child record belongs to."""
    d = rec.data
    if table == "attribute":
        return str(d.get("link_id"))
    if table == "phone" and not d.get("service_id"):
        return contact_owner.get(str(d.get("contact_id")), "")
    return str(d.get("service_id"))


def _contact_services(writer: Writer) -> dict[uuid.UUID, uuid.UUID]:
    t = m.DirContact.__table__
    return {cid: sid for cid, sid in writer.conn.execute(
        select(t.c.id, t.c.service_id).where(t.c.service_id.is_not(None)))}


def _write_services(writer: Writer, feed: Feed, docs: dict[str, dict[str, Any]],
                    current: dict[str, Any], report: ImportReport,
                    changed: set[str]) -> None:
    t = m.DirService.__table__
    next_key = int(writer.conn.execute(select(func.coalesce(func.max(t.c.search_key), 0)))
                   .scalar_one()) + 1
    funding: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for doc in docs.values():
        if doc.get("funding"):
            funding[doc["id"]] = doc["funding"]
    rows: list[dict[str, Any]] = []
    for rec in feed.tables["service"]:
        sid = rec.oruk_id
        doc = docs[sid]
        digest = content_hash(doc)
        old = current.get(sid)
        local = _local_values(feed.local.get(sid))
        needs = local.get("needs", old.needs if old is not None else "")
        if (old is not None and old.content_hash == digest and old.withdrawn_at is None
                and old.deleted_at is None and not local):
            report.unchanged.append((sid, str(rec.data.get("name"))))
            continue
        row = _convert("service", rec.data, writer)
        cost = cost_of(doc)
        derived = derive(doc, " ".join(domain_label(c) for c in needs.split()), cost)
        row.update(
            description_text=clean_text(rec.data.get("description")),
            cost_state=cost.state.value,
            extra_json=orjson.dumps({"funding": funding[sid]} if funding.get(sid) else {})
            .decode(),
            content_hash=digest,
            withdrawn_at=None,
            search_terms=derived.search_terms,
            free_of_charge=cost.state is CostState.FREE,
            in_person=derived.in_person,
            by_phone=derived.by_phone,
            online=derived.online,
            open_days=derived.open_days,
            languages=derived.languages,
            areas=derived.areas,
        )
        row.update(local)
        if old is None:
            row["search_key"] = next_key
            next_key += 1
            report.added.append((sid, str(rec.data.get("name"))))
        elif old.content_hash == digest and old.withdrawn_at is None and old.deleted_at is None:
            report.unchanged.append((sid, str(rec.data.get("name"))))
        else:
            report.updated.append((sid, str(rec.data.get("name"))))
        changed.add(sid)
        rows.append(row)
    # Rows differ in their keys (search_key on inserts, local fields): upsert in groups.
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[tuple(row)].append(row)
    for group in groups.values():
        writer.upsert("service", group)
    # Organisation identifiers travel in the organisation's extra_json.
    idents: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec in feed.tables["organization_identifier"]:
        data = {k: v for k, v in rec.data.items() if v is not None and k != "organization_id"}
        idents[str(rec.data.get("organization_id"))].append(data)
    org_table: Table = m.DirOrganization.__table__  # type: ignore[assignment]
    for org_id, items in idents.items():
        row_id = writer.id_map("organization").get(org_id)
        if row_id is not None:
            extra = orjson.dumps({"organization_identifiers": sorted(
                items, key=lambda i: str(i.get("id")))}).decode()
            writer.conn.execute(update(org_table).where(org_table.c.id == row_id,
                                                        org_table.c.extra_json != extra)
                                .values(extra_json=extra))


def _local_values(local: dict[str, Any] | None) -> dict[str, Any]:
    """Local-only fields from our own export (checked: bad values are ignored, never stored)."""
    if not local:
        return {}
    out: dict[str, Any] = {}
    needs = local.get("needs")
    if isinstance(needs, list):
        out["needs"] = " ".join(sorted(str(n) for n in needs if n in DOMAIN_CODES))
    for key in ("self_referral",):
        if local.get(key) is None or isinstance(local.get(key), bool):
            out[key] = local.get(key)
    for key in ("favourite", "reported_wrong"):
        out[key] = bool(local.get(key, False))
    for key in ("how_to_refer", "practitioner_notes", "reported_wrong_reason", "verified_by"):
        out[key] = str(local.get(key) or "")
    for key in ("reported_wrong_on", "verified_on"):
        value = local.get(key)
        try:
            out[key] = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            out[key] = None
    return out


def _remove_dropped_children(writer: Writer, feed: Feed, services: set[str]) -> None:
    """Soft-delete child rows of re-imported services that the feed no longer lists."""
    if not services:
        return
    service_ids = [writer.id_map("service")[s] for s in services if s in writer.id_map("service")]
    for table in SERVICE_CHILDREN:
        listed = {r.oruk_id for r in feed.tables[table]}
        t: Table = MODELS[table].__table__
        gone: list[uuid.UUID] = []
        for start in range(0, len(service_ids), 500):
            chunk = service_ids[start:start + 500]
            for row_id, oruk_id in writer.conn.execute(
                select(t.c.id, t.c.oruk_id).where(t.c.service_id.in_(chunk),
                                                  t.c.deleted_at.is_(None))
            ):
                if oruk_id not in listed:
                    gone.append(row_id)
        writer.soft_delete(table, gone)


def _record_sources(writer: Writer, feed: Feed, report: ImportReport) -> None:
    """The feed lists its services (the skipped ones too: the feed still lists them); a full
    feed withdraws, within itself only, what it no longer lists."""
    conn, now, device = writer.conn, writer.now, writer.device
    feed_id = sources.feed_for(conn, report.feed_name, device, now)
    services = writer.id_map("service")
    written = {services[r.oruk_id] for r in feed.tables["service"] if r.oruk_id in services}
    # A skipped service keeps whatever standing it had: not withdrawn for being skipped, and
    # not brought back either (its new details could not be read).
    skipped = {services[s] for s in feed.skipped_services if s in services}
    sources.mark_listed(conn, feed_id, written, device, now)
    if feed.full:
        report.withdrawn.extend(sources.withdraw_unlisted(conn, feed_id, written | skipped,
                                                          device, now))
    report.warnings = list(feed.warnings)
    sources.record_import(conn, feed_id, source_file=feed.source, full=feed.full,
                          counts={**report.counts(), "skipped": len(feed.skipped_services)},
                          warnings=[w.as_dict() for w in feed.warnings[:5000]],
                          device=device, now=now)
