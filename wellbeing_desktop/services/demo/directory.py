"""Demo directory: invented Kingsmere services across every needs domain (ORUK-shaped).

The standard set (80) is hand-written entries, each with its own name, realistic and varied
(some stale, some reported wrong, favourites, other languages). Large sets (benchmarks) repeat
them with branch names and shared locations so 20,000 services insert in about a second with
Core executemany.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, func, select

from wellbeing_desktop.domain.needs import domain_label
from wellbeing_desktop.oruk.documents import Derived
from wellbeing_desktop.services.demo.context import DemoContext
from wellbeing_desktop.services.demo.directory_entries import (
    BRANCHES,
    ENTRIES,
    LANG_NAMES,
    LANGUAGE_SETS,
    WRONG_REASONS,
)
from wellbeing_desktop.services.demo.names import DISTRICTS, STREETS, TOWN
from wellbeing_desktop.storage.models import directory as m
from wellbeing_desktop.storage.models.base import Base


def generate(ctx: DemoContext) -> None:
    count = ctx.services
    if count <= 0:
        return
    rng = ctx.rng
    # ORUK ids and search keys must not repeat when demo data is added to a store twice.
    run = ctx.uuid().hex[:6]
    key_base = int(ctx.conn.execute(select(func.coalesce(func.max(
        m.DirService.__table__.c.search_key), 0))).scalar_one())
    orgs: dict[str, uuid.UUID] = {}
    org_rows: list[dict[str, Any]] = []
    for entry in ENTRIES:
        if entry[1] not in orgs:
            oid = ctx.uuid()
            orgs[entry[1]] = oid
            slug = entry[1].lower().replace(" ", "").replace("'", "")[:24]
            org_rows.append({"id": oid, "oruk_id": f"km-{run}-org-{len(orgs):04d}", "name": entry[1],
                             "description": f"{entry[1]} works with people in {TOWN}.",
                             "email": f"hello@{slug}.example.org",
                             "website": f"https://{slug}.example.org", "extra_json": "{}"})
    ctx.insert(_t(m.DirOrganization), org_rows)
    # Shared locations: one per street and district pairing (large sets reuse them).
    locations: list[tuple[uuid.UUID, str, str, str]] = []
    loc_rows, addr_rows = [], []
    for n in range(min(count, 200)):
        lid = ctx.uuid()
        street = STREETS[n % len(STREETS)]
        district = DISTRICTS[n % len(DISTRICTS)]
        postcode = f"{district} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}" \
                   f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
        name = ["Community Centre", "Library", "Health Centre", "Methodist Hall", "Hub",
                "Civic Centre"][n % 6]
        loc_name = f"{street.split()[0]} {name}"
        loc_rows.append({"id": lid, "oruk_id": f"km-{run}-loc-{n:05d}", "location_type": "physical",
                         "name": loc_name})
        addr_rows.append({"oruk_id": f"km-{run}-addr-{n:05d}", "location_id": lid,
                          "address_1": f"{rng.randint(1, 120)} {street}", "city": TOWN,
                          "state_province": "Kingsmereshire", "postal_code": postcode,
                          "country": "GB", "address_type": "physical"})
        locations.append((lid, loc_name, postcode, district))
    ctx.insert(_t(m.DirLocation), loc_rows)
    ctx.insert(_t(m.DirAddress), addr_rows)

    services, sals, contacts, phones, schedules, langs, areas = [], [], [], [], [], [], []
    favourites = 0
    for n in range(count):
        entry = ENTRIES[n % len(ENTRIES)]
        name, org, needs, description, self_ref, free, modes, days, hours, how = entry
        if n >= len(ENTRIES):
            name = f"{name} ({BRANCHES[(n // len(ENTRIES) - 1) % len(BRANCHES)]}"
            name += f" {n // (len(ENTRIES) * len(BRANCHES)) + 1})" if n >= len(ENTRIES) * (
                len(BRANCHES) + 1) else ")"
        sid = ctx.uuid()
        ctx.service_ids.append(sid)
        lid, loc_name, postcode, district = locations[n % len(locations)]
        language_codes = LANGUAGE_SETS[n % len(LANGUAGE_SETS)]
        # Freshness varies: most checked this year, some stale, a few never.
        age = rng.choice([20, 60, 150, 250, 300, 420, 700, None]) if not ctx.large else 90
        verified = ctx.today - timedelta(days=age) if age is not None else None
        assured = ctx.today - timedelta(days=age + 30) if age is not None else None
        wrong = n % 23 == 7
        favourite = n % 9 == 2 and favourites < 12
        favourites += favourite
        opens, closes = hours.split("-")
        area_tokens = [district, TOWN.casefold()]
        derived = Derived(
            search_terms=f"{org} {' '.join(domain_label(c) for c in needs.split())}",
            free_of_charge=free, in_person="i" in modes, by_phone="p" in modes,
            online="o" in modes, open_days=" ".join(d for d in days.split(",")),
            languages=(" " + " | ".join(["en", "english", *[c for c in language_codes],
                                         *[LANG_NAMES[c].casefold() for c in language_codes]])
                       + " "),
            areas=" " + " | ".join(area_tokens) + " ",
        )
        services.append({
            "id": sid, "oruk_id": f"km-{run}-svc-{n:05d}", "organization_id": orgs[org], "name": name,
            "description": description, "description_text": description, "status": "active",
            "cost_state": "free" if free else "charged",
            "url": f"https://{org.lower().replace(' ', '').replace(chr(39), '')[:24]}"
                   ".example.org/services",
            "fees": None if free else "Small charge; ask about concessions",
            "assured_date": assured, "last_modified": None, "extra_json": "{}",
            "content_hash": "", "needs": needs, "self_referral": self_ref,
            "how_to_refer": how, "practitioner_notes": "Friendly team; ask for the duty worker."
            if n % 7 == 3 else "", "favourite": favourite, "reported_wrong": wrong,
            "reported_wrong_reason": WRONG_REASONS[n % len(WRONG_REASONS)] if wrong else "",
            "reported_wrong_on": ctx.today - timedelta(days=12) if wrong else None,
            "verified_on": verified, "verified_by": "Sam Okoye" if verified else "",
            "search_key": key_base + n + 1, **derived.__dict__,
        })
        if "i" in modes:
            sals.append({"oruk_id": f"km-{run}-sal-{n:05d}", "service_id": sid, "location_id": lid})
        cid = ctx.uuid()
        contacts.append({"id": cid, "oruk_id": f"km-{run}-con-{n:05d}", "service_id": sid,
                         "name": "Duty adviser" if n % 2 else "Reception", "title": None})
        phones.append({"oruk_id": f"km-{run}-tel-{n:05d}", "contact_id": cid, "service_id": sid,
                       "number": f"01632 960{n % 1000:03d}" if n % 5 else
                       f"07700 900{n % 1000:03d}", "description": "Main line"})
        schedules.append({"oruk_id": f"km-{run}-sch-{n:05d}", "service_id": sid, "freq": "WEEKLY",
                          "byday": days, "opens_at": opens + ":00", "closes_at": closes + ":00",
                          "attending_type": {"i": "In person", "p": "By phone", "o": "Online"}
                          .get(modes, "In person, by phone or online")})
        for k, code in enumerate(("en", *language_codes)):
            langs.append({"oruk_id": f"km-{run}-lang-{n:05d}-{k}", "service_id": sid, "code": code,
                          "name": LANG_NAMES[code]})
        areas.append({"oruk_id": f"km-{run}-area-{n:05d}", "service_id": sid,
                      "name": f"{TOWN} and surrounding villages"})
    ctx.insert(_t(m.DirService), services)
    ctx.insert(_t(m.DirServiceAtLocation), sals)
    ctx.insert(_t(m.DirContact), contacts)
    ctx.insert(_t(m.DirPhone), phones)
    ctx.insert(_t(m.DirSchedule), schedules)
    if not ctx.large:
        ctx.insert(_t(m.DirLanguage), langs)
        ctx.insert(_t(m.DirServiceArea), areas)
    ctx.extra["service_needs"] = {sid: row["needs"].split() for sid, row in
                                  zip(ctx.service_ids, services, strict=True)}


def _t(model: type[Base]) -> Table:
    return cast(Table, model.__table__)

