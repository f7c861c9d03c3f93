"""Read an Open Referral UK feed into flat tables of records, each remembering where it came from.

Shapes read: the JSON API shapes (a page with `contents`, a list, or one record — services,
organisations with their services, services at locations, taxonomies, taxonomy terms) and the
tabular package (a folder or zip holding `datapackage.json` and its CSV files). Problems that stop
reading altogether (not JSON, not a directory feed, empty, too big) raise `FeedError`.
"""

from __future__ import annotations

import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from wellbeing_desktop.oruk import schema, shapes
from wellbeing_desktop.storage.inputs import check_regular, read_bounded

MAX_BYTES = 200 * 1024 * 1024  # a directory feed is a few MB; beyond this it is not one


class FeedError(Exception):
    """The file cannot be read as a directory feed at all. `str()` names the file."""


@dataclass
class Rec:
    table: str
    data: dict[str, Any]
    where: str

    @property
    def oruk_id(self) -> str:
        value = self.data.get("id")
        return value if isinstance(value, str) else ""


@dataclass
class Feed:
    source: str
    # A full feed lists every service the publisher has: the ones it no longer lists are withdrawn.
    full: bool
    tables: dict[str, list[Rec]] = field(default_factory=lambda: {t: [] for t in schema.TABLES})
    # Local-only fields (our own export's `x_wellbeing_local`), by service ORUK id.
    local: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Data-quality notes (validate.Problem): imported, but a directory officer should know.
    warnings: list[Any] = field(default_factory=list)
    # Services skipped as invalid (--skip-invalid): still listed, so never withdrawn.
    skipped_services: set[str] = field(default_factory=set)
    # Our own export: its ids are whatever the feeds it gathered used (not checked as UUIDs).
    own_export: bool = False
    # (where, table, id) of nested records the feed gave no id (see `_children`).
    made_ids: list[tuple[str, str, str]] = field(default_factory=list)
    _seen: dict[tuple[str, Any], dict[str, Any]] = field(default_factory=dict, repr=False)
    _made: set[str] = field(default_factory=set, repr=False)

    def add(self, table: str, data: dict[str, Any], where: str) -> None:
        # An identical repeat is the same record (one organisation nested in each of its
        # services, one location under several): kept once, so it is checked, converted and
        # compared with the store once. A repeat that differs is kept for the checks to judge.
        key = (table, data.get("id"))
        if key[1] is not None and key[1].__hash__ is not None:
            seen = self._seen.get(key)
            if seen is not None and seen == data:
                return
            self._seen.setdefault(key, data)
        self.tables[table].append(Rec(table, data, where))

    @property
    def record_count(self) -> int:
        return sum(len(v) for v in self.tables.values())


def read(path: Path | str, *, max_bytes: int = MAX_BYTES) -> Feed:
    source = Path(path)
    if not source.exists():
        raise FeedError(f"{source}: no such file or folder")
    if source.is_dir():
        from wellbeing_desktop.oruk.package import read_folder

        return read_folder(source, max_bytes)
    # A regular file under the size limit (a device or pipe is refused before any read).
    size = check_regular(source, max_bytes, FeedError, "directory feed")
    if size == 0:
        raise FeedError(f"{source.name}: the file is empty")
    with open(source, "rb") as fh:
        head = fh.read(4)
    if head.startswith(b"PK\x03\x04") and zipfile.is_zipfile(source):
        from wellbeing_desktop.oruk.package import read_zip

        return read_zip(source, max_bytes)
    return read_json_bytes(read_bounded(source, limit=max_bytes, error=FeedError,
                                        what="directory feed"), source.name)


# ---------------------------------------------------------------------------------------- JSON

_SERVICE_CHILDREN = {
    "schedules": "schedule",
    "service_areas": "service_area",
    "languages": "language",
    "funding": "funding",
    "cost_options": "cost_option",
    "contacts": "contact",
    "phones": "phone",
}


