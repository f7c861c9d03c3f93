"""Check a feed against the profile: types, required fields, enumerations, duplicate ids and
references. Values are normalised in place (CSV text → numbers; empty → None)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from wellbeing_desktop.oruk import formats, schema
from wellbeing_desktop.oruk.reader import Feed, Rec


@dataclass(frozen=True)
class Problem:
    where: str
    table: str
    record_id: str
    field: str
    message: str

    @property
    def text(self) -> str:
        record = f", record {self.record_id}" if self.record_id else ""
        field = f": {self.field}" if self.field else ""
        return f"{self.where}{record}{field}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "table": self.table, "record": self.record_id,
                "field": self.field, "message": self.message}


def _number(value: Any) -> float | int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        return value
    if isinstance(value, str):
        number = float(value.strip())
        return int(number) if number.is_integer() and "." not in value else number
    raise ValueError


def _text(value: Any, parse: Callable[[str], object]) -> str:
    if not isinstance(value, str):
        raise ValueError
    parse(value.strip())
    return value.strip()


def _time(value: str) -> object:
    return time.fromisoformat(value)


CONVERT: dict[str, Callable[[Any], Any]] = {
    "number": _number,
    "date": lambda v: _text(v, date.fromisoformat),
    "datetime": lambda v: _text(v, datetime.fromisoformat),
    "time": lambda v: _text(v, _time),
}

EXPECTED = {"number": "a number", "date": "a date like 2025-01-31",
            "datetime": "a date and time like 2025-01-31T09:30:00Z",
            "time": "a time like 09:30", "string": "text"}


def check_records(feed: Feed) -> list[Problem]:
    """Types, formats, required fields, enumerations and duplicate ids (normalises values in
    place). Returns the problems that refuse a record; what imports with a note (an empty
    required text, a bad optional value dropped) goes to `feed.warnings`."""
    problems: list[Problem] = []
    uuids = _uuid_feed(feed) and not feed.own_export
    for where, table, made in feed.made_ids:
        feed.warnings.append(Problem(where, table, made, "id", "is missing; given an id made "
                                     "from its parent's and its place in the feed"))
    for table, records in feed.tables.items():
        specs = schema.fields(table)
        links = schema.PARENT_LINKS.get(table, ())
        unique: dict[str, Rec] = {}
        kept: list[Rec] = []
        for rec in records:
            rid = rec.data.get("id")
            if rid is None or rid == "":
                problems.append(Problem(rec.where, table, "", "id", "is required"))
                kept.append(rec)  # kept, marked bad: --skip-invalid drops its service too
                continue
            if not isinstance(rid, str):
                problems.append(Problem(rec.where, table, "", "id",
                                        f"must be text, found {_show(rid)}"))
                kept.append(rec)
                continue
            bad = _check_fields(feed, rec, table, rid, specs, problems)
            if uuids and not formats.is_uuid(rid):
                problems.append(Problem(rec.where, table, rid, "id",
                                        "is not a UUID (the feed's other ids are)"))
                bad = True
            if bad:
                kept.append(rec)
                continue
            first = unique.get(rid)
            if first is None:
                unique[rid] = rec
                kept.append(rec)
            elif _given(first.data) != _given(rec.data) and not _same_but_parents(
                    feed, first, rec, links):
                problems.append(Problem(rec.where, table, rid, "id",
                                        f"duplicate id (also at {first.where}) with different "
                                        "details"))
                # Kept, marked bad, so --skip-invalid drops it with its own parts and its
                # service: left out quietly, the parts nested in it would attach to the first.
                kept.append(rec)
            # An identical repeat (one organisation nested in many services) is the same record.
        feed.tables[table] = kept
    if not uuids and not feed.own_export and any(feed.tables.values()):
        feed.warnings.append(Problem(feed.source, "", "", "id", "ids are not UUIDs (an ORUK "
                                     "1.0 or home-made feed); kept as the publisher's ids"))
    return problems


def _given(data: dict[str, Any], leave_out: tuple[str, ...] = ()) -> dict[str, Any]:
    """The values a record gives (a field absent and a field null say the same)."""
    return {k: v for k, v in data.items() if v is not None and k not in leave_out}


def _uuid_feed(feed: Feed) -> bool:
    """Whether the feed uses UUIDs as the profile says (then every id must be one). Ids we
    made for records the feed gave none are UUIDs whatever the feed uses: not counted."""
    made = {m for _, _, m in feed.made_ids}
    for records in feed.tables.values():
        for rec in records[:50]:
            rid = rec.data.get("id")
            if isinstance(rid, str) and rid not in made and formats.is_uuid(rid):
                return True
    return False


def _check_fields(feed: Feed, rec: Rec, table: str, rid: str, specs: dict[str, Any],
                  problems: list[Problem]) -> bool:
    bad = False

    def warn(name: str, message: str) -> None:
        feed.warnings.append(Problem(rec.where, table, rid, name, message))

    data = rec.data
    # The fields the record gives, then the required ones it leaves out: a record gives a
    # third of its table's fields, and this runs for every record of a feed.
    given = [(n, v) for n, v in data.items() if n in specs]
    given += [(n, None) for n in schema.required(table) if n not in data]
    for name, value in given:
        spec = specs[name]
        if value is None and not spec.required:
            continue
        if value.__class__ is str and spec.plain and value.strip():
            continue  # most values: text in a text field with no rule beyond that
        empty = value is None or (isinstance(value, str) and value.strip() == "")
        if empty:
            if spec.required and spec.type == "string" and not spec.enum and (
                    value is not None or (table, name) in schema.DESCRIPTIONS) and \
                    not name.endswith("_id"):
                rec.data[name] = ""
                if table not in ("taxonomy", "taxonomy_term"):  # vocabularies: not worth a note
                    warn(name, "is empty")
                continue
            rec.data[name] = None
            if spec.required:
                problems.append(Problem(rec.where, table, rid, name, "is required"))
                bad = True
            continue
        try:
            if spec.type == "string":
                if isinstance(value, int | float) and not isinstance(value, bool):
                    value = str(value)  # HSDS examples send `bymonthday: 2`
                if not isinstance(value, str):
                    raise ValueError
            else:
                value = CONVERT.get(spec.type, lambda v: v)(value)
        except (ValueError, TypeError):
            message = f"must be {EXPECTED.get(spec.type, spec.type)}, found {_show(value)}"
            if spec.required:
                problems.append(Problem(rec.where, table, rid, name, message))
                bad = True
            else:
                rec.data[name] = None
                warn(name, f"{message}; left out")
            continue
        if spec.enum and value not in spec.enum:
            message = f"{_show(value)} is not one of {', '.join(spec.enum)}"
            if spec.required:
                problems.append(Problem(rec.where, table, rid, name, message))
                bad = True
            else:
                rec.data[name] = None
                warn(name, f"{message}; left out")
            continue
        if spec.format in ("email", "uri") and isinstance(value, str):
            value = _formatted(value, spec.format, name, warn)
        elif name in ("latitude", "longitude") and isinstance(value, int | float) and \
                abs(value) > (90 if name == "latitude" else 180):
            warn(name, f"{value} is not a {name}; left out")
            value = None
        elif name in AGES and isinstance(value, int | float) and value < 0:
            # Open Place feeds send -1 for "no age limit": not an age, so not a limit.
            warn(name, f"{value} is not an age; left out")
            value = None
        rec.data[name] = value
    return bad


AGES = frozenset({"minimum_age", "maximum_age"})


def _formatted(value: str, kind: str, name: str, warn: Callable[[str, str], None]) -> str | None:
    text = value.strip()
    if kind == "email":
        if formats.is_email(text):
            return text
        warn(name, f"{_show(value)} is not an e-mail address; left out")
        return None
    address, repaired = formats.web_address(text)
    if address is None:
        warn(name, f"{_show(value)} is not a web address (http or https); left out")
    elif repaired:
        warn(name, f"{_show(value)} has no http(s)://; read as {address}")
    return address


def _same_but_parents(feed: Feed, first: Rec, rec: Rec, links: tuple[str, ...]) -> bool:
    """A repeat that differs only in its parent links is the same record: the links are
    merged (a phone under a contact and under the service keeps both); a second parent of the
    same kind cannot be stored and is noted."""
    if not links:
        return False
    if _given(first.data, links) != _given(rec.data, links):
        return False
    for link in links:
        mine, theirs = first.data.get(link), rec.data.get(link)
        if mine is None and theirs is not None:
            first.data[link] = theirs
        elif mine is not None and theirs is not None and mine != theirs:
            feed.warnings.append(Problem(rec.where, first.table, first.oruk_id, link,
                                         f"also listed under {theirs}; kept under {mine} only"))
    return True


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else type(value).__name__
    if isinstance(value, bool):
        text = "true/false"
    elif isinstance(value, int | float):
        text = f"the number {value}"
    elif isinstance(value, list):
        text = "a list"
    elif isinstance(value, dict):
        text = "an object"
    return text if len(text) <= 60 else text[:57] + "…'"


def check_references(feed: Feed, known: Callable[[str], set[str]],
                     skip: Iterable[Rec] = ()) -> list[Problem]:
    """Each strict reference must name a record in the feed or already in the store."""
    skipped = {id(r) for r in skip}
    ids = {t: {r.oruk_id for r in recs if id(r) not in skipped} for t, recs in feed.tables.items()}
    problems: list[Problem] = []
    cache: dict[str, set[str]] = {}
    for table, refs in schema.STRICT_REFS.items():
        for rec in feed.tables[table]:
            if id(rec) in skipped:
                continue
            for fname, target in refs:
                value = rec.data.get(fname)
                if value is None or not isinstance(value, str):
                    continue  # a wrong type was reported by check_records
                if value in ids[target]:
                    continue
                if target not in cache:
                    cache[target] = known(target)
                if value in cache[target]:
                    continue
                problems.append(Problem(rec.where, table, rec.oruk_id, fname,
                                        f"refers to {target.replace('_', ' ')} {value!s}, "
                                        "which is not in the feed or the directory"))
    return problems
