"""Check a feed against the profile: types, required fields, enumerations, duplicate ids and
references. Values are normalised in place (CSV text → numbers; empty → None)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from wellbeing_desktop.oruk import schema
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
    """Types, required fields, enumerations and duplicate ids (normalises values in place)."""
    problems: list[Problem] = []
    for table, records in feed.tables.items():
        specs = schema.fields(table)
        unique: dict[str, Rec] = {}
        kept: list[Rec] = []
        for rec in records:
            rid = rec.data.get("id")
            bad = False
            if rid is None or rid == "":
                problems.append(Problem(rec.where, table, "", "id", "is required"))
                kept.append(rec)  # kept, marked bad: --skip-invalid drops its service too
                continue
            if not isinstance(rid, str):
                problems.append(Problem(rec.where, table, "", "id",
                                        f"must be text, found {_show(rid)}"))
                kept.append(rec)
                continue
            for name, spec in specs.items():
                value = rec.data.get(name)
                if value is None or (isinstance(value, str) and value.strip() == ""):
                    rec.data[name] = None
                    if spec.required:
                        problems.append(Problem(rec.where, table, rid, name, "is required"))
                        bad = True
                    continue
                try:
                    if spec.type == "string":
                        if not isinstance(value, str):
                            raise ValueError
                    else:
                        value = CONVERT.get(spec.type, lambda v: v)(value)
                except (ValueError, TypeError):
                    problems.append(Problem(rec.where, table, rid, name,
                                            f"must be {EXPECTED.get(spec.type, spec.type)}, "
                                            f"found {_show(value)}"))
                    bad = True
                    continue
                if spec.enum and value not in spec.enum:
                    problems.append(Problem(rec.where, table, rid, name,
                                            f"{_show(value)} is not one of "
                                            f"{', '.join(spec.enum)}"))
                    bad = True
                    continue
                rec.data[name] = value
            if bad:
                kept.append(rec)
                continue
            first = unique.get(rid)
            if first is None:
                unique[rid] = rec
                kept.append(rec)
            elif first.data != rec.data:
                problems.append(Problem(rec.where, table, rid, "id",
                                        f"duplicate id (also at {first.where}) with different "
                                        "details"))
            # An identical repeat (one organisation nested in many services) is the same record.
        feed.tables[table] = kept
    return problems


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
