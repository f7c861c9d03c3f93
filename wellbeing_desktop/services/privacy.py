"""Privacy rights (UK GDPR): subject access export, correction by amendment, supervisor-only
erasure leaving a tombstone, and a retention report."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import String, Table, Text, select, update
from sqlalchemy.orm import Session

from wellbeing_desktop.services import access, audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.context import Actor
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.storage.changes import reserve_sequence
from wellbeing_desktop.storage.models import AuditEvent, Base, Client
from wellbeing_desktop.storage.models.audit import Amendment
from wellbeing_desktop.storage.types import utcnow

# Columns an erasure keeps: keys and bookkeeping, so the tombstone still travels and merges.
_KEEP = {"id", "client_id", "origin_device", "version", "change_seq", "created_at",
         "updated_at", "deleted_at", "status"}
DEFAULT_RETENTION_YEARS = 20  # NHS Records Management Code: adult mental health records


def _client_tables() -> list[Table]:
    # Sync bookkeeping (ids only) is listed in its own, readable section instead.
    return [t for t in Base.metadata.sorted_tables
            if "client_id" in t.c and t.name not in ("audit_events",)
            and not t.name.startswith("sync_")]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def _match(table: Table, client_id: uuid.UUID) -> Any:
    col = table.c.client_id
    return col == (str(client_id) if isinstance(col.type, String) else client_id)


def _require_client(s: Session, client_id: uuid.UUID, actor: Actor | None = None) -> Client:
    if actor is not None:
        access.require_client(s, actor, client_id)
    client: Client | None = s.get(Client, client_id)
    if client is None:
        raise NotFound("There is no client with that id.")
    return client


@dataclass(frozen=True)
class SubjectAccess:
    json_bytes: bytes
    pdf_bytes: bytes
    file_stem: str  # identifiers only, for a default file name


def subject_access(ctx: AppContext, client_id: uuid.UUID) -> SubjectAccess:
    """Everything held about one client, as JSON (complete) and a readable PDF."""
    from wellbeing_desktop.packs.subject_access import SarSection, render

    permissions.require(ctx.actor, "privacy.subject_access")
    data: dict[str, Any] = {}
    with ctx.store.session() as s:
        client = _require_client(s, client_id, ctx.actor)
        row = s.execute(select(Client.__table__).where(Client.id == client_id)).mappings().one()
        data["client"] = {str(k): _plain(v) for k, v in row.items()}
        for table in _client_tables():
            rows = s.execute(select(table).where(_match(table, client_id))).mappings().all()
            data[table.name] = [{str(k): _plain(v) for k, v in r.items()} for r in rows]
        events = s.execute(select(AuditEvent).where(AuditEvent.client_id == str(client_id))
                           .order_by(AuditEvent.seq)).scalars().all()
        data["audit_events"] = [{"seq": e.seq, "at": e.at.isoformat(), "actor_id": e.actor_id,
                                 "action": e.action, "entity": e.entity,
                                 "entity_id": e.entity_id} for e in events]
        from wellbeing_desktop.services import sync

        data["central_records_exports"] = sync.exports_about(s, client_id)
        person = f"{client.preferred_name or client.given_name} {client.family_name}".strip()
        audit.record(s, ctx.actor, "subject_access_export", entity="client",
                     entity_id=client_id, client_id=client_id)
    produced = utcnow().astimezone().strftime("%A %d %B %Y")
    sections = [SarSection("Your details", [[(k, _text(v)) for k, v in data["client"].items()]])]
    for name, rows in data.items():
        if name in ("client", "central_records_exports") or not rows:
            continue
        title = name.replace("_", " ").capitalize()
        sections.append(SarSection(title, [[(k, _text(v)) for k, v in r.items()] for r in rows]))
    sections.append(SarSection("Sent to central records", [[
        ("Export", e["export_id"]), ("Made", _when(e["created_at"])),
        ("Kind", e["kind"]), ("Carried", e["carried"]),
        ("Pseudonymised", "yes" if e["pseudonymised"] else "no"),
        ("Received by the centre", _when(e["acknowledged_at"]) if e["acknowledged_by_centre"]
         else "not yet confirmed")] for e in data["central_records_exports"]]))
    payload = {"format": "wellbeing-subject-access/1", "client_id": str(client_id),
               "produced_at": utcnow().isoformat(), "data": data}
    return SubjectAccess(orjson.dumps(payload, default=str,
                                      option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS),
                         render(person, produced, sections), f"subject-access-{client_id}")


def _when(iso: str | None) -> str:
    if not iso:
        return ""
    return datetime.fromisoformat(iso).astimezone().strftime("%d %B %Y %H:%M")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass(frozen=True)
class AmendInput:
    client_id: uuid.UUID
    field: str
    new_value: str
    reason: str


AMENDABLE = ("given_name", "family_name", "preferred_name", "pronouns", "address", "postcode",
             "phone", "email", "gp_practice", "communication_notes", "contact_preferences")


FIELD_LABELS = {"given_name": "Given name", "family_name": "Family name",
                "preferred_name": "Preferred name", "pronouns": "Pronouns", "address": "Address",
                "postcode": "Postcode", "phone": "Phone", "email": "Email",
                "gp_practice": "GP practice", "communication_notes": "Communication notes",
                "contact_preferences": "Contact preferences"}


@dataclass(frozen=True)
class AmendmentRecord:
    at: datetime
    field: str
    old_value: str
    new_value: str
    reason: str
    by: str

    @property
    def field_label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field.replace("_", " ").capitalize())


@dataclass(frozen=True)
class PrivacyView:
    """What the client record's Privacy tab shows: the details that can be corrected, their
    current values, and every correction made so far (newest first)."""

    client_id: uuid.UUID
    current: dict[str, str]
    history: list[AmendmentRecord]
    last_name: str  # typed back to confirm an erasure


def privacy_view(ctx: AppContext, client_id: uuid.UUID) -> PrivacyView:
    """Current correctable details and the amendment history of one client (not audited as a
    view: opening the record already was)."""
    from wellbeing_desktop.storage.models import Practitioner

    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        client = _require_client(s, client_id, ctx.actor)
        if client.deleted_at is not None:
            raise NotFound("That client record was not found (it may have been erased).")
        current = {f: str(getattr(client, f) or "") for f in AMENDABLE}
        rows = s.execute(select(Amendment).where(Amendment.client_id == client_id,
                                                 Amendment.deleted_at.is_(None))
                         .order_by(Amendment.created_at.desc())).scalars().all()
        names = {str(pid): name for pid, name in s.execute(
            select(Practitioner.id, Practitioner.display_name)).all()}
        history = [AmendmentRecord(a.created_at, a.field_name, a.old_value, a.new_value,
                                   a.reason, names.get(a.amended_by, a.amended_by))
                   for a in rows]
        return PrivacyView(client_id, current, history, client.family_name or "")


def amend(ctx: AppContext, data: AmendInput) -> Changed:
    """Correct one detail of a client's record; the old value is kept in `amendments`."""
    permissions.require(ctx.actor, "client.edit")
    problems = []
    if data.field not in AMENDABLE:
        problems.append(FieldProblem("field", "This detail cannot be corrected here."))
    if not data.reason.strip():
        problems.append(FieldProblem("reason", "Say why the record is being corrected."))
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        client = _require_client(s, data.client_id, ctx.actor)
        if client.deleted_at is not None:
            raise NotFound("That client record was not found (it may have been erased).")
        old = str(getattr(client, data.field) or "")
        if old == data.new_value:
            raise ValidationError([FieldProblem("new_value", "That is what the record says now.")])
        setattr(client, data.field, data.new_value)
        if data.field in ("given_name", "family_name", "preferred_name"):
            from wellbeing_desktop.domain.text import fold

            client.search_name = fold(f"{client.family_name} {client.given_name}")
        s.add(Amendment(client_id=data.client_id, entity="client", record_id=str(client.id),
                        field_name=data.field, old_value=old, new_value=data.new_value,
                        reason=data.reason.strip(), amended_by=ctx.actor.audit_id))
        audit.record(s, ctx.actor, "amend", entity="client", entity_id=client.id,
                     client_id=client.id, detail=data.field)
    return Changed.of("client", "amendment", ids=(str(data.client_id),))


