"""The local services directory: search, detail, local edits, import and export (DESIGN §5)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Select, and_, case, func, literal_column, or_, select, update
from sqlalchemy.orm import Session

from wellbeing_desktop.domain import directory as rules
from wellbeing_desktop.domain.costs import Cost, CostState
from wellbeing_desktop.domain.markup import clean_text
from wellbeing_desktop.domain.needs import DOMAIN_CODES, domain_label
from wellbeing_desktop.services import audit
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.services.permissions import require
from wellbeing_desktop.storage.models import directory as m
from wellbeing_desktop.storage.models import feeds as f
from wellbeing_desktop.storage.models.signposting import Signposting
from wellbeing_desktop.sync.oruk import exporter, importer, reader
from wellbeing_desktop.sync.oruk.validate import Problem

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


# --------------------------------------------------------------------------------- detail

@dataclass(frozen=True)
class PhoneInfo:
    number: str
    description: str
    contact: str


@dataclass(frozen=True)
class LocationInfo:
    name: str
    address: str
    postcode: str
    accessibility: str


@dataclass(frozen=True)
class ServiceFigures:
    service_id: uuid.UUID
    name: str
    times_used: int
    times_got_there: int
    times_wrong_details: int = 0


NOT_STATED = Cost(CostState.NOT_STATED, "")


@dataclass(frozen=True)
class ServiceDetail:
    id: uuid.UUID
    oruk_id: str
    name: str
    organization: str
    organization_website: str
    description: str
    url: str
    email: str
    status: str
    fees: str
    alert: str
    minimum_age: float | None
    maximum_age: float | None
    assured_date: date | None
    last_modified: str
    withdrawn: bool
    phones: tuple[PhoneInfo, ...]
    locations: tuple[LocationInfo, ...]
    opening_times: tuple[str, ...]
    service_areas: tuple[str, ...]
    languages: tuple[str, ...]
    costs: tuple[str, ...]
    terms: tuple[str, ...]
    needs: tuple[str, ...]
    self_referral: bool | None
    how_to_refer: str
    practitioner_notes: str
    favourite: bool
    reported_wrong: bool
    reported_wrong_reason: str
    reported_wrong_on: date | None
    verified_on: date | None
    verified_by: str
    checked_on: date | None
    stale: bool
    modes: tuple[str, ...]
    free_of_charge: bool
    times_used: int = 0
    times_got_there: int = 0
    # Issue 14: HSDS 3.0 text practitioners need (clean text), the cost in three states, the
    # terms' codes, and the feeds that list the service.
    eligibility: str = ""
    application_process: str = ""
    fees_description: str = ""
    cost: Cost = NOT_STATED
    term_codes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def opening_text(self) -> str:
        return "; ".join(self.opening_times)

    @property
    def address_text(self) -> str:
        return "; ".join(loc.address for loc in self.locations if loc.address)

    @property
    def phone_numbers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.number for p in self.phones))


    def as_dict(self) -> dict[str, Any]:
        """What `wellbeing directory show --json` prints (clean text, as the detail pane)."""
        return {
            "id": str(self.id), "oruk_id": self.oruk_id, "name": self.name,
            "organization": self.organization, "organization_website": self.organization_website,
            "description": self.description, "who_it_is_for": self.eligibility,
            "how_to_get_help": self.application_process,
            "cost": {"state": self.cost.state.value, "text": self.cost.text,
                     "shown": self.cost.shown},
            "url": self.url, "email": self.email, "status": self.status, "alert": self.alert,
            "minimum_age": self.minimum_age, "maximum_age": self.maximum_age,
            "phones": [{"number": p.number, "description": p.description, "contact": p.contact}
                       for p in self.phones],
            "locations": [{"name": loc.name, "address": loc.address, "postcode": loc.postcode,
                           "accessibility": loc.accessibility} for loc in self.locations],
            "opening_times": list(self.opening_times), "service_areas": list(self.service_areas),
            "languages": list(self.languages), "terms": list(self.terms),
            "term_codes": list(self.term_codes), "needs": list(self.needs),
            "self_referral": self.self_referral, "how_to_refer": self.how_to_refer,
            "practitioner_notes": self.practitioner_notes, "favourite": self.favourite,
            "reported_wrong": self.reported_wrong,
            "reported_wrong_reason": self.reported_wrong_reason,
            "last_checked": self.checked_on.isoformat() if self.checked_on else None,
            "stale": self.stale, "withdrawn": self.withdrawn, "feeds": list(self.sources),
        }

    def as_text(self) -> str:
        """The detail pane as plain lines (`wellbeing directory show`)."""
        lines = [self.name + (" (withdrawn)" if self.withdrawn else "")]
        if self.organization:
            lines.append(f"by {self.organization}")
        if self.alert:
            lines += ["", f"Note: {self.alert}"]
        if self.description:
            lines += ["", self.description]
        for label, value in (("Who it is for", self.eligibility),
                             ("How to get help", self.application_process)):
            if value:
                lines += ["", f"{label}:", value]
        lines.append("")
        rows = [("Cost", self.cost.shown), ("Phone", "; ".join(self.phone_numbers)),
                ("Address", self.address_text), ("Opening times", self.opening_text),
                ("Website", self.url or self.organization_website), ("Email", self.email),
                ("Languages", ", ".join(self.languages)), ("Areas", ", ".join(self.service_areas)),
                ("Categories", ", ".join(self.terms)), ("Codes", ", ".join(self.term_codes)),
                ("Last checked", self.checked_on.isoformat() if self.checked_on else "never"
                 + (" (stale)" if self.stale else "")),
                ("Feeds", ", ".join(self.sources) or "none (added here)"),
                ("ORUK id", self.oruk_id)]
        lines += [f"{label}: {value}" for label, value in rows if value]
        return "\n".join(lines)


def _service_row(s: Session, service_id: uuid.UUID) -> Any:
    row = s.execute(select(S).where(S.c.id == service_id, S.c.deleted_at.is_(None))).first()
    if row is None:
        raise NotFound("That service is not in the directory.")
    return row


def load_details(s: Session, service_ids: list[uuid.UUID],
                 today: date | None = None) -> dict[uuid.UUID, ServiceDetail]:
    """Full details of several services in one go (signposting summaries use this)."""
    today = today or date.today()
    if not service_ids:
        return {}
    ids = list(dict.fromkeys(service_ids))
    rows = {r.id: r for r in s.execute(select(S).where(S.c.id.in_(ids))).all()}
    orgs = {r.id: r for r in s.execute(select(ORG).where(
        ORG.c.id.in_([r.organization_id for r in rows.values() if r.organization_id])))}

    def children(model: Any) -> dict[uuid.UUID, list[Any]]:
        t = model.__table__
        out: dict[uuid.UUID, list[Any]] = {}
        for r in s.execute(select(t).where(t.c.service_id.in_(ids), t.c.deleted_at.is_(None))
                           .order_by(t.c.oruk_id)):
            out.setdefault(r.service_id, []).append(r)
        return out

    phones, schedules = children(m.DirPhone), children(m.DirSchedule)
    areas, langs = children(m.DirServiceArea), children(m.DirLanguage)
    costs, sals = children(m.DirCostOption), children(m.DirServiceAtLocation)
    contacts = {r.id: r for r in s.execute(select(m.DirContact.__table__).where(
        m.DirContact.__table__.c.service_id.in_(ids)))}
    loc_ids = [sal.location_id for v in sals.values() for sal in v]
    locations = {r.id: r for r in s.execute(select(m.DirLocation.__table__).where(
        m.DirLocation.__table__.c.id.in_(loc_ids)))}
    addresses: dict[uuid.UUID, list[Any]] = {}
    access: dict[uuid.UUID, list[Any]] = {}
    for model, target in ((m.DirAddress, addresses), (m.DirAccessibility, access)):
        t = model.__table__
        for r in s.execute(select(t).where(t.c.location_id.in_(loc_ids), t.c.deleted_at.is_(None))
                           .order_by(t.c.oruk_id)):
            target.setdefault(r.location_id, []).append(r)
    at, tt = m.DirAttribute.__table__, m.DirTaxonomyTerm.__table__
    terms: dict[uuid.UUID, list[str]] = {}
    codes: dict[uuid.UUID, list[str]] = {}
    for sid, name, code, vocabulary in s.execute(
            select(at.c.service_id, tt.c.name, tt.c.code, tt.c.vocabulary).join(
                tt, tt.c.id == at.c.taxonomy_term_id).where(at.c.service_id.in_(ids),
                                                            at.c.deleted_at.is_(None))):
        terms.setdefault(sid, []).append(clean_text(name))
        if code or vocabulary:
            codes.setdefault(sid, []).append(": ".join(x for x in (vocabulary, code) if x))
    fd, src = f.DirFeed.__table__, f.DirServiceSource.__table__
    feed_names: dict[uuid.UUID, list[str]] = {}
    for sid, feed_name in s.execute(select(src.c.service_id, fd.c.name).join(
            fd, fd.c.id == src.c.feed_id).where(
            src.c.service_id.in_(ids), src.c.withdrawn_at.is_(None),
            fd.c.removed_at.is_(None)).order_by(src.c.created_at, fd.c.name)):
        feed_names.setdefault(sid, []).append(feed_name)
    sp = Signposting.__table__
    figures = {r[0]: (int(r[1]), int(r[2] or 0)) for r in s.execute(
        select(sp.c.service_id, func.count(),
               func.sum(case((sp.c.outcome.in_(GOT_THERE), 1), else_=0)))
        .where(sp.c.service_id.in_(ids), sp.c.deleted_at.is_(None)).group_by(sp.c.service_id))}
    out: dict[uuid.UUID, ServiceDetail] = {}
    for sid, r in rows.items():
        org = orgs.get(r.organization_id)
        locs = []
        for sal in sals.get(sid, []):
            loc = locations.get(sal.location_id)
            if loc is None:
                continue
            for addr in addresses.get(loc.id, []) or [None]:
                lines = [] if addr is None else [
                    addr.address_1, addr.address_2, addr.city, addr.postal_code]
                locs.append(LocationInfo(
                    name=loc.name or "",
                    address=", ".join(x for x in lines if x),
                    postcode=addr.postal_code if addr is not None else "",
                    accessibility=" ".join(a.description or a.accessibility or ""
                                           for a in access.get(loc.id, [])),
                ))
        checked = rules.last_checked(r.verified_on, r.assured_date, r.last_modified)
        used, got = figures.get(sid, (0, 0))
        cost_texts = [clean_text(r.fees), clean_text(r.fees_description)]
        for c in costs.get(sid, []):
            cost_texts.extend(clean_text(x) for x in (c.option, c.amount_description) if x)
        shown_cost = "; ".join(dict.fromkeys(t for t in cost_texts if t))
        out[sid] = ServiceDetail(
            id=sid, oruk_id=r.oruk_id, name=clean_text(r.name) or "(no name)",
            organization=clean_text(org.name) if org else "",
            organization_website=(org.website or org.url or "") if org else "",
            description=r.description_text, url=r.url or "", email=r.email or "",
            status=r.status, fees=clean_text(r.fees), alert=clean_text(r.alert),
            minimum_age=r.minimum_age, maximum_age=r.maximum_age,
            assured_date=r.assured_date, last_modified=r.last_modified or "",
            withdrawn=r.withdrawn_at is not None,
            phones=tuple(PhoneInfo(p.number, p.description or "",
                                   (contacts[p.contact_id].name or "")
                                   if p.contact_id in contacts else "")
                         for p in phones.get(sid, [])),
            locations=tuple(locs),
            opening_times=tuple(t for t in (rules.opening_text(
                sc.byday, sc.opens_at, sc.closes_at, sc.description, sc.freq)
                for sc in schedules.get(sid, [])) if t),
            service_areas=tuple(a.name or a.service_area or "" for a in areas.get(sid, [])),
            languages=tuple(lang.name or lang.code or "" for lang in langs.get(sid, [])
                            if lang.name or lang.code),
            costs=tuple(_cost_text(c) for c in costs.get(sid, [])),
            terms=tuple(terms.get(sid, [])),
            needs=tuple(r.needs.split()), self_referral=r.self_referral,
            how_to_refer=r.how_to_refer, practitioner_notes=r.practitioner_notes,
            favourite=r.favourite, reported_wrong=r.reported_wrong,
            reported_wrong_reason=r.reported_wrong_reason,
            reported_wrong_on=r.reported_wrong_on, verified_on=r.verified_on,
            verified_by=r.verified_by, checked_on=checked,
            stale=rules.is_stale(checked, today),
            modes=tuple(c for c, f in (("in_person", r.in_person), ("phone", r.by_phone),
                                       ("online", r.online)) if f),
            free_of_charge=r.free_of_charge, times_used=used, times_got_there=got,
            eligibility=clean_text(r.eligibility_description),
            application_process=clean_text(r.application_process),
            fees_description=clean_text(r.fees_description),
            cost=Cost(_state(r.cost_state), shown_cost),
            term_codes=tuple(codes.get(sid, [])), sources=tuple(feed_names.get(sid, [])),
        )
    return out


GOT_THERE = ("engaged", "waiting")


def _state(value: str) -> CostState:
    try:
        return CostState(value)
    except ValueError:
        return CostState.NOT_STATED


def _cost_text(c: Any) -> str:
    amount = f"£{c.amount:,.2f}".replace(".00", "") if c.amount is not None else ""
    return " ".join(x for x in (c.option or "", amount, c.amount_description or "") if x)


def find_service(ctx: AppContext, key: str, *, today: date | None = None) -> ServiceDetail:
    """A service by our id or its ORUK id (what `wellbeing directory show ID` takes)."""
    require(ctx.actor, "directory.view")
    with ctx.store.read() as s:
        try:
            condition = S.c.id == uuid.UUID(key.strip())
        except ValueError:
            condition = S.c.oruk_id == key.strip()
        row = s.execute(select(S.c.id).where(condition, S.c.deleted_at.is_(None))).first()
        if row is None:
            by_oruk = s.execute(select(S.c.id).where(S.c.oruk_id == key.strip(),
                                                     S.c.deleted_at.is_(None))).first()
            row = by_oruk
        if row is None:
            raise NotFound(f"No service with the id {key!r} in the directory.")
        return load_details(s, [row[0]], today)[row[0]]


def get_service(ctx: AppContext, service_id: uuid.UUID, *, today: date | None = None
                ) -> ServiceDetail:
    require(ctx.actor, "directory.view")
    with ctx.store.read() as s:
        _service_row(s, service_id)
        return load_details(s, [service_id], today)[service_id]


# ----------------------------------------------------------------------------- local edits

def _edit(ctx: AppContext, service_id: uuid.UUID, permission: str, action: str,
          values: dict[str, Any]) -> Changed:
    require(ctx.actor, permission)
    with ctx.store.session() as s:
        service = s.get(m.DirService, service_id)
        if service is None or service.deleted_at is not None:
            raise NotFound("That service is not in the directory.")
        for key, value in values.items():
            setattr(service, key, value)
        if "needs" in values:
            org = s.get(m.DirOrganization, service.organization_id) \
                if service.organization_id else None
            terms = s.execute(select(m.DirTaxonomyTerm.name).join(
                m.DirAttribute, m.DirAttribute.taxonomy_term_id == m.DirTaxonomyTerm.id).where(
                m.DirAttribute.service_id == service_id, m.DirAttribute.deleted_at.is_(None))
            ).scalars().all()
            words = [org.name if org else "", *terms,
                     " ".join(domain_label(c) for c in service.needs.split())]
            service.search_terms = " ".join(w for w in words if w)
        audit.record(s, ctx.actor, action, entity=ENTITY, entity_id=service_id)
    return Changed.of(ENTITY, ids=(str(service_id),))


def set_favourite(ctx: AppContext, service_id: uuid.UUID, favourite: bool) -> Changed:
    return _edit(ctx, service_id, "directory.note", "directory.favourite",
                 {"favourite": bool(favourite)})


@dataclass(frozen=True)
class LocalDetails:
    needs: tuple[str, ...] = ()
    self_referral: bool | None = None
    how_to_refer: str = ""
    practitioner_notes: str = ""


def save_local_details(ctx: AppContext, service_id: uuid.UUID, details: LocalDetails) -> Changed:
    """The team's own notes about a service: needs it serves, self-referral, how to refer."""
    problems = []
    unknown = [n for n in details.needs if n not in DOMAIN_CODES]
    if unknown:
        problems.append(FieldProblem("needs", f"unknown needs domain: {', '.join(unknown)}"))
    if len(details.practitioner_notes) > 4000:
        problems.append(FieldProblem("practitioner_notes", "keep notes under 4,000 characters"))
    if len(details.how_to_refer) > 2000:
        problems.append(FieldProblem("how_to_refer", "keep this under 2,000 characters"))
    if problems:
        raise ValidationError(problems)
    return _edit(ctx, service_id, "directory.note", "directory.note", {
        "needs": " ".join(sorted(set(details.needs))),
        "self_referral": details.self_referral,
        "how_to_refer": details.how_to_refer.strip(),
        "practitioner_notes": details.practitioner_notes.strip(),
    })


