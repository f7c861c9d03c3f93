"""Client records: create, edit, duplicate check, merge, and the searchable list.

Search and sorting run in SQL (DESIGN §9: a lazy list over 50,000 clients); a practitioner
without `client.view_all` sees only their own caseload.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    update,
)
from sqlalchemy.orm import Session

from wellbeing_desktop.domain import nhs_number, nicknames, postcode
from wellbeing_desktop.domain.text import fold, search_name
from wellbeing_desktop.services import access, audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import (
    Changed,
    FieldProblem,
    NotFound,
    ValidationError,
    WellbeingError,
)
from wellbeing_desktop.storage.changes import reserve_sequence
from wellbeing_desktop.storage.models import Base, Client, Practitioner
from wellbeing_desktop.storage.models.casework import NeedRating
from wellbeing_desktop.storage.types import utcnow

DOCUMENT_FORMATS: tuple[tuple[str, str], ...] = (
    ("standard", "Standard print"),
    ("large_print", "Large print"),
    ("easy_read", "Easy read"),
    ("audio", "Audio"),
    ("braille", "Braille"),
    ("bsl", "British Sign Language (BSL)"),
)
CLIENT_STATUSES: tuple[tuple[str, str], ...] = (
    ("referred", "Referred"),
    ("contacted", "Contacted"),
    ("assessed", "Assessed"),
    ("active", "In sessions"),
    ("reviewing", "Reviewing"),
    ("discharged", "Discharged"),
    ("closed", "Closed"),
)
SORT_KEYS = ("name", "date_of_birth", "nhs_number", "postcode", "status")


@dataclass(frozen=True)
class Saved:
    """What a mutating casework service hands back: the record's id and what changed."""

    id: uuid.UUID
    changed: Changed


@dataclass(frozen=True)
class ClientSummary:
    id: uuid.UUID
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: date | None
    nhs_number: str | None
    postcode: str
    status: str

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}".strip()


@dataclass(frozen=True)
class ClientInput:
    """What the client form sends. Dates are dates; empty strings mean "not given"."""

    given_name: str
    family_name: str
    preferred_name: str = ""
    pronouns: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    contact_preferences: str = ""
    gp_practice: str = ""
    consent_contact: bool = True
    consent_share_services: bool = False
    consent_share_with: str = ""
    consent_central_records: bool = False
    language: str = "en"
    interpreter_needed: bool = False
    document_format: str = "standard"
    communication_notes: str = ""
    practitioner_id: uuid.UUID | None = None


@dataclass(frozen=True)
class ClientDetail(ClientInput):
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    status: str = "referred"
    practitioner_name: str = ""
    version: int = 1

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}".strip()

    @property
    def nhs_number_display(self) -> str:
        return nhs_number.display(self.nhs_number)


@dataclass(frozen=True)
class DuplicateCandidate:
    client: ClientSummary
    reason: str


class DuplicatesFound(WellbeingError):
    """Possible duplicates exist; the caller shows them and may save anyway."""

    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        self.candidates = candidates
        super().__init__(
            f"{len(candidates)} existing record{'s' if len(candidates) != 1 else ''} "
            "may be the same person"
        )


_INPUT_FIELDS = [f.name for f in fields(ClientInput)]
_SUMMARY_COLUMNS = (
    Client.id, Client.given_name, Client.family_name, Client.preferred_name,
    Client.date_of_birth, Client.nhs_number, Client.postcode, Client.status,
)


# validation --------------------------------------------------------------------------------