def erase(ctx: AppContext, client_id: uuid.UUID, reason: str) -> Changed:
    """Erase a client (supervisors only): every personal field is blanked and every record
    soft-deleted, so a tombstone (ids, no content) travels to central records. The audit
    log keeps identifiers only and is not changed."""
    permissions.require(ctx.actor, "client.erase")
    if not reason.strip():
        raise ValidationError([FieldProblem("reason", "Record why the client is being erased.")])
    now = utcnow()
    with ctx.store.session() as s:
        _require_client(s, client_id)
        conn = s.connection()
        tables = [Client.__table__, *_client_tables()]
        for table in tables:
            assert isinstance(table, Table)
            where = (table.c.id == client_id) if table is Client.__table__ else _match(table, client_id)
            ids = [r[0] for r in conn.execute(select(table.c[_pk(table)]).where(where))]
            if not ids:
                continue
            values: dict[str, Any] = {}
            for col in table.c:
                if col.name in _KEEP or col.name.endswith("_id") or col.primary_key:
                    continue
                if isinstance(col.type, String | Text):
                    values[col.name] = None if col.nullable else ""
                elif col.nullable and not isinstance(col.type, String | Text):
                    values[col.name] = None
            if "deleted_at" in table.c:
                values["deleted_at"] = now
                values["updated_at"] = now
            if "change_seq" in table.c:
                first = reserve_sequence(conn, len(ids))
                for offset, rid in enumerate(ids):
                    extra = {"change_seq": first + offset, "version": table.c.version + 1}
                    conn.execute(update(table).where(table.c[_pk(table)] == rid)
                                 .values(**values, **extra))
            elif values:
                conn.execute(update(table).where(where).values(**values))
        audit.record(s, ctx.actor, "erase", entity="client", entity_id=client_id,
                     client_id=client_id)
    return Changed.of("client", ids=(str(client_id),))


