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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Date, Float, Table, func, select, update

from wellbeing_desktop.domain.needs import DOMAIN_CODES, domain_label
from wellbeing_desktop.oruk import schema
from wellbeing_desktop.oruk.documents import assemble, content_hash, derive
from wellbeing_desktop.oruk.reader import Feed, Rec
from wellbeing_desktop.oruk.validate import Problem, check_records, check_references
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

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "updated": len(self.updated),
                "unchanged": len(self.unchanged), "withdrawn": len(self.withdrawn),
                "skipped": len(self.skipped)}


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
    bad = _records_of(feed, problems)
    while True:
        services = _owning_services(feed, bad)
        bad |= _records_owned_by(feed, services)
        more = check_references(feed, known, skip=[r for t in feed.tables.values()
                                                    for r in t if id(r) in bad])
        new = _records_of(feed, more) - bad
        if not new:
            break
        skipped += more
        bad |= new
    for table in feed.tables:
        feed.tables[table] = [r for r in feed.tables[table] if id(r) not in bad]
    for sid in services:
        skipped.append(Problem(feed.source, "service", sid, "",
                               "service skipped because of the problems above"))
    if not feed.tables["service"] and not any(feed.tables.values()):
        raise ImportRejected(skipped)
    return skipped


def _records_of(feed: Feed, problems: Iterable[Problem]) -> set[int]:
    wanted = {(p.table, p.where) for p in problems}
    return {id(r) for t, recs in feed.tables.items() for r in recs if (t, r.where) in wanted}


def _owning_services(feed: Feed, bad: set[int]) -> set[str]:
    """ORUK ids of the services that include any bad record."""
    t = feed.tables
    sal_by_loc: dict[str, set[str]] = defaultdict(set)
    for r in t["service_at_location"]:
        sal_by_loc[str(r.data.get("location_id"))].add(str(r.data.get("service_id")))
    by_org: dict[str, set[str]] = defaultdict(set)
    for r in t["service"]:
        by_org[str(r.data.get("organization_id"))].add(r.oruk_id)
    contact_service = {r.oruk_id: str(r.data.get("service_id")) for r in t["contact"]}
    term_services: dict[str, set[str]] = defaultdict(set)
    for r in t["attribute"]:
        term_services[str(r.data.get("taxonomy_term_id"))].add(str(r.data.get("link_id")))
    out: set[str] = set()
    for table, recs in t.items():
        for r in recs:
            if id(r) not in bad:
                continue
            d = r.data
            if table == "service":
                out.add(r.oruk_id)
            elif table in ("location",):
                out |= sal_by_loc.get(r.oruk_id, set())
            elif table in ("address", "accessibility"):
                out |= sal_by_loc.get(str(d.get("location_id")), set())
            elif table == "organization":
                out |= by_org.get(r.oruk_id, set())
            elif table == "organization_identifier":
                out |= by_org.get(str(d.get("organization_id")), set())
            elif table == "taxonomy_term":
                out |= term_services.get(r.oruk_id, set())
            elif table == "attribute":
                out.add(str(d.get("link_id")))
            elif table == "phone":
                if d.get("service_id"):
                    out.add(str(d["service_id"]))
                out.add(contact_service.get(str(d.get("contact_id")), ""))
            elif d.get("service_id"):
                out.add(str(d["service_id"]))
    out.discard("")
    return out & {r.oruk_id for r in t["service"]}


def _records_owned_by(feed: Feed, services: set[str]) -> set[int]:
    t = feed.tables
    owned = {id(r) for r in t["service"] if r.oruk_id in services}
    contacts = set()
    for table in ("service_at_location", "contact", "schedule", "service_area", "language",
                  "cost_option", "funding", "phone"):
        for r in t[table]:
            if r.data.get("service_id") in services:
                owned.add(id(r))
                if table == "contact":
                    contacts.add(r.oruk_id)
    owned |= {id(r) for r in t["phone"] if r.data.get("contact_id") in contacts}
    owned |= {id(r) for r in t["attribute"] if r.data.get("link_id") in services}
    return owned