def validate(data: ClientInput, *, today: date | None = None) -> tuple[ClientInput, list[FieldProblem]]:
    """The input cleaned (trimmed, NHS number digits, postcode formatted) and its problems."""
    today = today or date.today()
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {}
    for name in _INPUT_FIELDS:
        value = getattr(data, name)
        clean[name] = value.strip() if isinstance(value, str) else value
    if not clean["given_name"]:
        problems.append(FieldProblem("given_name", "Enter the person's first name."))
    if not clean["family_name"]:
        problems.append(FieldProblem("family_name", "Enter the person's last name."))
    for name, limit in (("given_name", 100), ("family_name", 100), ("preferred_name", 100)):
        if len(clean[name]) > limit:
            problems.append(FieldProblem(name, f"Use {limit} characters or fewer."))
    dob = clean["date_of_birth"]
    if dob is not None and (dob > today or dob.year < 1900):
        problems.append(FieldProblem("date_of_birth", "Date of birth must be a past date."))
    if clean["nhs_number"]:
        issue = nhs_number.problem(clean["nhs_number"])
        if issue:
            problems.append(FieldProblem("nhs_number", f"NHS number {issue}."))
        else:
            clean["nhs_number"] = nhs_number.normalise(clean["nhs_number"])
    if clean["postcode"]:
        if postcode.is_valid(clean["postcode"]):
            clean["postcode"] = postcode.normalise(clean["postcode"])
        else:
            problems.append(FieldProblem("postcode", "Postcode is not a UK postcode (for "
                                                     "example KM1 4AB)."))
    if clean["email"] and ("@" not in clean["email"] or " " in clean["email"]):
        problems.append(FieldProblem("email", "Email address needs an @, like name@example.org."))
    if clean["phone"] and sum(ch.isdigit() for ch in clean["phone"]) < 10:
        problems.append(FieldProblem("phone", "Phone number needs at least 10 digits."))
    if clean["document_format"] not in {c for c, _ in DOCUMENT_FORMATS}:
        problems.append(FieldProblem("document_format", "Choose a format from the list."))
    if clean["consent_share_services"] is False and clean["consent_share_with"]:
        problems.append(FieldProblem("consent_share_with",
                                     "Tick consent to share before naming services."))
    return ClientInput(**clean), problems


def _apply(row: Client, data: ClientInput) -> None:
    for name in _INPUT_FIELDS:
        value = getattr(data, name)
        if name == "nhs_number":
            value = value or None
        setattr(row, name, value)
    row.search_name = search_name(data.given_name, data.family_name, data.preferred_name)


# duplicates --------------------------------------------------------------------------------

def _duplicates(s: Session, data: ClientInput, exclude: uuid.UUID | None) -> list[DuplicateCandidate]:
    found: dict[uuid.UUID, DuplicateCandidate] = {}
    live: list[ColumnElement[bool]] = [Client.deleted_at.is_(None)]
    if exclude is not None:
        live.append(Client.id != exclude)
    if data.nhs_number:
        for row in s.execute(select(*_SUMMARY_COLUMNS).where(
                *live, Client.nhs_number == data.nhs_number)).all():
            found[row[0]] = DuplicateCandidate(ClientSummary(*row), "same NHS number")
    if data.date_of_birth is not None:
        for row in s.execute(select(*_SUMMARY_COLUMNS).where(
                *live, Client.date_of_birth == data.date_of_birth)).all():
            summary = ClientSummary(*row)
            if summary.id in found:
                continue
            family = nicknames.same_family_name(summary.family_name, data.family_name)
            given = (nicknames.same_given_name(summary.given_name, data.given_name)
                     or nicknames.same_given_name(summary.preferred_name, data.given_name)
                     or nicknames.same_given_name(summary.given_name, data.preferred_name))
            if family and given:
                found[summary.id] = DuplicateCandidate(
                    summary, "same date of birth and a similar name")
    return list(found.values())


def find_duplicates(ctx: AppContext, data: ClientInput,
                    exclude: uuid.UUID | None = None) -> list[DuplicateCandidate]:
    permissions.require(ctx.actor, "client.view_own")
    clean, _ = validate(data)
    with ctx.store.read() as s:
        return _duplicates(s, clean, exclude)


# create / edit -----------------------------------------------------------------------------