def mark_verified(ctx: AppContext, service_id: uuid.UUID, *, on: date | None = None) -> Changed:
    return _edit(ctx, service_id, "directory.verify", "directory.verify",
                 {"verified_on": on or date.today(), "verified_by": ctx.actor.name})


def report_wrong(ctx: AppContext, service_id: uuid.UUID, reason: str, *,
                 on: date | None = None) -> Changed:
    reason = reason.strip()
    if not reason:
        raise ValidationError([FieldProblem("reason", "say what is wrong (closed, wrong phone "
                                                      "number, moved …)")])
    if len(reason) > 1000:
        raise ValidationError([FieldProblem("reason", "keep this under 1,000 characters")])
    return _edit(ctx, service_id, "directory.note", "directory.report_wrong", {
        "reported_wrong": True, "reported_wrong_reason": reason,
        "reported_wrong_on": on or date.today()})


def clear_reported_wrong(ctx: AppContext, service_id: uuid.UUID) -> Changed:
    return _edit(ctx, service_id, "directory.verify", "directory.clear_wrong", {
        "reported_wrong": False, "reported_wrong_reason": "", "reported_wrong_on": None})


def flag_wrong_in_session(s: Session, service_id: uuid.UUID, reason: str, on: date) -> None:
    """Signposting's "service closed or wrong details" outcome, inside its unit of work."""
    s.execute(update(m.DirService).where(m.DirService.id == service_id).values(
        reported_wrong=True, reported_wrong_reason=reason[:1000], reported_wrong_on=on))


