"""The searchable, sortable client list in SQL (name words through FTS5, NHS number, postcode)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, column, func, literal_column, or_, select, table
from sqlalchemy.orm import Session

from wellbeing_desktop.domain import postcode
from wellbeing_desktop.domain.text import fold
from wellbeing_desktop.services import permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients.records import _SUMMARY_COLUMNS, ClientSummary
from wellbeing_desktop.storage.models import Client
from wellbeing_desktop.storage.models.casework import NeedRating

SORT_KEYS = ("name", "date_of_birth", "nhs_number", "postcode", "status")


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