def read_json_bytes(raw: bytes, name: str) -> Feed:
    if not raw.strip():
        raise FeedError(f"{name}: the file is empty")
    try:
        doc = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        line = raw[: exc.pos].count(b"\n") + 1 if exc.pos is not None else 0
        where = f" at line {line}" if line else ""
        raise FeedError(f"{name}: not valid JSON{where} ({exc.msg})") from None
    feed = Feed(source=name, full=False)
    if isinstance(doc, dict) and "contents" in doc:
        items = doc["contents"]
        if not isinstance(items, list):
            raise FeedError(f"{name}: `contents` must be a list of records")
        base = "contents"
        single_page = doc.get("total_pages") in (None, 0, 1) or (
            doc.get("first_page") is True and doc.get("last_page") is True)
        feed.full = bool(single_page)
    elif isinstance(doc, list):
        items, base, feed.full = doc, "", True
    elif isinstance(doc, dict):
        items, base = [doc], ""
    else:
        raise FeedError(f"{name}: not an Open Referral directory (expected an object or a list)")
    vocabularies = isinstance(doc, dict) and bool(doc.get(TAXONOMIES_KEY) or doc.get(TERMS_KEY))
    feed.own_export = isinstance(doc, dict) and (TAXONOMIES_KEY in doc or TERMS_KEY in doc)
    if not items and not vocabularies:
        raise FeedError(f"{name}: the feed lists no records")
    kinds = set()
    for number, item in enumerate(items):
        where = f"{name} {base}[{number}]" if base or len(items) > 1 or isinstance(doc, list) \
            else name
        if not isinstance(item, dict):
            raise FeedError(f"{where}: expected an object, found {_kind(item)}")
        kind = _detect(item)
        if kind is None:
            raise FeedError(f"{where}: not an Open Referral record (no service, organisation, "
                            "location or taxonomy fields)")
        if kind in _NOT_SERVICES:
            raise FeedError(f"{where}: {_NOT_SERVICES[kind]}")
        kinds.add(kind)
        _READERS[kind](feed, item, where)
    # Only a complete list of services can withdraw the services it leaves out.
    feed.full = feed.full and kinds == {"service"}
    if isinstance(doc, dict) and "contents" in doc:
        # Our own export's vocabularies (taxonomies no service uses yet are kept too).
        for key, reader in ((TAXONOMIES_KEY, _read_taxonomy), (TERMS_KEY, _read_term)):
            for child, where in _list(feed, doc, key, name):
                reader(feed, child, where)
    return feed


TAXONOMIES_KEY = "x_wellbeing_taxonomies"
TERMS_KEY = "x_wellbeing_taxonomy_terms"


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false",
            int: "a number", float: "a number"}.get(type(value), "nothing")


# Records a publisher's API serves that are not a directory of services on their own.
_NOT_SERVICES = {
    "location": "this is a location, not a list of services (save the API's /services "
                "endpoint, or a service or organisation with its services)",
    "metadata": "this is the API's description of itself (its `/` endpoint), not a list of "
                "services (save the /services endpoint instead)",
}


def _detect(item: dict[str, Any]) -> str | None:
    if "openapi_url" in item or ("profile" in item and "version" in item and "name" not in item):
        return "metadata"
    if ("location_type" in item or "addresses" in item or "physical_addresses" in item) and not (
            {"status", "organization", "organization_id", "service_at_locations", "services",
             "service"} & item.keys()):
        return "location"
    if "location" in item and "service" in item:
        return "service_at_location"
    if "status" in item or "service_at_locations" in item or "schedules" in item:
        return "service"
    if "services" in item or "organization_identifiers" in item or "website" in item:
        return "organization"
    if "taxonomy_terms" in item or ("version" in item and "name" in item):
        return "taxonomy"
    if "term" in item or "parent_id" in item or "taxonomy_id" in item:
        return "taxonomy_term"
    if "name" in item and "organization" in item:
        return "service"
    return None


def _scalars(item: dict[str, Any], table: str) -> dict[str, Any]:
    known = schema.fields(table)
    return {k: v for k, v in item.items() if k in known or k == "id"}


def _list(feed: Feed, item: dict[str, Any], key: str, where: str) -> list[tuple[dict[str, Any], str]]:
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise FeedError(f"{where}: `{key}` must be a list, found {_kind(value)}")
    out = []
    for n, child in enumerate(value):
        if not isinstance(child, dict):
            raise FeedError(f"{where}.{key}[{n}]: expected an object, found {_kind(child)}")
        out.append((child, f"{where}.{key}[{n}]"))
    return out


# Made ids are UUIDs in a namespace of our own, so they never collide with a publisher's.
_MADE_IDS = uuid.UUID("4f1c2d6e-9a57-5b0e-8d3c-0b1e7a2f6c94")


def _children(feed: Feed, item: dict[str, Any], key: str, where: str,
              table: str) -> list[tuple[dict[str, Any], str]]:
    """`_list` for records that live only inside their parent (a service's phones, schedules
    …). Real feeds leave their ids out (Bristol's Open Place feed sends a contact's phones as
    bare `{"number": …}`): such a child is given an id made from its parent's id and its place,
    so a re-import of the same feed gives it the same id, and the import says so."""
    out = _list(feed, item, key, where)
    parent = item.get("id")
    if not isinstance(parent, str) or not parent:
        return out  # no parent id to make one from: the missing id is reported as it is
    for n, (child, cwhere) in enumerate(out):
        if child.get("id") in (None, ""):
            made = str(uuid.uuid5(_MADE_IDS, f"{parent}/{key}/{n}"))
            out[n] = (dict(child, id=made), cwhere)
            if made not in feed._made:  # a repeated parent (one location under many
                feed._made.add(made)    # services) repeats its children: noted once
                feed.made_ids.append((cwhere, table, made))
    return out


