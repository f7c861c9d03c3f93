"""The hazard log (docs/safety/hazard-log.toml) read into plain data and checked.

The DCB0129 risk matrix lives here so that every rating in the log is the matrix's, not a
number someone typed: the loader refuses a log whose rating does not match its severity and
likelihood, a control with no proof, or a test id that is not a pytest node id.
Schema and sources: docs/safety/SCHEMA.md.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

SEVERITIES: tuple[str, ...] = ("minor", "significant", "considerable", "major", "catastrophic")
LIKELIHOODS: tuple[str, ...] = ("very low", "low", "medium", "high", "very high")

# DCB0129 Clinical Risk Management: its Application in the Manufacture of Health IT Systems,
# Implementation Guidance, risk matrix: likelihood (rows) x consequence (columns, minor →
# catastrophic) → clinical risk rating 1 (acceptable) to 5 (unacceptable).
MATRIX: dict[str, tuple[int, int, int, int, int]] = {
    "very high": (3, 4, 4, 5, 5),
    "high": (2, 3, 3, 4, 5),
    "medium": (2, 2, 3, 3, 4),
    "low": (1, 2, 2, 3, 4),
    "very low": (1, 1, 2, 2, 3),
}

RATING_MEANING: dict[int, str] = {
    5: "Unacceptable level of risk",
    4: "Mandatory elimination of hazard or addition of control measure to reduce risk to an "
       "acceptable level",
    3: "Undesirable level of risk: attempts should be made to eliminate the hazard or reduce "
       "the risk; acceptable only when further reduction is impractical",
    2: "Acceptable where the cost of further reduction outweighs the benefit, or further "
       "reduction is impractical",
    1: "Acceptable, no further action required",
}

STATUSES: dict[str, str] = {
    "controlled": "controls in place and proved; residual risk for the CSO to accept",
    "open": "a gap remains (stated); further control needed",
    "transferred": "the residual risk rests mainly on the deploying service's controls",
}
CONTROL_KINDS: dict[str, str] = {
    "test": "proved by the tests named",
    "design": "a property of the design that no single test can show (reason given)",
    "training": "depends on how users are trained (reason given)",
    "deployer": "the deploying service must do it (DCB0160 hand-over; reason given)",
}

_NODE_ID = re.compile(r"^tests/[\w/]+\.py::\w+$")


class HazardLogError(Exception):
    """The log breaks its schema; `str()` names the hazard or control and the field."""


def rating(severity: str, likelihood: str) -> int:
    return MATRIX[likelihood][SEVERITIES.index(severity)]


@dataclass(frozen=True)
class Assessment:
    severity: str
    likelihood: str
    rating: int


@dataclass(frozen=True)
class Control:
    id: str
    what: str
    kind: str
    tests: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Hazard:
    id: str
    title: str
    cause: str
    effect: str
    owner: str
    status: str
    initial: Assessment
    residual: Assessment
    gap: str
    controls: tuple[Control, ...]


@dataclass(frozen=True)
class HazardLog:
    version: int
    issued: date
    product: str
    product_version: str
    standard: str
    clinical_safety_officer: str
    hazards: tuple[Hazard, ...]
    assurance_tests: tuple[str, ...]
    sha256: str          # of the file's bytes: any edit is a new log

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]

    @property
    def label(self) -> str:
        """How the changelog, report and footer name this exact log."""
        return f"hazard log v{self.version} ({self.short_hash})"

    def referenced_tests(self) -> set[str]:
        out = set(self.assurance_tests)
        for hazard in self.hazards:
            for control in hazard.controls:
                out.update(control.tests)
        return out


def default_path() -> Path:
    """docs/safety/hazard-log.toml of the checkout this package runs from."""
    return Path(__file__).resolve().parents[2] / "docs" / "safety" / "hazard-log.toml"


def _text(table: dict[str, Any], key: str, where: str, required: bool = True) -> str:
    value = table.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise HazardLogError(f"{where}: '{key}' must be a non-empty string")
    return value.strip()


def _assessment(table: dict[str, Any], key: str, where: str) -> Assessment:
    raw = table.get(key)
    if not isinstance(raw, dict):
        raise HazardLogError(f"{where}: '{key}' needs severity, likelihood and rating")
    severity, likelihood, given = raw.get("severity"), raw.get("likelihood"), raw.get("rating")
    if severity not in SEVERITIES:
        raise HazardLogError(f"{where}: {key}.severity must be one of {', '.join(SEVERITIES)}")
    if likelihood not in LIKELIHOODS:
        raise HazardLogError(f"{where}: {key}.likelihood must be one of {', '.join(LIKELIHOODS)}")
    expected = rating(severity, likelihood)
    if given != expected:
        raise HazardLogError(f"{where}: {key}.rating is {given!r} but the DCB0129 matrix gives "
                             f"{expected} for {severity} and {likelihood}")
    return Assessment(severity, likelihood, expected)


def _control(table: dict[str, Any], where: str) -> Control:
    cid = _text(table, "id", where)
    where = f"{where} control {cid}"
    kind = table.get("kind")
    if kind not in CONTROL_KINDS:
        raise HazardLogError(f"{where}: 'kind' must be one of {', '.join(CONTROL_KINDS)}")
    tests = table.get("tests", [])
    if not isinstance(tests, list) or not all(isinstance(t, str) for t in tests):
        raise HazardLogError(f"{where}: 'tests' must be a list of pytest node ids")
    for test in tests:
        if not _NODE_ID.match(test):
            raise HazardLogError(f"{where}: {test!r} is not a node id like "
                                 "'tests/area/test_x.py::test_name' (no parameters)")
    reason = _text(table, "reason", where, required=False)
    if kind == "test" and not tests:
        raise HazardLogError(f"{where}: a 'test' control must name its tests")
    if kind != "test" and (tests or not reason):
        raise HazardLogError(f"{where}: a '{kind}' control gives a 'reason' and no tests")
    return Control(cid, _text(table, "what", where), kind, tuple(tests), reason)


def _hazard(table: dict[str, Any]) -> Hazard:
    hid = _text(table, "id", "hazard")
    where = f"hazard {hid}"
    status = table.get("status")
    if status not in STATUSES:
        raise HazardLogError(f"{where}: 'status' must be one of {', '.join(STATUSES)}")
    controls = table.get("control", [])
    if not isinstance(controls, list) or not controls:
        raise HazardLogError(f"{where}: needs at least one [[hazard.control]]")
    gap = _text(table, "gap", where, required=False)
    if status == "open" and not gap:
        raise HazardLogError(f"{where}: an open hazard states its 'gap'")
    parsed = tuple(_control(c, where) for c in controls)
    seen = [c.id for c in parsed]
    if len(set(seen)) != len(seen):
        raise HazardLogError(f"{where}: control ids repeat")
    return Hazard(hid, _text(table, "title", where), _text(table, "cause", where),
                  _text(table, "effect", where), _text(table, "owner", where), status,
                  _assessment(table, "initial", where), _assessment(table, "residual", where),
                  gap, parsed)


def parse(raw: bytes) -> HazardLog:
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise HazardLogError(f"not valid TOML: {exc}") from exc
    head = data.get("log")
    if not isinstance(head, dict):
        raise HazardLogError("the [log] table is missing")
    version, issued = head.get("version"), head.get("issued")
    if not isinstance(version, int) or version < 1:
        raise HazardLogError("log: 'version' must be a whole number from 1")
    if not isinstance(issued, date):
        raise HazardLogError("log: 'issued' must be a date (YYYY-MM-DD)")
    hazards = tuple(_hazard(h) for h in data.get("hazard", []))
    ids = [h.id for h in hazards]
    if not hazards or len(set(ids)) != len(ids):
        raise HazardLogError("log: hazards are missing or their ids repeat")
    assurance = (data.get("assurance") or {}).get("tests", [])
    if not all(isinstance(t, str) and _NODE_ID.match(t) for t in assurance):
        raise HazardLogError("assurance: 'tests' must be a list of pytest node ids")
    return HazardLog(version, issued, _text(head, "product", "log"),
                     _text(head, "product_version", "log"), _text(head, "standard", "log"),
                     _text(head, "clinical_safety_officer", "log"), hazards, tuple(assurance),
                     hashlib.sha256(raw).hexdigest())


def load(path: Path | None = None) -> HazardLog:
    path = path or default_path()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise HazardLogError(f"{path}: {exc.strerror or exc}") from exc
    try:
        return parse(raw)
    except HazardLogError as exc:
        raise HazardLogError(f"{path}: {exc}") from exc
