"""Flat ORUK tables ⇄ nested service documents (the API's "full service" shape).

The importer hashes each service's document to tell unchanged from updated, and derives the
search columns from it; the exporter writes the same documents, so a round trip is exact.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import orjson

from wellbeing_desktop.domain.costs import Cost, CostState, decide
from wellbeing_desktop.domain.markup import clean_text as _clean_text
from wellbeing_desktop.domain.text import fold as _fold

Row = dict[str, Any]

# Organisation names, terms, fee texts, towns and languages repeat across a feed's services:
# each distinct one is cleaned (or folded) once per import, not once per service.
clean_text = lru_cache(maxsize=16384)(_clean_text)
fold = lru_cache(maxsize=16384)(_fold)
DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _clean(data: Row, *drop: str) -> Row:
    return {k: v for k, v in data.items() if v is not None and k not in drop}


def _by_id(rows: list[Row]) -> list[Row]:
    return sorted(rows, key=lambda r: str(r.get("id", "")))


def assemble(tables: dict[str, list[Row]]) -> list[Row]:
    """Nested documents for every service in `tables` (rows keyed by ORUK field names)."""
    orgs = {r["id"]: r for r in tables.get("organization", [])}
    org_ids: dict[str, list[Row]] = defaultdict(list)
    for r in tables.get("organization_identifier", []):
        org_ids[r.get("organization_id") or ""].append(_clean(r, "organization_id"))
    locations = {r["id"]: r for r in tables.get("location", [])}
    loc_children: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for key in ("address", "accessibility"):
        for r in tables.get(key, []):
            loc_children[(key, r.get("location_id") or "")].append(_clean(r, "location_id"))
    terms = {r["id"]: r for r in tables.get("taxonomy_term", [])}
    phones_by_contact: dict[str, list[Row]] = defaultdict(list)
    by_service: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in tables.get("phone", []):
        if r.get("contact_id"):
            phones_by_contact[r["contact_id"]].append(_clean(r, "contact_id", "service_id"))
        elif r.get("service_id"):
            by_service[("phones", r["service_id"])].append(_clean(r, "contact_id", "service_id"))
    for key, table in (("schedules", "schedule"), ("service_areas", "service_area"),
                       ("languages", "language"), ("funding", "funding"),
                       ("cost_options", "cost_option"), ("contacts", "contact")):
        for r in tables.get(table, []):
            if r.get("service_id"):
                by_service[(key, r["service_id"])].append(_clean(r, "service_id"))
    for r in tables.get("service_at_location", []):
        by_service[("sal", r.get("service_id") or "")].append(r)
    for r in tables.get("attribute", []):
        by_service[("attributes", r.get("link_id") or "")].append(r)

    docs: list[Row] = []
    for service in tables.get("service", []):
        sid = service["id"]
        doc = _clean(service, "organization_id")
        org = orgs.get(service.get("organization_id") or "")
        if org is not None:
            org_doc = _clean(org)
            idents = org_ids.get(org["id"])
            if idents:
                org_doc["organization_identifiers"] = _by_id(idents)
            doc["organization"] = org_doc
        for key in ("schedules", "service_areas", "languages", "funding", "cost_options",
                    "phones"):
            rows = by_service.get((key, sid))
            if rows:
                doc[key] = _by_id(rows)
        contacts = by_service.get(("contacts", sid))
        if contacts:
            out = []
            for c in _by_id(contacts):
                c = dict(c)
                phones = phones_by_contact.get(c["id"])
                if phones:
                    c["phones"] = _by_id(phones)
                out.append(c)
            doc["contacts"] = out
        sals = []
        for sal in _by_id(by_service.get(("sal", sid), [])):
            sal_doc: Row = {"id": sal["id"]}
            location = locations.get(sal.get("location_id") or "")
            if location is not None:
                loc = _clean(location)
                for key, plural in (("address", "addresses"), ("accessibility", "accessibility")):
                    rows = loc_children.get((key, location["id"]))
                    if rows:
                        loc[plural] = _by_id(rows)
                sal_doc["location"] = loc
            sals.append(sal_doc)
        if sals:
            doc["service_at_locations"] = sals
        attrs = []
        for attr in _by_id(by_service.get(("attributes", sid), [])):
            a = _clean(attr, "link_id", "taxonomy_term_id", "service_id")
            term = terms.get(attr.get("taxonomy_term_id") or "")
            if term is not None:
                a["taxonomy_term"] = _clean(term)
            attrs.append(a)
        if attrs:
            doc["attributes"] = attrs
        docs.append(doc)
    return docs


def content_hash(doc: Row) -> str:
    return hashlib.sha256(orjson.dumps(doc, option=orjson.OPT_SORT_KEYS)).hexdigest()


@dataclass(frozen=True)
class Derived:
    search_terms: str
    free_of_charge: bool
    in_person: bool
    by_phone: bool
    online: bool
    open_days: str
    languages: str
    areas: str


_ONLINE_WORDS = ("online", "video", "remote", "web chat", "webchat", "zoom", "teams")


def cost_of(doc: Row) -> Cost:
    """Free / charged / not stated from the cost options and every fee text (domain.costs)."""
    options = [c for c in doc.get("cost_options") or [] if isinstance(c, dict)]
    texts = [clean_text(doc.get("fees")), clean_text(doc.get("fees_description"))]
    # An option's `option` names it ("Per session"); only its description states a fee.
    texts.extend(clean_text(c.get("amount_description")) for c in options)
    return decide([c.get("amount") for c in options], texts)


def derive(doc: Row, need_labels: str = "", cost: Cost | None = None) -> Derived:
    """The search columns of one service document (`cost`: its `cost_of`, if worked out)."""
    org = doc.get("organization") or {}
    # Clean text only: an organisation called "Tea &amp; Talk" is searched as "Tea & Talk".
    words = [clean_text(org.get("name"))]
    for attr in doc.get("attributes") or []:
        term = attr.get("taxonomy_term") or {}
        words.extend(clean_text(term.get(k)) for k in ("name", "term"))
    if need_labels:
        words.append(need_labels)
    free = (cost if cost is not None else cost_of(doc)).state is CostState.FREE
    locations = [s.get("location") or {} for s in doc.get("service_at_locations") or []]
    in_person = any(loc.get("location_type") == "physical" for loc in locations)
    phones = list(doc.get("phones") or [])
    for contact in doc.get("contacts") or []:
        phones.extend(contact.get("phones") or [])
    attending = " ".join(str(s.get("attending_type") or "").casefold()
                         for s in doc.get("schedules") or [])
    online = any(loc.get("location_type") == "virtual" for loc in locations) or any(
        w in attending for w in _ONLINE_WORDS)
    if "in person" in attending or "in-person" in attending:
        in_person = True
    days: set[str] = set()
    for s in doc.get("schedules") or []:
        if (s.get("freq") or "WEEKLY") == "WEEKLY" and s.get("byday"):
            days.update(d.strip().upper()[-2:] for d in str(s["byday"]).split(","))
    languages: list[str] = []
    for lang in doc.get("languages") or []:
        for key in ("code", "name"):
            if lang.get(key):
                languages.append(fold(str(lang[key])))
    areas: list[str] = []
    for loc in locations:
        for addr in loc.get("addresses") or []:
            code = str(addr.get("postal_code") or "").strip().upper()
            if code:
                areas.append(code.split()[0])
            if addr.get("city"):
                areas.append(fold(str(addr["city"])))
    for area in doc.get("service_areas") or []:
        for key in ("name", "service_area"):
            value = str(area.get(key) or "")
            if value and len(value) <= 60:
                areas.append(fold(value))
    return Derived(
        search_terms=" ".join(w for w in words if w),
        free_of_charge=free,
        in_person=in_person,
        by_phone=bool(phones),
        online=online,
        open_days=" ".join(d for d in DAYS if d in days),
        languages=_padded(languages),
        areas=_padded(areas),
    )


def _padded(values: list[str]) -> str:
    seen = list(dict.fromkeys(v for v in values if v))
    return f" {' | '.join(seen)} " if seen else ""
