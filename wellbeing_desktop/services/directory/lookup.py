"""Finding services: the search and its counts, suggestions by need, the overview figures."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, and_, case, func, literal_column, or_, select

from wellbeing_desktop.domain import directory as rules
from wellbeing_desktop.domain.needs import DOMAIN_CODES, domain_label
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import FieldProblem, ValidationError
from wellbeing_desktop.storage.models import directory as m

ENTITY = "directory"
S = m.DirService.__table__
ORG = m.DirOrganization.__table__
FTS: Any = literal_column("dir_services_fts")


# --------------------------------------------------------------------------------- search

@dataclass(frozen=True)
class SearchFilters:
    need: str = ""
    free_only: bool = False
    self_referral_only: bool = False
    open_on: str = ""  # a day code: MO … SU
    language: str = ""
    mode: str = ""  # in_person / phone / online
    area: str = ""  # a postcode district or a town
    favourites_only: bool = False
    reported_wrong_only: bool = False
    include_withdrawn: bool = False


@dataclass(frozen=True)
class ServiceHit:
    id: uuid.UUID
    name: str
    organization: str
    summary: str
    status: str
    needs: tuple[str, ...]
    free_of_charge: bool
    self_referral: bool | None
    modes: tuple[str, ...]
    open_days: str
    checked_on: date | None
    stale: bool
    favourite: bool
    reported_wrong: bool
    withdrawn: bool

    @property
    def need_labels(self) -> str:
        return ", ".join(domain_label(n) for n in self.needs)


_HIT_COLUMNS: tuple[Any, ...] = (
    S.c.id, S.c.name, func.coalesce(ORG.c.name, ""), func.substr(S.c.description_text, 1, 240),
    S.c.status, S.c.needs, S.c.free_of_charge, S.c.self_referral, S.c.in_person, S.c.by_phone,
    S.c.online, S.c.open_days, S.c.verified_on, S.c.assured_date, S.c.last_modified,
    S.c.favourite, S.c.reported_wrong, S.c.withdrawn_at,
)


def _filtered(query: Select[Any], filters: SearchFilters) -> Select[Any]:
    query = query.where(S.c.deleted_at.is_(None))
    if not filters.include_withdrawn:
        query = query.where(S.c.withdrawn_at.is_(None))
    if filters.need:
        query = query.where(func.instr(" " + S.c.needs + " ", f" {filters.need} ") > 0)
    if filters.free_only:
        query = query.where(S.c.free_of_charge.is_(True))
    if filters.self_referral_only:
        query = query.where(S.c.self_referral.is_(True))
    if filters.open_on:
        query = query.where(func.instr(S.c.open_days, filters.open_on.upper()[:2]) > 0)
    if filters.language:
        lang = filters.language.strip().casefold()
        query = query.where(S.c.languages.like(f"% {lang} %"))
    if filters.mode:
        column = {"in_person": S.c.in_person, "phone": S.c.by_phone, "online": S.c.online}
        if filters.mode not in column:
            raise ValidationError([FieldProblem("mode", "choose in person, phone or online")])
        query = query.where(column[filters.mode].is_(True))
    if filters.area:
        area = rules.postcode_district(filters.area)
        query = query.where(S.c.areas.like(f"% {area} %"))
    if filters.favourites_only:
        query = query.where(S.c.favourite.is_(True))
    if filters.reported_wrong_only:
        query = query.where(S.c.reported_wrong.is_(True))
    return query


def _unfiltered(filters: SearchFilters) -> bool:
    return filters == SearchFilters()


# Ranking every match with bm25 costs about a microsecond a match or more; a word found in most
# of the directory (the town's name, "support") would make each keystroke pay for ranking
# thousands of services. Above this many matches the order is cheap instead: services with the
# words in their name first, then the rest, each in directory order, and the page shown is
# ranked by bm25 within itself.
HUGE = 2_000
_WEIGHTS = "10.0, 1.0, 4.0"  # name, description, organisation/taxonomy/needs words
_FTS_SQL = "SELECT rowid FROM dir_services_fts WHERE dir_services_fts MATCH ?"
_RANKED_SQL = f"{_FTS_SQL} ORDER BY bm25(dir_services_fts, {_WEIGHTS}) LIMIT ? OFFSET ?"
_PROBE_SQL = f"{_FTS_SQL} LIMIT 1 OFFSET ?"
_STREAM_SQL = f"{_FTS_SQL} LIMIT ? OFFSET ?"  # directory (rowid) order, no ranking
_COUNT_SQL = "SELECT count(*) FROM dir_services_fts WHERE dir_services_fts MATCH ?"
def _fts(s: Connection, sql: str, *params: object) -> list[Any]:
    """A plain-text FTS5 query on the connection's DB-API connection (nothing to compile)."""
    raw = s.connection.dbapi_connection
    assert raw is not None
    return list(raw.execute(sql, params).fetchall())


def _is_huge(s: Connection, match: str) -> bool:
    return bool(_fts(s, _PROBE_SQL, match, HUGE))