# ------------------------------------------------------------------------ import / export

@dataclass(frozen=True)
class ImportResult:
    source: str
    full_feed: bool
    dry_run: bool
    added: tuple[tuple[str, str], ...]
    updated: tuple[tuple[str, str], ...]
    unchanged: tuple[tuple[str, str], ...]
    withdrawn: tuple[tuple[str, str], ...]
    skipped: tuple[dict[str, str], ...]
    records: int
    changed: Changed = field(default_factory=lambda: Changed.of(ENTITY))
    feed: str = ""
    # Data-quality notes: imported, but worth a directory officer's look (empty required text,
    # a bad optional value left out, a web address repaired).
    warnings: tuple[dict[str, str], ...] = ()
    # Said when the file holds no services (a taxonomy file: its vocabulary was added).
    note: str = ""

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "updated": len(self.updated),
                "unchanged": len(self.unchanged), "withdrawn": len(self.withdrawn),
                "skipped": len(self.skipped), "warnings": len(self.warnings)}

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "feed": self.feed, "full_feed": self.full_feed,
            "dry_run": self.dry_run, "warnings": list(self.warnings), "note": self.note,
            "records": self.records, "counts": self.counts(),
            "added": [list(x) for x in self.added], "updated": [list(x) for x in self.updated],
            "unchanged": [list(x) for x in self.unchanged],
            "withdrawn": [list(x) for x in self.withdrawn], "skipped": list(self.skipped),
        }