def create_client(ctx: AppContext, data: ClientInput, *, allow_duplicates: bool = False) -> Saved:
    """Add a client. Raises `DuplicatesFound` (nothing written) unless `allow_duplicates`."""
    permissions.require(ctx.actor, "client.edit")
    clean, problems = validate(data)
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        if not allow_duplicates:
            candidates = _duplicates(s, clean, None)
            if candidates:
                raise DuplicatesFound(candidates)
        row = Client()
        _apply(row, clean)
        if row.practitioner_id is None:
            row.practitioner_id = ctx.actor.id
        row.status = "referred"
        s.add(row)
        s.flush()
        audit.record(s, ctx.actor, "client.create", entity="client", entity_id=row.id,
                     client_id=row.id)
        return Saved(row.id, Changed.of("client", ids=(str(row.id),)))


def update_client(ctx: AppContext, client_id: uuid.UUID, data: ClientInput) -> Saved:
    permissions.require(ctx.actor, "client.edit")
    clean, problems = validate(data)
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        access.require_client(s, ctx.actor, client_id)
        row = _get(s, client_id)
        _apply(row, clean)
        audit.record(s, ctx.actor, "client.update", entity="client", entity_id=row.id,
                     client_id=row.id)
        return Saved(row.id, Changed.of("client", ids=(str(row.id),)))