def _obj(item: dict[str, Any], key: str, where: str) -> dict[str, Any] | None:
    value = item.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        raise FeedError(f"{where}: `{key}` must be an object, found {_kind(value)}")
    return value


def _read_service(feed: Feed, item: dict[str, Any], where: str,
                  organization_id: Any = None) -> None:
    item = shapes.service(item)
    data = _scalars(item, "service")
    sid = item.get("id")
    org = _obj(item, "organization", where)
    if org is not None:
        _read_organization(feed, org, f"{where}.organization", with_services=False)
        data["organization_id"] = org.get("id")
    elif organization_id is not None:
        data["organization_id"] = organization_id
    feed.add("service", data, where)
    local = item.get("x_wellbeing_local")
    if isinstance(local, dict) and isinstance(sid, str):
        feed.local[sid] = local
    for key, table in _SERVICE_CHILDREN.items():
        for child, cwhere in _children(feed, item, key, where, table):
            cdata = _scalars(child, table)
            cdata["service_id"] = sid
            feed.add(table, cdata, cwhere)
            if table == "contact":
                for phone, pwhere in _children(feed, child, "phones", cwhere, "phone"):
                    pdata = _scalars(phone, "phone")
                    pdata["contact_id"] = child.get("id")
                    pdata.pop("service_id", None)
                    feed.add("phone", pdata, pwhere)
    for sal, swhere in _children(feed, item, "service_at_locations", where,
                                 "service_at_location"):
        location = _obj(sal, "location", swhere)
        sdata = _scalars(sal, "service_at_location")
        sdata["service_id"] = sid
        if location is not None:
            _read_location(feed, location, f"{swhere}.location")
            sdata["location_id"] = location.get("id")
        feed.add("service_at_location", sdata, swhere)
    for attr, awhere in _children(feed, item, "attributes", where, "attribute"):
        adata = _scalars(attr, "attribute")
        adata["link_id"] = sid
        term = _obj(attr, "taxonomy_term", awhere)
        if term is not None:
            feed.add("taxonomy_term", _scalars(shapes.term(term), "taxonomy_term"),
                     f"{awhere}.taxonomy_term")
            adata["taxonomy_term_id"] = term.get("id")
        feed.add("attribute", adata, awhere)


def _read_location(feed: Feed, item: dict[str, Any], where: str) -> None:
    item = shapes.location(item)
    feed.add("location", _scalars(item, "location"), where)
    for key, table in (("addresses", "address"), ("accessibility", "accessibility")):
        for child, cwhere in _children(feed, item, key, where, table):
            cdata = _scalars(child, table)
            cdata["location_id"] = item.get("id")
            feed.add(table, cdata, cwhere)


def _read_organization(feed: Feed, item: dict[str, Any], where: str,
                       with_services: bool = True) -> None:
    feed.add("organization", _scalars(item, "organization"), where)
    for child, cwhere in _children(feed, item, "organization_identifiers", where,
                                   "organization_identifier"):
        cdata = _scalars(child, "organization_identifier")
        cdata["organization_id"] = item.get("id")
        feed.add("organization_identifier", cdata, cwhere)
    if with_services:
        for child, cwhere in _list(feed, item, "services", where):
            _read_service(feed, child, cwhere, organization_id=item.get("id"))


def _read_sal(feed: Feed, item: dict[str, Any], where: str) -> None:
    service = _obj(item, "service", where)
    location = _obj(item, "location", where)
    if service is not None:
        _read_service(feed, service, f"{where}.service")
    if location is not None:
        _read_location(feed, location, f"{where}.location")
    data = _scalars(item, "service_at_location")
    data["service_id"] = service.get("id") if service else item.get("service_id")
    data["location_id"] = location.get("id") if location else item.get("location_id")
    feed.add("service_at_location", data, where)


def _read_taxonomy(feed: Feed, item: dict[str, Any], where: str) -> None:
    feed.add("taxonomy", _scalars(item, "taxonomy"), where)
    for child, cwhere in _list(feed, item, "taxonomy_terms", where):
        cdata = _scalars(shapes.term(child), "taxonomy_term")
        cdata.setdefault("taxonomy_id", item.get("id"))
        feed.add("taxonomy_term", cdata, cwhere)


def _read_term(feed: Feed, item: dict[str, Any], where: str) -> None:
    feed.add("taxonomy_term", _scalars(shapes.term(item), "taxonomy_term"), where)


_READERS = {
    "service": _read_service,
    "organization": _read_organization,
    "service_at_location": _read_sal,
    "taxonomy": _read_taxonomy,
    "taxonomy_term": _read_term,
}