class _DryRun(Exception):
    def __init__(self, report: importer.ImportReport) -> None:
        self.report = report


def _rejected(problems: list[Problem]) -> ValidationError:
    shown = [FieldProblem("", p.text) for p in problems[:5]]
    if len(problems) > 5:
        shown.append(FieldProblem("", f"… and {len(problems) - 5} more problems"))
    error = ValidationError(shown)
    error.import_problems = [p.as_dict() for p in problems]  # type: ignore[attr-defined]
    return error


def import_feed(ctx: AppContext, path: Path | str, *, dry_run: bool = False,
                skip_invalid: bool = False, feed: str = "") -> ImportResult:
    """Import an ORUK feed in one transaction; bad input changes nothing."""
    require(ctx.actor, "directory.import")
    feed_name = " ".join(feed.split())
    if len(feed_name) > 200:
        raise ValidationError([FieldProblem("feed", "keep the feed's name under 200 characters")])
    try:
        with importer.bulk():
            return _import(ctx, path, dry_run=dry_run, skip_invalid=skip_invalid,
                           feed_name=feed_name)
    except reader.FeedError as exc:
        raise ValidationError(str(exc)) from None


def _import(ctx: AppContext, path: Path | str, *, dry_run: bool, skip_invalid: bool,
            feed_name: str) -> ImportResult:
    data = reader.read(path)
    try:
        with ctx.store.session() as s:
            conn = s.connection()
            skipped = importer.check(conn, data, skip_invalid=skip_invalid)
            report = importer.apply(conn, data, feed_name=feed_name, dry_run=dry_run)
            report.skipped = skipped
            if dry_run:
                raise _DryRun(report)
            audit.record(s, ctx.actor, "directory.import", entity=ENTITY,
                         detail=orjson.dumps(report.counts()).decode())
    except importer.ImportRejected as exc:
        raise _rejected(exc.problems) from None
    except _DryRun as dry:
        report = dry.report
    return ImportResult(
        source=data.source, full_feed=report.full_feed, dry_run=dry_run, feed=report.feed_name,
        warnings=tuple(w.as_dict() for w in report.warnings), note=_note(data),
        added=tuple(report.added), updated=tuple(report.updated),
        unchanged=tuple(report.unchanged), withdrawn=tuple(report.withdrawn),
        skipped=tuple(p.as_dict() for p in report.skipped), records=report.records,
        changed=Changed.of(ENTITY) if not dry_run else Changed.of(),
    )


def _note(data: reader.Feed) -> str:
    if data.tables["service"]:
        return ""
    terms, taxonomies = len(data.tables["taxonomy_term"]), len(data.tables["taxonomy"])
    if terms or taxonomies:
        return (f"This is a taxonomy, not a list of services: {taxonomies} taxonomies and "
                f"{terms} terms were read, no services.")
    return "The file lists no services."


def export_directory(ctx: AppContext, path: Path | str) -> int:
    require(ctx.actor, "directory.export")
    target = Path(path)
    if target.is_dir():
        raise ValidationError([FieldProblem("path", f"{target} is a folder; give a file name")])
    if not target.parent.exists():
        raise ValidationError([FieldProblem("path", f"the folder {target.parent} does not exist")])
    with ctx.store.session() as s:
        count_ = exporter.write(s.connection(), target)
        audit.record(s, ctx.actor, "directory.export", entity=ENTITY, detail=f"services={count_}")
    return count_


# ------------------------------------------------------------------------------ overview

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
