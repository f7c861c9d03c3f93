"""One service in full (phones, places, costs, how often it was used) for the detail view and signposting."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from wellbeing_desktop.domain import directory as rules
from wellbeing_desktop.domain.costs import Cost, CostState
from wellbeing_desktop.domain.markup import clean_text
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.directory.lookup import ORG, S
from wellbeing_desktop.services.errors import NotFound
from wellbeing_desktop.services.permissions import require
from wellbeing_desktop.storage.models import directory as m
from wellbeing_desktop.storage.models import feeds as f
from wellbeing_desktop.storage.models.signposting import Signposting


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
        # Under its own "Cost:" label the state reads "Not stated", not "Cost not stated".
        cost = (self.cost.shown.replace("Cost not stated", "Not stated", 1)
                if self.cost.state is CostState.NOT_STATED else self.cost.shown)
        rows = [("Cost", cost), ("Phone", "; ".join(self.phone_numbers)),
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
