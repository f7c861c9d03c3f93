"""`--skip-invalid`: which records a bad record takes with it (the whole service that owns it,
through its children, locations, organisation or terms)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from wellbeing_desktop.oruk.reader import Feed
from wellbeing_desktop.oruk.validate import Problem


def records_of(feed: Feed, problems: Iterable[Problem]) -> set[int]:
    wanted = {(p.table, p.where) for p in problems}
    return {id(r) for t, recs in feed.tables.items() for r in recs if (t, r.where) in wanted}


def owning_services(feed: Feed, bad: set[int]) -> set[str]:
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


def records_owned_by(feed: Feed, services: set[str]) -> set[int]:
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