def _get(s: Session, client_id: uuid.UUID) -> Client:
    row = s.get(Client, client_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("That client record was not found (it may have been merged or removed).")
    return row


def require_client(s: Session, client_id: uuid.UUID) -> Client:
    """For other casework services: the live client row, or NotFound."""
    return _get(s, client_id)


def refresh_last_contact(s: Session, client_id: uuid.UUID) -> None:
    """Keep `Client.last_contact_on` (the last attended session or group) current, so Today's
    "no contact" list reads one index. Called in the same unit of work as the change."""
    from wellbeing_desktop.storage.models.casework import (
        Appointment,
        GroupAttendance,
        GroupSession,
    )

    s.flush()
    seen = s.execute(select(func.max(Appointment.starts_at)).where(
        Appointment.client_id == client_id, Appointment.outcome == "attended",
        Appointment.deleted_at.is_(None))).scalar()
    grouped = s.execute(
        select(func.max(GroupSession.starts_at))
        .join(GroupAttendance, GroupAttendance.group_session_id == GroupSession.id)
        .where(GroupAttendance.client_id == client_id, GroupAttendance.attendance == "attended",
               GroupAttendance.deleted_at.is_(None), GroupSession.deleted_at.is_(None))).scalar()
    days = [d.date() for d in (seen, grouped) if d is not None]
    last = max(days) if days else None
    row = s.get(Client, client_id)
    if row is not None and row.last_contact_on != last:
        row.last_contact_on = last


def get_client(ctx: AppContext, client_id: uuid.UUID) -> ClientDetail:
    """Everything about the client, communication needs included (packs use it)."""
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        row = _get(s, client_id)
        name = ""
        if row.practitioner_id is not None:
            name = s.execute(select(Practitioner.display_name).where(
                Practitioner.id == row.practitioner_id)).scalar() or ""
        values = {n: getattr(row, n) for n in _INPUT_FIELDS}
        values["nhs_number"] = row.nhs_number or ""
        return ClientDetail(**values, id=row.id, status=row.status, practitioner_name=name,
                            version=row.version)


def view_client(ctx: AppContext, client_id: uuid.UUID) -> ClientDetail:
    """`get_client` plus an audit event: a practitioner opened the record."""
    detail = get_client(ctx, client_id)
    with ctx.store.session() as s:
        audit.record(s, ctx.actor, "client.view", entity="client", entity_id=client_id,
                     client_id=client_id)
    return detail


def practitioners(ctx: AppContext) -> list[tuple[uuid.UUID, str]]:
    with ctx.store.read() as s:
        return [(r[0], r[1]) for r in s.execute(
            select(Practitioner.id, Practitioner.display_name)
            .where(Practitioner.deleted_at.is_(None), Practitioner.active.is_(True))
            .order_by(Practitioner.display_name)).all()]


# merge -------------------------------------------------------------------------------------

def client_tables() -> list[Any]:
    """Every record table (with an `id`) that has a `client_id` column, other areas' too. The
    audit log keeps what happened at the time; link tables without an `id` (sync bookkeeping of
    what was sent) record history and stay as they are."""
    return [t for t in Base.metadata.sorted_tables
            if "client_id" in t.c and "id" in t.c and t.name != "audit_events"]


def duplicates_of(ctx: AppContext, client_id: uuid.UUID) -> list[DuplicateCandidate]:
    """Other live records that may be the same person as this one (the same rules as the
    check on create: NHS number, or date of birth with a similar name)."""
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        row = _get(s, client_id)
        data = ClientInput(**{name: getattr(row, name) for name in _INPUT_FIELDS})
        return _duplicates(s, data, client_id)


@dataclass(frozen=True)
class MergePreview:
    """What a merge would do, for the confirmation: the record kept, the record closed, and
    how many of the closed record's entries move (by kind, e.g. "appointments": 3)."""

    keep: ClientSummary
    merge: ClientSummary
    moves: dict[str, int]
    problem: str = ""  # why these two cannot be merged (then nothing can be confirmed)

    @property
    def total(self) -> int:
        return sum(self.moves.values())


def merge_preview(ctx: AppContext, keep_id: uuid.UUID, merge_id: uuid.UUID) -> MergePreview:
    permissions.require(ctx.actor, "client.merge")
    with ctx.store.read() as s:
        keep, gone = _get(s, keep_id), _get(s, merge_id)
        moves: dict[str, int] = {}
        for table in client_tables():
            if table.name == "clients":
                continue
            n = s.execute(select(func.count()).select_from(table).where(
                table.c.client_id == merge_id)).scalar_one()
            if n:
                moves[table.name.replace("_", " ")] = int(n)
        problem = ""
        if keep_id == merge_id:
            problem = "Choose two different records to merge."
        elif keep.nhs_number and gone.nhs_number and keep.nhs_number != gone.nhs_number:
            problem = ("These records have different NHS numbers, so they are not the same "
                       "person. Correct the NHS number first if one is wrong.")

        def summary(row: Client) -> ClientSummary:
            return ClientSummary(row.id, row.given_name, row.family_name, row.preferred_name,
                                 row.date_of_birth, row.nhs_number, row.postcode, row.status)

        return MergePreview(summary(keep), summary(gone), moves, problem)


def merge_clients(ctx: AppContext, keep_id: uuid.UUID, merge_id: uuid.UUID) -> Saved:
    """Move everything of `merge_id` to `keep_id`; fill the kept record's blanks from the
    other; the merged record is soft-deleted with `merged_into_id` so nothing is lost."""
    permissions.require(ctx.actor, "client.merge")
    if keep_id == merge_id:
        raise ValidationError([FieldProblem("merge", "Choose two different records to merge.")])
    with ctx.store.session() as s:
        keep, gone = _get(s, keep_id), _get(s, merge_id)
        if keep.nhs_number and gone.nhs_number and keep.nhs_number != gone.nhs_number:
            raise ValidationError([FieldProblem(
                "merge", "These records have different NHS numbers, so they are not the same "
                "person. Correct the NHS number first if one is wrong.")])
        for name in _INPUT_FIELDS:
            if name.startswith("consent_") or name in ("language", "document_format",
                                                       "interpreter_needed"):
                continue
            if not getattr(keep, name) and getattr(gone, name):
                setattr(keep, name, getattr(gone, name))
        if keep.language == "en" and gone.language != "en":
            keep.language = gone.language
        keep.interpreter_needed = keep.interpreter_needed or gone.interpreter_needed
        if keep.document_format == "standard":
            keep.document_format = gone.document_format
        keep.search_name = search_name(keep.given_name, keep.family_name, keep.preferred_name)
        gone.merged_into_id = keep.id
        gone.deleted_at = utcnow()
        s.flush()
        conn = s.connection()
        moved = 0
        for table in client_tables():
            if table.name == "clients":
                continue
            ids = [r[0] for r in conn.execute(
                select(table.c.id).where(table.c.client_id == merge_id)).all()]
            if not ids:
                continue
            moved += len(ids)
            if "change_seq" in table.c:
                # Moved rows are edits: they travel to central records with the next export.
                first = reserve_sequence(conn, len(ids))
                conn.execute(
                    update(table).where(table.c.id == bindparam("row_id")).values(
                        client_id=keep_id, version=table.c.version + 1,
                        change_seq=bindparam("seq"), updated_at=utcnow()),
                    [{"row_id": rid, "seq": first + i} for i, rid in enumerate(ids)],
                )
            else:
                conn.execute(update(table).where(table.c.client_id == merge_id)
                             .values(client_id=keep_id))
        s.expire_all()
        refresh_last_contact(s, keep_id)
        audit.record(s, ctx.actor, "client.merge", entity="client", entity_id=merge_id,
                     client_id=keep_id, detail=f"rows={moved}")
        return Saved(keep.id, Changed.of("client", "referral", "appointment", "goal",
                                         "risk", "discharge", ids=(str(keep_id), str(merge_id))))


# list / search -----------------------------------------------------------------------------

@dataclass(frozen=True)
class ClientFilter:
    search: str = ""
    status: str = ""
    practitioner_id: uuid.UUID | None = None
    needs_domain: str = ""
    sort: str = "name"
    descending: bool = False


def _next_prefix(text: str) -> str:
    return text[:-1] + chr(ord(text[-1]) + 1)


# A search shows at most this many as its count ("1,000+"); counting further would read every
# matching row for a figure nobody needs.
COUNT_CAP = 1000
# Past this many matches the name-ordered page is found faster by walking the name index and
# testing each row (200 matches come soon) than by sorting every match inside the FTS5 index
# (about 1.4 µs a match). Measured at 50,000 clients: 1,000 matches 3 ms either way; 3,000:
# FTS5 5.7 ms, walk 3–7 ms (depends where in the alphabet they fall); 7,700 ("a"): FTS5
# 10.7 ms, walk 0.5 ms.
DENSE_AT = 3500
_FTS = table("clients_fts", column("rowid"), column("names"), column("client_id"))
_FTS_KEYS = table("clients_fts_keys", column("key"), column("client_id"))


@dataclass(frozen=True)
class _Search:
    """A search split into what each index answers: name words (FTS5 over the folded name,
    each typed word a prefix of a name word), NHS number prefix, postcode prefix."""

    words: tuple[str, ...] = ()
    nhs: tuple[str, str] | None = None
    postcode: tuple[str, str] | None = None

    @property
    def parts(self) -> int:
        return (1 if self.words else 0) + (self.nhs is not None) + (self.postcode is not None)

    @property
    def empty(self) -> bool:
        return not self.words and self.nhs is None and self.postcode is None

    def match(self) -> str:
        """FTS5 query: every word a (phrase) prefix, "o'b" → `"o b"*`."""
        return " AND ".join('"' + w.replace('"', '""') + '"*' for w in self.words)

    def names_matched(self) -> ColumnElement[bool]:
        """Index-driven: the client ids the FTS5 index gives back."""
        keys = select(_FTS.c.rowid).where(literal_column("clients_fts").op("MATCH")(self.match()))
        return Client.id.in_(select(_FTS_KEYS.c.client_id).where(_FTS_KEYS.c.key.in_(keys)))

    def names_like(self) -> ColumnElement[bool]:
        """The same rule tested on a row (for walking the name index in order)."""
        def word(w: str) -> ColumnElement[bool]:
            escaped = w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            return or_(Client.search_name.like(f"{escaped}%", escape="\\"),
                       Client.search_name.like(f"% {escaped}%", escape="\\"))
        return and_(*[word(w) for w in self.words])

    def condition(self, dense: bool) -> ColumnElement[bool]:
        conditions: list[ColumnElement[bool]] = []
        if self.words:
            conditions.append(self.names_like() if dense else self.names_matched())
        # Dense: `column || ''` keeps these off their indexes, so the name index drives.
        nhs = (Client.nhs_number + "") if dense else Client.nhs_number
        code = (Client.postcode + "") if dense else Client.postcode
        if self.nhs is not None:
            conditions.append(and_(nhs >= self.nhs[0], nhs < self.nhs[1]))
        if self.postcode is not None:
            conditions.append(and_(code >= self.postcode[0], code < self.postcode[1]))
        return or_(*conditions)


def parse_search(search: str) -> _Search:
    text = search.strip()
    if not text:
        return _Search()
    words = tuple(k for k in (fold(w) for w in text.split()) if any(c.isalnum() for c in k))
    nhs = None
    digits = text.replace(" ", "").replace("-", "")
    if digits.isdigit():
        nhs = (digits, _next_prefix(digits))
    code = None
    compact = postcode.compact(text)
    if 2 <= len(compact) <= 7 and any(c.isdigit() for c in compact) and compact[0].isalpha():
        pretty = f"{compact[:-3]} {compact[-3:]}" if len(compact) >= 5 else compact
        if len(compact) < 5 and " " in text:  # "km3 4": the outward code as typed
            pretty = " ".join(text.upper().split())
        code = (pretty, _next_prefix(pretty))
    return _Search(words, nhs, code)


def search_condition(search: str) -> ColumnElement[bool] | None:
    """Name (any word's prefix, through the FTS5 index), NHS number or postcode prefix."""
    parsed = parse_search(search)
    return None if parsed.empty else parsed.condition(dense=False)


def _estimate(s: Session, parsed: _Search, cap: int) -> tuple[_Search, int]:
    """Count each part of the search from its own index, capped at `cap` (live clients
    only: deleted ones leave the FTS5 index); parts that match nobody are dropped. The total
    is exact when one part is left."""
    counts: dict[str, int] = {}
    total = 0
    queries: list[tuple[str, Any]] = []
    if parsed.words:
        queries.append(("words", select(_FTS.c.rowid).where(
            literal_column("clients_fts").op("MATCH")(parsed.match()))))
    if parsed.nhs is not None:
        # Selecting the indexed column keeps each count inside its covering index.
        queries.append(("nhs", select(Client.nhs_number).where(
            Client.nhs_number >= parsed.nhs[0], Client.nhs_number < parsed.nhs[1],
            Client.deleted_at.is_(None))))
    if parsed.postcode is not None:
        queries.append(("postcode", select(Client.postcode).where(
            Client.postcode >= parsed.postcode[0], Client.postcode < parsed.postcode[1],
            Client.deleted_at.is_(None))))
    for name, query in queries:
        counts[name] = s.execute(select(func.count()).select_from(
            query.limit(cap).subquery())).scalar_one()
        total += counts[name]
    kept = _Search(parsed.words if counts.get("words") else (),
                   parsed.nhs if counts.get("nhs") else None,
                   parsed.postcode if counts.get("postcode") else None)
    return kept, min(total, cap)


def _filters(ctx: AppContext, query: Any, flt: ClientFilter) -> tuple[Any, bool]:
    """Add the non-search filters; say whether any applies."""
    query = query.where(Client.deleted_at.is_(None))
    filtered = False
    if flt.status:
        query, filtered = query.where(Client.status == flt.status), True
    practitioner = flt.practitioner_id
    if not permissions.allowed(ctx.actor, "client.view_all") and ctx.actor.id is not None:
        practitioner = ctx.actor.id
    if practitioner is not None:
        query, filtered = query.where(Client.practitioner_id == practitioner), True
    if flt.needs_domain:
        filtered = True
        query = query.where(Client.id.in_(
            select(NeedRating.client_id).where(
                NeedRating.domain == flt.needs_domain, NeedRating.level > 0,
                NeedRating.deleted_at.is_(None))))
    return query, filtered


def _where(ctx: AppContext, query: Any, flt: ClientFilter, *, dense: bool = False,
           parsed: _Search | None = None) -> Any:
    """Add the filter to a select (of any columns). `dense`: the search matches many, so test
    it row by row while walking an index in order (stops at the page) instead of collecting
    every match from the FTS5 index first."""
    query, _ = _filters(ctx, query, flt)
    parsed = parse_search(flt.search) if parsed is None else parsed
    if not parsed.empty:
        query = query.where(parsed.condition(dense))
    return query


_SORT_COLUMNS = {
    "name": Client.search_name, "date_of_birth": Client.date_of_birth,
    "nhs_number": Client.nhs_number, "postcode": Client.postcode, "status": Client.status,
}


def count_clients(ctx: AppContext, search: str = "", flt: ClientFilter | None = None, *,
                  exact: bool = False) -> int:
    """How many clients the filter shows. A search counts up to COUNT_CAP + 1 (show it as
    "1,000+") unless `exact`; the list without a search is counted exactly (index only)."""
    flt = flt or ClientFilter(search=search)
    parsed = parse_search(flt.search)
    with ctx.store.read() as s:
        if parsed.empty or exact:
            query = _where(ctx, select(func.count()).select_from(Client), flt)
            return int(s.execute(query).scalar_one())
        parsed, estimate = _estimate(s, parsed, max(COUNT_CAP, DENSE_AT) + 1)
        if parsed.empty:
            return 0
        _, filtered = _filters(ctx, select(Client.id), flt)
        if not filtered and (estimate > COUNT_CAP or parsed.parts == 1):
            return min(estimate, COUNT_CAP + 1)
        dense = estimate > DENSE_AT
        capped = _where(ctx, select(Client.id), flt, dense=dense, parsed=parsed).limit(COUNT_CAP + 1)
        return int(s.execute(select(func.count()).select_from(capped.subquery())).scalar_one())


def list_clients(
    ctx: AppContext, search: str = "", *, limit: int = 200, offset: int = 0,
    flt: ClientFilter | None = None,
) -> list[ClientSummary]:
    flt = flt or ClientFilter(search=search)
    column = _SORT_COLUMNS.get(flt.sort, Client.search_name)
    order = column.desc() if flt.descending else column.asc()
    parsed = parse_search(flt.search)
    with ctx.store.read() as s:
        # Many matches sorted by name: walk the name index, testing each row (stops at the
        # page). Few matches: take them from the FTS5 index and sort those.
        dense = False
        if not parsed.empty:
            parsed, estimate = _estimate(s, parsed, DENSE_AT + 1)
            if parsed.empty:
                return []
            dense = column is Client.search_name and estimate > DENSE_AT
        if (not dense and parsed.parts == 1 and parsed.words
                and column is Client.search_name
                and not _filters(ctx, select(Client.id), flt)[1]):
            # A name search, no filters: the page comes sorted out of the FTS5 index itself
            # (it holds the folded name and the id); then its rows by primary key.
            names = _FTS.c.names.desc() if flt.descending else _FTS.c.names.asc()
            page = (select(_FTS.c.client_id)
                    .where(literal_column("clients_fts").op("MATCH")(parsed.match()))
                    .order_by(names, _FTS.c.client_id).limit(limit).offset(offset))
            query = (select(*_SUMMARY_COLUMNS)
                     .where(Client.id.in_(page), Client.deleted_at.is_(None))
                     .order_by(order, Client.id))
            return [ClientSummary(*row) for row in s.execute(query).all()]
        query = _where(ctx, select(*_SUMMARY_COLUMNS), flt, dense=dense,
                       parsed=parsed).order_by(order, Client.id)
        return [ClientSummary(*row)
                for row in s.execute(query.limit(limit).offset(offset)).all()]