# ------------------------------------------------------------------------------------- writing

class _Writer:
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
        keys = [r["oruk_id"] for r in rows]
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
        ids = self.id_map(table)
        if inserts:
            seq = reserve_sequence(self.conn, len(inserts))
            for r in inserts:
                r.update(created_at=self.now, updated_at=self.now, version=1,
                         origin_device=self.device, change_seq=seq, deleted_at=None)
                seq += 1
                ids[r["oruk_id"]] = r["id"]
            self.conn.execute(t.insert(), inserts)
        if updates:
            seq = reserve_sequence(self.conn, len(updates))
            for row_id, r in updates:
                values = {c: r[c] for c in cols}
                self.conn.execute(update(t).where(t.c.id == row_id).values(
                    **values, deleted_at=None, version=t.c.version + 1, updated_at=self.now,
                    origin_device=self.device, change_seq=seq))
                seq += 1

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


def _convert(table: str, data: dict[str, Any], writer: _Writer) -> dict[str, Any]:
    t: Table = MODELS[table].__table__
    out: dict[str, Any] = {"oruk_id": data["id"]}
    for name in schema.fields(table):
        column = COLUMN_NAMES.get((table, name), name)
        if name == "id" or column not in t.c:
            continue
        value = data.get(name)
        target = UUID_REFS.get((table, name))
        if target is not None:
            out[name] = writer.id_map(target).get(value) if value is not None else None
            continue
        column_type = t.c[column].type
        if value is not None and isinstance(column_type, Date):
            value = date.fromisoformat(value)
        elif value is not None and isinstance(column_type, Float):
            value = float(value)
        out[column] = value
    return out


def apply(conn: Connection, feed: Feed, *, dry_run: bool = False) -> ImportReport:
    """Write a checked feed (see `check`). The caller owns the transaction."""
    report = ImportReport(feed.source, feed.full, dry_run, records=feed.record_count)
    writer = _Writer(conn)
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
    _remove_dropped_children(writer, feed, changed_services)
    if feed.full:
        listed = set(docs)
        gone = [(row.oruk_id, row.id) for row in current.values()
                if row.oruk_id not in listed and row.withdrawn_at is None
                and row.deleted_at is None]
        if gone:
            seq = reserve_sequence(conn, len(gone))
            names = dict(conn.execute(select(svc_table.c.id, svc_table.c.name).where(
                svc_table.c.id.in_([g[1] for g in gone]))).all())
            for oruk_id, row_id in gone:
                conn.execute(update(svc_table).where(svc_table.c.id == row_id).values(
                    withdrawn_at=writer.now, version=svc_table.c.version + 1,
                    updated_at=writer.now, origin_device=writer.device, change_seq=seq))
                seq += 1
                report.withdrawn.append((oruk_id, names.get(row_id, "")))
    return report


def _owner(table: str, rec: Rec, contact_owner: dict[str, str]) -> str:
    """The ORUK id of the service a child record belongs to."""
    d = rec.data
    if table == "attribute":
        return str(d.get("link_id"))
    if table == "phone" and not d.get("service_id"):
        return contact_owner.get(str(d.get("contact_id")), "")
    return str(d.get("service_id"))


def _contact_services(writer: _Writer) -> dict[uuid.UUID, uuid.UUID]:
    t = m.DirContact.__table__
    return {cid: sid for cid, sid in writer.conn.execute(
        select(t.c.id, t.c.service_id).where(t.c.service_id.is_not(None)))}


def _write_services(writer: _Writer, feed: Feed, docs: dict[str, dict[str, Any]],
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
        derived = derive(doc, " ".join(domain_label(c) for c in needs.split()))
        row.update(
            extra_json=orjson.dumps({"funding": funding[sid]} if funding.get(sid) else {})
            .decode(),
            content_hash=digest,
            withdrawn_at=None,
            search_terms=derived.search_terms,
            free_of_charge=derived.free_of_charge,
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


def _remove_dropped_children(writer: _Writer, feed: Feed, services: set[str]) -> None:
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