def _pk(table: Table) -> str:
    return next(iter(table.primary_key.columns)).name


@dataclass(frozen=True)
class RetentionItem:
    client_id: uuid.UUID
    status: str
    last_activity: datetime


def retention_report(ctx: AppContext, *, years: int | None = None,
                     today: datetime | None = None) -> list[RetentionItem]:
    """Clients (not erased) with no change to any of their records for `years` years."""
    permissions.require(ctx.actor, "privacy.subject_access")
    years = years or int(ctx.settings.section("security").get("retention_years")
                         or DEFAULT_RETENTION_YEARS)
    cutoff = (today or utcnow()) - timedelta(days=round(365.25 * years))
    latest: dict[uuid.UUID, datetime] = {}
    with ctx.store.read() as s:
        clients = s.execute(select(Client.id, Client.status, Client.updated_at)
                            .where(Client.deleted_at.is_(None))).all()
        for cid, _status, updated in clients:
            latest[cid] = updated
        for table in _client_tables():
            if "updated_at" not in table.c:
                continue
            for cid, updated in s.execute(select(table.c.client_id, table.c.updated_at)):
                key = cid if isinstance(cid, uuid.UUID) else uuid.UUID(str(cid))
                if key in latest and updated is not None and updated > latest[key]:
                    latest[key] = updated
    status = {cid: st for cid, st, _ in clients}
    return sorted((RetentionItem(cid, status[cid], when) for cid, when in latest.items()
                   if when < cutoff), key=lambda i: i.last_activity)
