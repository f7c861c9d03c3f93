"""The Open Referral UK profile as the importer uses it: tables, fields, types, references.

Field types, formats (uuid, email, uri), required fields and enumerations come from the
profile's own `datapackage.json` (shipped in `resources/oruk/`). HSDS 3.0 fields the UK profile
leaves out but real feeds send and practitioners need (address line 2, a language's name and
code, a contact's e-mail, a service's eligibility, application process and fees description,
the organisation's `url`, a term's code and vocabulary) are accepted too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

import orjson

from wellbeing_desktop.resources import resource


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # string, number, date, datetime, time
    required: bool = False
    enum: tuple[str, ...] = ()
    format: str = ""  # uuid, email, uri (or "")

    @cached_property  # asked for every value of every record
    def plain(self) -> bool:
        """Text with no rule beyond being text (no enumeration, no format)."""
        return self.type == "string" and not self.enum and self.format in ("", "uuid")


# Tables we read, in the order they are written (parents first).
TABLES: tuple[str, ...] = (
    "organization",
    "organization_identifier",
    "taxonomy",
    "taxonomy_term",
    "location",
    "address",
    "accessibility",
    "service",
    "service_at_location",
    "contact",
    "phone",
    "schedule",
    "service_area",
    "language",
    "cost_option",
    "funding",
    "attribute",
)

EXTRA_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "address": (FieldSpec("address_2", "string"),),
    "language": (FieldSpec("name", "string"), FieldSpec("code", "string")),
    "contact": (FieldSpec("email", "string", format="email"),),
    "phone": (FieldSpec("service_id", "string"),),
    "service": (FieldSpec("eligibility_description", "string"),
                FieldSpec("application_process", "string"),
                FieldSpec("fees_description", "string")),
    "organization": (FieldSpec("url", "string", format="uri"),),
    "taxonomy_term": (FieldSpec("code", "string"), FieldSpec("vocabulary", "string")),
}

# Links to a parent that one record may carry several of: the HSDS 3.0 examples list the same
# phone under the service and under its contact (and contacts, schedules and languages under
# several parents). Repeats that differ only in these links are one record.
PARENT_LINKS: dict[str, tuple[str, ...]] = {
    "phone": ("contact_id", "service_id"),
    "contact": ("service_id",),
    "schedule": ("service_id", "service_at_location_id"),
    "language": ("service_id", "phone_id"),
}

# Required text whose absence (not only emptiness) is a data-quality warning: real feeds leave
# descriptions out, and HSDS 3.0 lets a description carry nothing useful.
DESCRIPTIONS: frozenset[tuple[str, str]] = frozenset({
    ("organization", "description"), ("taxonomy", "description"),
    ("taxonomy_term", "description")})

# Foreign keys that must resolve (in the feed, or already in the store). Other id fields
# (parent organisation, taxonomy term parent and taxonomy, attribute link, language phone,
# schedule's service-at-location) may point outside the feed and are kept as text.
STRICT_REFS: dict[str, tuple[tuple[str, str], ...]] = {
    "organization_identifier": (("organization_id", "organization"),),
    "service": (("organization_id", "organization"),),
    "address": (("location_id", "location"),),
    "accessibility": (("location_id", "location"),),
    "service_at_location": (("service_id", "service"), ("location_id", "location")),
    "contact": (("service_id", "service"),),
    "phone": (("contact_id", "contact"), ("service_id", "service")),
    "schedule": (("service_id", "service"),),
    "service_area": (("service_id", "service"),),
    "language": (("service_id", "service"),),
    "cost_option": (("service_id", "service"),),
    "funding": (("service_id", "service"),),
    "attribute": (("taxonomy_term_id", "taxonomy_term"),),
}

# References our tables cannot store without (a location's address needs its location …).
NEEDED_REFS: dict[str, tuple[str, ...]] = {
    "address": ("location_id",),
    "accessibility": ("location_id",),
    "service_at_location": ("service_id", "location_id"),
    "cost_option": ("service_id",),
    "attribute": ("taxonomy_term_id", "link_id"),
}


@cache
def fields(table: str) -> dict[str, FieldSpec]:
    """Field specs of one table, by name."""
    return _load()[table]


@cache
def required(table: str) -> tuple[str, ...]:
    """The names of a table's required fields."""
    return tuple(n for n, spec in _load()[table].items() if spec.required)


@cache
def csv_paths() -> dict[str, str]:
    package = orjson.loads(resource("oruk", "datapackage.json").read_bytes())
    return {r["name"]: r["path"] for r in package["resources"]}


@cache
def _load() -> dict[str, dict[str, FieldSpec]]:
    package: dict[str, Any] = orjson.loads(resource("oruk", "datapackage.json").read_bytes())
    tables: dict[str, dict[str, FieldSpec]] = {}
    for res in package["resources"]:
        specs: dict[str, FieldSpec] = {}
        for f in res["schema"]["fields"]:
            constraints = f.get("constraints") or {}
            specs[f["name"]] = FieldSpec(
                f["name"],
                str(f.get("type") or "string"),
                bool(constraints.get("required", False)),
                tuple(constraints.get("enum") or ()),
                str(f.get("format") or ""),
            )
        for extra in EXTRA_FIELDS.get(res["name"], ()):
            specs.setdefault(extra.name, extra)
        for needed in NEEDED_REFS.get(res["name"], ()):
            if needed in specs:
                specs[needed] = FieldSpec(needed, specs[needed].type, True, specs[needed].enum,
                                          specs[needed].format)
        tables[res["name"]] = specs
    return tables
