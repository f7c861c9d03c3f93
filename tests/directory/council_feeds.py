"""Synthetic council directory feeds in the shapes real publishers send (tests and bench).

No real council feed is shipped (their licences vary and they change weekly); these are built
to the shapes seen in public ORUK APIs and described in issue 14:
- `oruk3`: the Open Referral UK 3.0 API page (`contents`, `total_pages` …) as the Open Place
  council APIs serve it: HTML descriptions (`<p>`, `<h4>`, `&nbsp;`, `&amp;`), organisation
  descriptions that are the empty string (about a quarter), empty optional strings, services
  with no cost at all, fee texts such as "£30 per session (first session free)", a web address
  without its scheme, LGA service-type terms.
- `oruk1`: the older ORUK 1.0 list of services (`regular_schedules`, `service_taxonomys`,
  `physical_addresses`, `eligibilitys`, organisation `url`, language as `language`).
- `hsds3`: HSDS 3.0 services (`fees_description`, `eligibility_description`,
  `application_process`, the same phone object under the service and under its contact).
Ids are UUIDs made from the council's name, so two runs (and two councils) are stable.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

KINDS = [
    ("Debt advice", "money", "<p>Free, confidential&nbsp;advice on debt &amp; money worries."
     "</p><h4>What we offer</h4><ul><li>Budgeting</li><li>Dealing with bailiffs</li></ul>"),
    ("Food bank", "food", "<p>Emergency food parcels for people in crisis.</p><p>You need a "
     "<strong>voucher</strong> from a referral partner.</p>"),
    ("Carers support group", "carers", "<p>A monthly group for unpaid carers.<br>Tea &amp; "
     "cake provided.</p>"),
    ("Walking for health", "activity", "<p>Short, friendly walks led by trained volunteers."
     "&nbsp;</p><p>See <a href=\"https://walks.example.org/\">the walks</a>.</p>"),
    ("Housing options", "housing", "<h4>Homeless or at risk?</h4><p>Our housing options team "
     "can help you stay in your home or find somewhere to live.</p>"),
    ("Stop smoking service", "smoking", "Twelve weeks of support and free nicotine "
     "replacement. Call to book."),
    ("Counselling", "wellbeing", "<p>Talking therapy with qualified counsellors.</p>"
     "<script>trackVisit()</script>"),
    ("Befriending", "loneliness", "<div><p>Weekly phone or home visits for older people who "
     "feel lonely.</p></div>"),
]
FEES = [None, "", "Free", "£30 per session (first session free)", "<p>Free of charge</p>",
        "Small charge for materials", None, None]
TOWNS = {"kingsmere": ("Kingsmere", "KM"), "eastvale": ("Eastvale", "EV"),
         "northbrook": ("Northbrook", "NB")}


def _id(*parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(str(p) for p in parts)))


def service_id(council: str, n: int) -> str:
    return _id(council, "service", n)


def _org(council: str, n: int, rng: random.Random) -> dict[str, Any]:
    """One of 40 organisations (the same one repeated, as nested in each of its services)."""
    town, k = TOWNS[council][0], n % 40
    return {
        "id": _id(council, "org", k),
        "name": f"{town} Community Trust {k}",
        # About a quarter of organisations in real feeds have an empty description.
        "description": "" if k % 4 == 0 else f"<p>A charity working across {town}.</p>",
        "email": "" if k % 3 else f"info{k}@trust.example.org",
        "website": "www.trust.example.org" if k % 10 == 1 else f"https://trust{k}.example.org",
    }


def _location(council: str, n: int) -> dict[str, Any]:
    town, prefix = TOWNS[council]
    k = n % 60
    return {
        "id": _id(council, "loc", k), "location_type": "physical",
        "name": f"{town} Community Centre {k}",
        "addresses": [] if k % 13 == 0 else [{
            "id": _id(council, "addr", k), "address_1": f"{k + 1} High Street",
            "city": town, "state_province": "", "postal_code": f"{prefix}{k % 9 + 1} 2AB",
            "country": "GB", "address_type": "physical"}],
    }


def oruk3_service(council: str, n: int, rng: random.Random) -> dict[str, Any]:
    name, need, html = KINDS[n % len(KINDS)]
    town = TOWNS[council][0]
    sid = service_id(council, n)
    fees = FEES[n % len(FEES)]
    service: dict[str, Any] = {
        "id": sid, "name": f"{name} – {town} {n}", "description": html,
        "url": "" if n % 5 == 0 else f"https://{council}.example.gov.uk/services/{n}",
        "email": "" if n % 2 else f"team{n}@{council}.example.gov.uk",
        "status": "active", "fees": fees, "accreditations": "", "alert": "",
        "assured_date": f"202{4 + n % 2}-0{n % 9 + 1}-15",
        "last_modified": f"2025-0{n % 9 + 1}-10T09:30:00Z",
        "organization": _org(council, n, rng),
        "cost_options": [],
        "schedules": [] if n % 7 == 0 else [{
            "id": _id(council, "sch", n), "freq": "WEEKLY", "byday": "MO,WE,FR",
            "opens_at": "09:00", "closes_at": "17:00", "description": ""}],
        "contacts": [] if n % 11 == 0 else [{
            "id": _id(council, "con", n), "name": "Reception", "title": "",
            "phones": [{"id": _id(council, "tel", n), "number": f"01632 96{n % 10000:04d}",
                        "description": ""}]}],
        "service_at_locations": [{"id": _id(council, "sal", n),
                                  "location": _location(council, n)}],
        "service_areas": [{"id": _id(council, "area", n), "name": town,
                           "service_area": town}],
        "languages": [{"id": _id(council, "lang", n), "name": "English", "code": "en"}],
        "attributes": [{"id": _id(council, "attr", n), "taxonomy_term": {
            "id": _id("lga", need), "name": need.title(), "description": "",
            "taxonomy": "esdServiceTypes", "term": need}}],
    }
    if n % 6 == 3:
        service["cost_options"] = [{"id": _id(council, "cost", n), "option": "Per session",
                                    "amount": 0 if n % 12 == 3 else 12.5,
                                    "amount_description": ""}]
    return service


def oruk3_page(council: str, count: int, seed: int = 1) -> dict[str, Any]:
    rng = random.Random(seed)
    contents = [oruk3_service(council, n, rng) for n in range(count)]
    return {"total_items": count, "total_pages": 1, "page_number": 1, "size": count,
            "first_page": True, "last_page": True, "empty": not contents, "contents": contents}


def oruk1_list(council: str, count: int) -> list[dict[str, Any]]:
    """ORUK 1.0: a plain list of services."""
    town, prefix = TOWNS[council]
    out = []
    for n in range(count):
        name, need, html = KINDS[n % len(KINDS)]
        out.append({
            "id": service_id(council, n), "name": f"{name} ({town} {n})", "description": html,
            "url": f"https://{council}.example.gov.uk/s/{n}", "email": "", "status": "active",
            "fees": FEES[n % len(FEES)], "accreditations": "", "assured_date": "2025-03-01",
            "attending_type": "Drop-in", "deliverable_type": "Advice",
            "organization": {"id": _id(council, "org", n % 10), "name": f"{town} Voluntary "
                             f"Action {n % 10}", "description": "", "email": "",
                             "url": f"https://cvs{n % 10}.example.org", "logo": "", "uri": ""},
            "eligibilitys": [{"id": _id(council, "elig", n), "eligibility": "Adults 18+",
                              "minimum_age": 18}],
            "regular_schedules": [{"id": _id(council, "sch", n), "weekday": "Tuesday",
                                   "opens_at": "10:00:00", "closes_at": "12:00:00",
                                   "freq": "WEEKLY", "byday": "TU", "description": ""}],
            "contacts": [{"id": _id(council, "con", n), "name": "Duty worker", "title": "",
                          "phones": [{"id": _id(council, "tel", n),
                                      "number": f"01632 97{n % 10000:04d}", "language": ""}]}],
            "languages": [{"id": _id(council, "lang", n), "language": "English"}],
            "service_areas": [{"id": _id(council, "area", n), "service_area": town,
                               "extent": "", "uri": ""}],
            "service_at_locations": [{"id": _id(council, "sal", n), "location": {
                "id": _id(council, "loc", n % 30), "name": f"{town} Library", "description": "",
                "latitude": 52.1, "longitude": -1.2,
                "physical_addresses": [{"id": _id(council, "addr", n % 30),
                                        "address_1": "1 Library Walk", "city": town,
                                        "state_province": "", "postal_code": f"{prefix}1 1AA",
                                        "country": "GB"}],
                "accessibility_for_disabilities": [{"id": _id(council, "acc", n % 30),
                                                    "accessibility": "Step-free access"}]}}],
            "service_taxonomys": [{"id": _id(council, "st", n), "taxonomy": {
                "id": _id("lga1", need), "name": need.title(), "vocabulary": "esdServiceTypes",
                "parent": None}}],
            "cost_options": [] if n % 3 else [{"id": _id(council, "cost", n), "option": "",
                                               "amount": 5, "amount_description": "per class"}],
        })
    return out


def hsds3_service(council: str, n: int) -> dict[str, Any]:
    """HSDS 3.0: fees/eligibility/application text, one phone under the service and its
    contact (the same object, as the specification's examples do)."""
    base = oruk3_service(council, n, random.Random(n))
    phone = {"id": _id(council, "tel3", n), "number": "01632 960000", "description": ""}
    base.pop("fees", None)
    base["fees_description"] = "£30 per session (first session free)" if n % 2 else "Free"
    base["eligibility_description"] = "<p>Adults living in the borough.</p>"
    base["application_process"] = "Phone or walk in; no referral needed."
    base["phones"] = [phone]
    base["contacts"] = [{"id": _id(council, "con3", n), "name": "Desk", "phones": [dict(phone)]}]
    base["organization"]["url"] = base["organization"].pop("website")
    return base
