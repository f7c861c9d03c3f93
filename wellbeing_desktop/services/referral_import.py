"""Referral intake from a referrer's spreadsheet: preview (mapping, bad rows, possible
duplicates), then import all of it in one unit of work, or nothing.

`preview` writes nothing; `commit` re-reads the file, refuses if any row is bad (every bad row
named "row 4, DOB: …"), and creates the clients and their referrals (or adds a referral to the
existing client chosen for a possible duplicate) in one transaction. The mapping the user
confirmed is remembered per source name in settings (`intake.mappings`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from wellbeing_desktop.domain import casework as rules
from wellbeing_desktop.domain import nicknames
from wellbeing_desktop.domain import referral_sheet as sheet
from wellbeing_desktop.domain.sheet_values import cell_text
from wellbeing_desktop.domain.text import search_name
from wellbeing_desktop.services import audit, clients, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, FieldProblem, ValidationError
from wellbeing_desktop.services.spreadsheets import Table, read_table
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.clients import ReferralStatusChange

CLIENT_FIELDS = {f.name for f in fields(clients.ClientInput)}
SETTINGS_SECTION = "intake"


@dataclass(frozen=True)
class Match:
    client_id: uuid.UUID
    name: str
    reason: str                       # "same NHS number", "same date of birth and a similar name"


@dataclass(frozen=True)
class PreviewRow:
    number: int
    values: dict[str, Any]
    problems: tuple[str, ...]          # "row 4, DOB: “31/02/1980” is not a real date"
    matches: tuple[Match, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.values.get('given_name', '')} {self.values.get('family_name', '')}".strip()


@dataclass(frozen=True)
class Preview:
    file: str
    note: str
    header_row: int
    headings: tuple[str, ...]
    mapping: dict[str, str]            # heading → field ("" ignored)
    mapping_problems: tuple[str, ...]
    rows: tuple[PreviewRow, ...]
    samples: dict[str, tuple[str, ...]] = field(default_factory=dict)  # heading → first values

    @property
    def problems(self) -> list[str]:
        out = [f"{self.file}: {p}" for p in self.mapping_problems]
        for row in self.rows:
            out.extend(row.problems)
        return out

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def duplicates(self) -> list[PreviewRow]:
        return [r for r in self.rows if r.matches]


@dataclass(frozen=True)
class ImportResult:
    created: tuple[uuid.UUID, ...]      # new clients
    matched: tuple[uuid.UUID, ...]      # existing clients given a new referral
    referrals: int
    changed: Changed


# mappings remembered per source --------------------------------------------------------------

def saved_mappings(ctx: AppContext) -> dict[str, dict[str, Any]]:
    raw = ctx.settings.section(SETTINGS_SECTION).get("mappings") or {}
    return {str(k): v for k, v in raw.items() if isinstance(v, dict)}


def remember_mapping(ctx: AppContext, name: str, mapping: dict[str, str], source: str) -> None:
    name = name.strip()
    if not name:
        raise ValidationError([FieldProblem("mapping", "Give the mapping a name (the referrer "
                                                       "or team that sends this sheet).")])
    section = ctx.settings.section(SETTINGS_SECTION)
    mappings = dict(section.get("mappings") or {})
    mappings[name] = {"columns": dict(mapping), "source": source}
    section["mappings"] = mappings
    ctx.settings.save()


def _mapping_named(ctx: AppContext, name: str) -> tuple[dict[str, str], str]:
    found = saved_mappings(ctx).get(name)
    if found is None:
        known = ", ".join(sorted(saved_mappings(ctx))) or "none saved yet"
        raise ValidationError([FieldProblem("mapping", f"no saved mapping called {name!r} "
                                                       f"(saved: {known})")])
    columns = found.get("columns") or {}
    return {str(k): str(v) for k, v in columns.items()}, str(found.get("source") or "")


# preview ---------------------------------------------------------------------------------------

def _headings(table: Table) -> tuple[int, tuple[str, ...], list[tuple[int, tuple[object, ...]]]]:
    rows = [(n, cells) for n, cells in table.rows if not sheet.is_blank(list(cells))]
    if not rows:
        raise ValidationError("the spreadsheet is empty", where=table.name)
    index = sheet.find_header_row([(n, list(c)) for n, c in rows])
    number, cells = rows[index]
    headings: list[str] = []
    for i, cell in enumerate(cells):
        text = cell_text(cell) or f"Column {i + 1}"
        while text in headings:  # two columns with one heading stay apart
            text += " (again)"
        headings.append(text)
    return number, tuple(headings), rows[index + 1:]


def preview(ctx: AppContext, path: Path, *, mapping: dict[str, str] | None = None,
            mapping_name: str = "", source: str = "", today: date | None = None) -> Preview:
    """Read the file and show what would be imported. Writes nothing."""
    permissions.require(ctx.actor, "client.edit")
    today = today or date.today()
    table = read_table(path)
    header_row, headings, data = _headings(table)
    if mapping is None and mapping_name:
        mapping, saved_source = _mapping_named(ctx, mapping_name)
        source = source or saved_source
    if mapping is None:
        mapping = sheet.guess_mapping(list(headings))
    mapping = {h: mapping.get(h, "") for h in headings}
    problems = sheet.mapping_problems(mapping)
    missing = [h for h, f in mapping.items() if f and h not in headings]
    if missing:
        problems.append(f"the mapping names column(s) not in this file: {', '.join(missing)}")
    if source and source not in rules.codes(rules.REFERRAL_SOURCES):
        problems.append(f"source {source!r} is not one of "
                        f"{', '.join(sorted(rules.codes(rules.REFERRAL_SOURCES)))}")
    rows: list[PreviewRow] = []
    seen_nhs: dict[str, int] = {}
    for number, cells in data:
        read = sheet.read_row(number, list(headings), list(cells), mapping, today=today)
        read.values.setdefault("received_on", today)
        if not read.values.get("source"):
            read.values["source"] = source or "other"
        messages = read.describe()
        nhs = read.values.get("nhs_number")
        if isinstance(nhs, str) and nhs:
            if nhs in seen_nhs:
                messages.append(f"row {number}: the same NHS number as row {seen_nhs[nhs]}")
            seen_nhs.setdefault(nhs, number)
        client_input = _client_input(read.values)
        if client_input is not None and not read.issues:
            _, invalid = clients.validate(client_input, today=today)
            column = {v: h for h, v in mapping.items() if v}
            for p in invalid:
                messages.append(f"row {number}, {column.get(p.field, p.field)}: {p.message}")
        rows.append(PreviewRow(number, dict(read.values), tuple(messages)))
    rows = _with_matches(ctx, rows)
    samples = {h: tuple(cell_text(c[i]) for _, c in data[:3] if i < len(c))
               for i, h in enumerate(headings)}
    return Preview(table.name, table.note, header_row, headings, mapping, tuple(problems),
                   tuple(rows), samples)


def _client_input(values: dict[str, Any]) -> clients.ClientInput | None:
    data = {k: v for k, v in values.items() if k in CLIENT_FIELDS}
    if "interpreter" in values:
        data["interpreter_needed"] = bool(values["interpreter"])
    try:
        return clients.ClientInput(**{"given_name": "", "family_name": "", **data})
    except TypeError:
        return None


def _with_matches(ctx: AppContext, rows: list[PreviewRow]) -> list[PreviewRow]:
    """Possible duplicates by the client form's rule (same NHS number; or the same date of
    birth and a similar name, nicknames included), found with a few set-based queries for the
    whole sheet rather than two per row."""
    candidates: dict[int, clients.ClientInput] = {}
    for row in rows:
        data = _client_input(row.values)
        if not row.problems and data is not None:
            clean, _ = clients.validate(data)
            candidates[row.number] = clean
    numbers = sorted({c.nhs_number for c in candidates.values() if c.nhs_number})
    births = sorted({c.date_of_birth for c in candidates.values() if c.date_of_birth})
    by_nhs: dict[str, list[Any]] = {}
    by_birth: dict[date, list[Any]] = {}
    columns = (Client.id, Client.given_name, Client.family_name, Client.preferred_name,
               Client.nhs_number, Client.date_of_birth)
    with ctx.store.read() as s:
        for start in range(0, len(numbers), 500):
            for r in s.execute(select(*columns).where(
                    Client.deleted_at.is_(None), Client.nhs_number.in_(numbers[start:start + 500]))):
                by_nhs.setdefault(r.nhs_number, []).append(r)
        for start in range(0, len(births), 500):
            for r in s.execute(select(*columns).where(
                    Client.deleted_at.is_(None),
                    Client.date_of_birth.in_(births[start:start + 500]))):
                by_birth.setdefault(r.date_of_birth, []).append(r)
    out = []
    for row in rows:
        data = candidates.get(row.number)
        if data is None:
            out.append(row)
            continue
        found: dict[uuid.UUID, Match] = {}
        for r in by_nhs.get(data.nhs_number, []) if data.nhs_number else []:
            found[r.id] = Match(r.id, _display(r), "same NHS number")
        for r in by_birth.get(data.date_of_birth, []) if data.date_of_birth else []:
            if r.id in found:
                continue
            family = nicknames.same_family_name(r.family_name, data.family_name)
            given = (nicknames.same_given_name(r.given_name, data.given_name)
                     or nicknames.same_given_name(r.preferred_name, data.given_name)
                     or nicknames.same_given_name(r.given_name, data.preferred_name))
            if family and given:
                found[r.id] = Match(r.id, _display(r), "same date of birth and a similar name")
        out.append(PreviewRow(row.number, row.values, row.problems, tuple(found.values())))
    return out


def _display(r: Any) -> str:
    return f"{r.preferred_name or r.given_name} {r.family_name}".strip()


# import ----------------------------------------------------------------------------------------

def commit(ctx: AppContext, result: Preview, decisions: dict[int, str] | None = None) -> ImportResult:
    """Import every row of an accepted preview in one transaction, or nothing.

    `decisions` maps a row number to "new" (a new client even though it looks like an existing
    one) or a client id (add the referral to that existing client). A row with possible
    duplicates and no decision refuses the whole import, naming the row."""
    permissions.require(ctx.actor, "client.edit")
    permissions.require(ctx.actor, "casework.record")
    decisions = decisions or {}
    problems = list(result.problems)
    for row in result.rows:
        if row.matches and row.number not in decisions:
            names = "; ".join(f"{m.name} ({m.reason})" for m in row.matches)
            problems.append(f"row {row.number}: may be the same person as {names}: choose to "
                            "match or to add as new")
        choice = decisions.get(row.number, "new")
        if choice != "new" and choice not in {str(m.client_id) for m in row.matches}:
            problems.append(f"row {row.number}: {choice!r} is not one of the offered matches")
    if problems:
        raise ValidationError([FieldProblem("", p) for p in problems], where=result.file)
    created: list[uuid.UUID] = []
    matched: list[uuid.UUID] = []
    events: list[tuple[str, uuid.UUID, uuid.UUID, str]] = []
    with ctx.store.session() as s:
        # Every row is added with its ids made here, then written in one flush; the audit
        # events (one per row: who, which client, which row) follow in the same transaction.
        for row in result.rows:
            choice = decisions.get(row.number, "new")
            if choice == "new":
                data = _client_input(row.values)
                assert data is not None
                clean, _ = clients.validate(data)
                client = Client(id=uuid.uuid4())
                for name in CLIENT_FIELDS:
                    value = getattr(clean, name)
                    setattr(client, name, (value or None) if name == "nhs_number" else value)
                client.search_name = search_name(clean.given_name, clean.family_name,
                                                 clean.preferred_name)
                client.practitioner_id = clean.practitioner_id or ctx.actor.id
                client.status = "referred"
                s.add(client)
                created.append(client.id)
            else:
                client = clients.require_client(s, uuid.UUID(choice))
                client.status = "referred"
                matched.append(client.id)
            referral = Referral(
                id=uuid.uuid4(), client_id=client.id, received_on=row.values["received_on"],
                source=row.values.get("source") or "other",
                referrer=str(row.values.get("referrer") or "")[:200],
                reason=str(row.values.get("reason") or ""), status="received",
                practitioner_id=client.practitioner_id or ctx.actor.id)
            s.add(referral)
            s.add(ReferralStatusChange(
                client_id=client.id, referral_id=referral.id, changed_on=referral.received_on,
                from_status="", to_status="received",
                reason=f"Referral received (imported from {result.file}, row {row.number})",
                practitioner_id=ctx.actor.id))
            events.append(("client.create" if choice == "new" else "referral.import",
                           client.id, referral.id, f"imported from row {row.number}"))
        s.flush()
        audit.record_many(s, ctx.actor, [(action, "referral", referral_id, client_id, detail)
                                         for action, client_id, referral_id, detail in events])
    ids = tuple(str(i) for i in (*created, *matched))
    return ImportResult(tuple(created), tuple(matched), len(result.rows),
                        Changed.of("client", "referral", ids=ids))
