"""Coded, optional person-level data (gender identity, ethnic category, employment …).

The code lists are data (`resources/coded/person.json`), each with the published source it was
read from. Every field may be left "" (not asked); each list has a "prefer not to say" code.
Fields marked `multiple` hold several codes joined by "," (stored in one short text column so
they travel in the bundle as plain text and group in SQL without JSON functions).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from wellbeing_desktop.resources import resource

FIELDS: tuple[str, ...] = (
    "gender_identity", "sex_at_birth", "ethnic_category", "employment_status",
    "accommodation_status", "disability", "carer_status", "long_term_conditions", "ais_needs",
)
NOT_ASKED = ""
NOT_ASKED_LABEL = "Not asked"


@dataclass(frozen=True)
class CodeList:
    name: str
    label: str
    source: str
    declined: str
    multiple: bool
    codes: tuple[tuple[str, str], ...]

    def label_of(self, code: str) -> str:
        if not code:
            return NOT_ASKED_LABEL
        names = dict(self.codes)
        return "; ".join(names.get(c, f"Unknown code {c}") for c in split(code))


@cache
def _document() -> dict[str, object]:
    with resource("coded", "person.json").open(encoding="utf-8") as f:
        doc: dict[str, object] = json.load(f)
    return doc


@cache
def code_list(name: str) -> CodeList:
    lists = _document()["lists"]
    assert isinstance(lists, dict)
    raw = lists[name]
    return CodeList(name, raw["label"], raw["source"], raw["declined"],
                    bool(raw.get("multiple", False)),
                    tuple((str(c), str(label)) for c, label in raw["codes"]))


@cache
def languages() -> tuple[tuple[str, str], ...]:
    raw = _document()["languages"]
    assert isinstance(raw, dict)
    return tuple((str(c), str(label)) for c, label in raw["codes"])


def language_name(code: str) -> str:
    """The language's name (never a bare code): unknown codes are named as such."""
    return dict(languages()).get(code, f"Language {code!r} (not in the list)")


def split(value: str) -> list[str]:
    return [c for c in (part.strip() for part in value.split(",")) if c]


def problem(name: str, value: str) -> str | None:
    """Why `value` is not a valid entry for field `name`, or None."""
    if not value:
        return None
    cl = code_list(name)
    known = {c for c, _ in cl.codes}
    codes = split(value) if cl.multiple else [value]
    unknown = [c for c in codes if c not in known]
    if unknown:
        return f"{cl.label}: {', '.join(unknown)} is not a code in the list"
    if cl.multiple and cl.declined in codes and len(codes) > 1:
        return f"{cl.label}: 'prefer not to say' cannot be combined with other answers"
    return None


def normalise(name: str, value: str) -> str:
    """Multiple-choice values in list order and de-duplicated, so equal answers compare equal
    (call after `problem` found nothing: unknown codes are dropped)."""
    if not code_list(name).multiple:
        return value.strip()
    order = [c for c, _ in code_list(name).codes]
    chosen = set(split(value))
    return ",".join(c for c in order if c in chosen)
