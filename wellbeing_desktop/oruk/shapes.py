"""The other shapes real feeds arrive in, turned into the UK profile's (before reading).

- ORUK 1.0 (older council APIs): `regular_schedules` (with `weekday`), `service_taxonomys`
  (a `taxonomy` with `vocabulary`), `eligibilitys`, `fundings`, locations'
  `physical_addresses` and `accessibility_for_disabilities`, a language as `language`, the
  organisation's web address as `url`.
- HSDS 3.0 (and the specification's generated examples): `addresss`, `accessibilitys`,
  `fundings`, a term's `taxonomy` given as an object.

Only keys the profile does not already have are filled: a feed that sends both keeps its
profile field. Each function returns a new dict (the caller's document is left alone).
"""

from __future__ import annotations

from typing import Any

_WEEKDAYS = {"monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH",
             "friday": "FR", "saturday": "SA", "sunday": "SU"}
_LOCATION_LISTS = (("physical_addresses", "addresses"), ("addresss", "addresses"),
                   ("accessibility_for_disabilities", "accessibility"),
                   ("accessibilitys", "accessibility"))


def _rename(item: dict[str, Any], old: str, new: str) -> None:
    if old in item and new not in item:
        item[new] = item.pop(old)


def service(raw: dict[str, Any]) -> dict[str, Any]:
    item = dict(raw)
    _rename(item, "regular_schedules", "schedules")
    _rename(item, "fundings", "funding")
    if isinstance(item.get("schedules"), list):
        item["schedules"] = [_schedule(s) if isinstance(s, dict) else s for s in item["schedules"]]
    if isinstance(item.get("languages"), list):
        item["languages"] = [_language(x) if isinstance(x, dict) else x
                             for x in item["languages"]]
    taxonomys = item.pop("service_taxonomys", None)
    if isinstance(taxonomys, list) and "attributes" not in item:
        item["attributes"] = [_attribute(t) for t in taxonomys if isinstance(t, dict)]
    elif isinstance(item.get("attributes"), list):
        item["attributes"] = [_attribute_term(a) if isinstance(a, dict) else a
                              for a in item["attributes"]]
    eligibilitys = item.pop("eligibilitys", None)
    if isinstance(eligibilitys, list):
        texts = [str(e.get("eligibility")) for e in eligibilitys
                 if isinstance(e, dict) and e.get("eligibility")]
        if texts and not item.get("eligibility_description"):
            item["eligibility_description"] = "; ".join(texts)
        for key in ("minimum_age", "maximum_age"):
            ages: list[float] = [e[key] for e in eligibilitys if isinstance(e, dict)
                                 and isinstance(e.get(key), int | float)
                                 and not isinstance(e.get(key), bool)]
            if ages and item.get(key) is None:
                item[key] = min(ages) if key == "minimum_age" else max(ages)
    return item


def location(raw: dict[str, Any]) -> dict[str, Any]:
    item = dict(raw)
    if "location_type" not in item and ("physical_addresses" in item or "latitude" in item):
        item["location_type"] = "physical"  # ORUK 1.0 has no location type: a place
    if isinstance(item.get("physical_addresses"), list) and "addresses" not in item:
        # ORUK 1.0's physical addresses are what the profile calls physical addresses.
        item["physical_addresses"] = [dict(a, address_type=a.get("address_type") or "physical")
                                      if isinstance(a, dict) else a
                                      for a in item["physical_addresses"]]
    for old, new in _LOCATION_LISTS:
        _rename(item, old, new)
    return item


def term(raw: dict[str, Any]) -> dict[str, Any]:
    """A taxonomy term: an HSDS 3.0 `taxonomy` object becomes its id and name; ORUK 1.0's
    `vocabulary` and `parent` are kept as the vocabulary and parent id."""
    item = dict(raw)
    taxonomy = item.get("taxonomy")
    if isinstance(taxonomy, dict):
        item["taxonomy"] = taxonomy.get("name") if isinstance(taxonomy.get("name"), str) else None
        if isinstance(taxonomy.get("id"), str) and not item.get("taxonomy_id"):
            item["taxonomy_id"] = taxonomy["id"]
    if not item.get("vocabulary") and isinstance(item.get("taxonomy"), str):
        item["vocabulary"] = item["taxonomy"]
    _rename(item, "parent", "parent_id")
    if item.get("parent_id") is not None and not isinstance(item["parent_id"], str):
        item["parent_id"] = None
    return item


def _attribute(taxonomy: dict[str, Any]) -> dict[str, Any]:
    """ORUK 1.0 `service_taxonomys` entry → a profile attribute with its term."""
    inner = taxonomy.get("taxonomy")
    out: dict[str, Any] = {"id": taxonomy.get("id")}
    if isinstance(inner, dict):
        out["taxonomy_term"] = term(inner)
    return out


def _attribute_term(attribute: dict[str, Any]) -> dict[str, Any]:
    inner = attribute.get("taxonomy_term")
    if not isinstance(inner, dict):
        return attribute
    return {**attribute, "taxonomy_term": term(inner)}


def _schedule(raw: dict[str, Any]) -> dict[str, Any]:
    item = dict(raw)
    weekday = item.get("weekday")
    if isinstance(weekday, str) and not item.get("byday"):
        code = _WEEKDAYS.get(weekday.strip().casefold())
        if code:
            item["byday"] = code
            item.setdefault("freq", "WEEKLY")
    return item


def _language(raw: dict[str, Any]) -> dict[str, Any]:
    item = dict(raw)
    if isinstance(item.get("language"), str) and not item.get("name"):
        item["name"] = item["language"]
    return item