def _name_first(match: str) -> tuple[str, str]:
    """(matches with the words in the name, the other matches) as two FTS5 queries."""
    if match.startswith("name :"):
        return match, ""
    return f"name : ({match})", f"({match}) NOT name : ({match})"


def _cheap_page(limit: int, offset: int, stream: Any, tally: Any,
                match: str) -> list[list[int]]:
    """Name matches first, then the rest, in directory order (see HUGE)."""
    in_name, rest = _name_first(match)
    first = stream(in_name, limit, offset)
    second: list[int] = []
    if len(first) < limit and rest:
        name_total = offset + len(first) if first or not offset else tally(in_name)
        second = stream(rest, limit - len(first), max(0, offset - name_total))
    return [first, second]


def _ranked_ids(s: Connection, match: str, filters: SearchFilters, limit: int,
                offset: int, total: int | None = None) -> list[list[int]]:
    """Search keys of one page of matches: one group ranked best first by bm25, or (when
    the words match most of the directory) name matches then the rest, each to be shown by
    name."""
    huge = total > HUGE if total is not None else _is_huge(s, match)
    if _unfiltered(filters):
        # The index holds only services on offer: FTS5 alone decides the page.
        if not huge:
            return [[r[0] for r in _fts(s, _RANKED_SQL, match, limit, offset)]]

        def stream(m: str, n: int, skip: int) -> list[int]:
            return [r[0] for r in _fts(s, _STREAM_SQL, m, n, skip)]

        def tally(m: str) -> int:
            return int(_fts(s, _COUNT_SQL, m)[0][0])

        return _cheap_page(limit, offset, stream, tally, match)
    fts = _fts_table()
    joined = S.join(fts, fts.c.rowid == S.c.search_key)
    if not huge:
        query = _filtered(select(S.c.search_key).select_from(joined).where(
            FTS.op("MATCH")(match)), filters).order_by(func.bm25(FTS, 10.0, 1.0, 4.0), S.c.name)
        return [list(s.execute(query.limit(limit).offset(offset)).scalars())]

    def stream_filtered(m: str, n: int, skip: int) -> list[int]:
        query = _filtered(select(S.c.search_key).select_from(joined).where(
            FTS.op("MATCH")(m)), filters).order_by(fts.c.rowid).limit(n).offset(skip)
        return list(s.execute(query).scalars())

    def tally_filtered(m: str) -> int:
        query = _filtered(select(func.count()).select_from(joined).where(FTS.op("MATCH")(m)),
                          filters)
        return int(s.execute(query).scalar_one())

    return _cheap_page(limit, offset, stream_filtered, tally_filtered, match)


def _search_query(text: str, filters: SearchFilters, limit: int | None = None,
                  offset: int = 0) -> Select[Any]:
    """Without words: favourites then by name. With words (counting only): every match."""
    source = S.outerjoin(ORG, ORG.c.id == S.c.organization_id)
    match = rules.fts_query(text)
    query: Select[Any]
    if match:
        fts = _fts_table()
        query = select(*_HIT_COLUMNS).select_from(
            source.join(fts, fts.c.rowid == S.c.search_key)).where(FTS.op("MATCH")(match))
    else:
        query = select(*_HIT_COLUMNS).select_from(source).order_by(
            S.c.favourite.desc(), func.lower(S.c.name), S.c.id)
    query = _filtered(query, filters)
    return query.limit(limit).offset(offset) if limit is not None else query


_FTS_TABLE: Any = None


def _fts_table() -> Any:
    global _FTS_TABLE
    if _FTS_TABLE is None:
        from sqlalchemy import column, table

        _FTS_TABLE = table("dir_services_fts", column("rowid"))
    return _FTS_TABLE


@dataclass(frozen=True)
class SearchPage:
    hits: list[ServiceHit]
    total: int


def _search(s: Connection, text: str, filters: SearchFilters, limit: int, offset: int,
            today: date, total: int | None = None) -> list[ServiceHit]:
    match = rules.fts_query(text)
    if not match:
        return [_hit(row, today) for row in s.execute(
            _search_query(text, filters, limit, offset)).all()]
    groups = _ranked_ids(s, match, filters, limit, offset,
                         total if _unfiltered(filters) else None)
    keys = [k for g in groups for k in g]
    if not keys:
        return []
    rows = {row[-1]: _typed_hit_row(row) for row in _fts(
        s, _HITS_SQL.format(keys=", ".join(str(int(k)) for k in keys)))}
    hits: list[ServiceHit] = []
    for group in groups:
        found = [_hit(rows[k], today) for k in group if k in rows]
        if len(groups) > 1:  # not ranked: favourites, then by name
            found.sort(key=lambda h: (not h.favourite, h.name.casefold()))
        hits += found
    return hits


# One page of hits by search key, in plain SQL (this runs on every keystroke; the columns
# are those of _HIT_COLUMNS, converted by _typed_hit_row as SQLAlchemy's types would).
_HITS_SQL = (
    "SELECT s.id, s.name, coalesce(o.name, ''), substr(s.description_text, 1, 240), "
    "s.status, s.needs, s.free_of_charge, s.self_referral, s.in_person, s.by_phone, s.online, "
    "s.open_days, s.verified_on, s.assured_date, s.last_modified, s.favourite, "
    "s.reported_wrong, s.withdrawn_at, s.search_key FROM dir_services AS s "
    "LEFT JOIN dir_organizations AS o ON o.id = s.organization_id "
    "WHERE s.search_key IN ({keys})")


def _typed_hit_row(row: Any) -> tuple[Any, ...]:
    def day(value: Any) -> date | None:
        return date.fromisoformat(value[:10]) if value else None

    def flag(value: Any) -> bool | None:
        return None if value is None else bool(value)

    return (uuid.UUID(hex=row[0]), *row[1:7], flag(row[7]), *row[8:12], day(row[12]),
            day(row[13]), *row[14:])


def _count(s: Connection, text: str, filters: SearchFilters) -> int:
    match = rules.fts_query(text)
    if match and _unfiltered(filters):
        return int(_fts(s, _COUNT_SQL, match)[0][0])
    inner = _search_query(text, filters).order_by(None).subquery()
    return int(s.execute(select(func.count()).select_from(inner)).scalar_one())


def search(ctx: AppContext, text: str = "", filters: SearchFilters | None = None, *,
           limit: int = 50, offset: int = 0, today: date | None = None) -> list[ServiceHit]:
    """Ranked results (by relevance when there are words, else favourites then by name)."""
    with _reading(ctx) as s:
        return _search(s, text, filters or SearchFilters(), limit, offset,
                       today or date.today())


def count(ctx: AppContext, text: str = "", filters: SearchFilters | None = None) -> int:
    with _reading(ctx) as s:
        return _count(s, text, filters or SearchFilters())


def _reading(ctx: AppContext) -> Any:
    """A plain connection for searching: it runs on every keystroke, and an ORM session adds
    a third of a millisecond for nothing (searches only read)."""
    return ctx.store.engine.connect()


def search_page(ctx: AppContext, text: str = "", filters: SearchFilters | None = None, *,
                limit: int = 50, today: date | None = None) -> SearchPage:
    """What the Directory page shows per keystroke: the first page and how many match."""
    filters = filters or SearchFilters()
    with _reading(ctx) as s:
        # Count first: without filters FTS5 counts quickly, and the count tells the search
        # whether the words match most of the directory (no second look needed).
        total = _count(s, text, filters)
        return SearchPage(_search(s, text, filters, limit, 0, today or date.today(), total),
                          total)


def _hit(row: Any, today: date) -> ServiceHit:
    checked = rules.last_checked(row[12], row[13], row[14])
    modes = tuple(code for code, flag in zip(("in_person", "phone", "online"),
                                             (row[8], row[9], row[10]), strict=True) if flag)
    return ServiceHit(
        id=row[0], name=row[1], organization=row[2], summary=row[3], status=row[4],
        needs=tuple(row[5].split()), free_of_charge=bool(row[6]), self_referral=row[7],
        modes=modes, open_days=row[11], checked_on=checked, stale=rules.is_stale(checked, today),
        favourite=bool(row[15]), reported_wrong=bool(row[16]), withdrawn=row[17] is not None,
    )


@dataclass(frozen=True)
class DirectoryStats:
    services: int
    stale: int
    reported_wrong: int
    favourites: int
    withdrawn: int


def stats(ctx: AppContext, *, today: date | None = None) -> DirectoryStats:
    today = today or date.today()
    with ctx.store.read() as s:
        rows = s.execute(select(S.c.verified_on, S.c.assured_date, S.c.last_modified,
                                S.c.reported_wrong, S.c.favourite, S.c.withdrawn_at)
                         .where(S.c.deleted_at.is_(None))).all()
    live = [r for r in rows if r[5] is None]
    return DirectoryStats(
        services=len(live),
        stale=sum(1 for r in live if rules.is_stale(rules.last_checked(r[0], r[1], r[2]), today)),
        reported_wrong=sum(1 for r in live if r[3]),
        favourites=sum(1 for r in live if r[4]),
        withdrawn=len(rows) - len(live),
    )


def suggest_for_needs(ctx: AppContext, needs: list[str], *, limit: int = 20,
                      today: date | None = None) -> list[ServiceHit]:
    """Services serving any of these needs domains, the first need's services first; within a
    need, favourites, then the most recently checked. Services reported wrong are left out."""
    needs = list(dict.fromkeys(n for n in needs if n in DOMAIN_CODES))
    if not needs:
        return []
    today = today or date.today()
    serves = [func.instr(" " + S.c.needs + " ", f" {n} ") > 0 for n in needs]
    first_need = case(*[(cond, i) for i, cond in enumerate(serves)], else_=len(needs))
    query = select(*_HIT_COLUMNS).select_from(S.outerjoin(ORG, ORG.c.id == S.c.organization_id)
                                              ).where(and_(or_(*serves),
                                                           S.c.reported_wrong.is_(False)))
    query = _filtered(query, SearchFilters()).order_by(
        first_need, S.c.favourite.desc(), S.c.verified_on.desc().nulls_last(),
        func.lower(S.c.name)).limit(limit)
    with ctx.store.read() as s:
        return [_hit(r, today) for r in s.execute(query).all()]
