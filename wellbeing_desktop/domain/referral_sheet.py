"""A referrer's spreadsheet read as referrals: which row holds the headers, which column is
which field (the mapping the user confirms), and each data row read into clean values with
its problems named by the spreadsheet's own row number and column heading.

Row numbers are the spreadsheet's: the first line of the file is row 1, whether it holds the
headers or a title ("Referrals from Kingsmere PCN, November") above them. Blank rows are
skipped but still counted, so "row 7" is the row a practitioner sees in Excel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from wellbeing_desktop.domain.sheet_values import (
    CellProblem,
    cell_text,
    read_date,
    read_language,
    read_nhs_number,
    read_yes_no,
    split_full_name,
    tidy_name,
)

# What a column can be, in display order: (field, label shown in the mapping preview).
FIELDS: tuple[tuple[str, str], ...] = (
    ("given_name", "First name"),
    ("family_name", "Last name"),
    ("full_name", "Full name (first and last together)"),
    ("preferred_name", "Preferred name"),
    ("date_of_birth", "Date of birth"),
    ("nhs_number", "NHS number"),
    ("address", "Address"),
    ("postcode", "Postcode"),
    ("phone", "Phone"),
    ("email", "Email"),
    ("gp_practice", "GP practice"),
    ("language", "Language"),
    ("interpreter", "Interpreter needed"),
    ("received_on", "Date referred"),
    ("referrer", "Referrer"),
    ("source", "Referral source"),
    ("reason", "Reason for referral"),
)
IGNORE = ""
FIELD_LABELS = dict(FIELDS)

# Headings as referrers write them (compared without case, spaces or punctuation).
ALIASES: dict[str, tuple[str, ...]] = {
    "given_name": ("firstname", "forename", "forenames", "givenname", "first"),
    "family_name": ("surname", "lastname", "familyname", "last"),
    "full_name": ("name", "patientname", "clientname", "fullname", "patient"),
    "preferred_name": ("preferredname", "knownas"),
    "date_of_birth": ("dob", "dateofbirth", "birthdate", "born"),
    "nhs_number": ("nhsnumber", "nhsno", "nhs", "nhsnum"),
    "address": ("address", "addressline1", "homeaddress", "address1"),
    "postcode": ("postcode", "postalcode", "pcode"),
    "phone": ("phone", "telephone", "tel", "mobile", "phonenumber", "contactnumber",
              "telno", "mobilenumber"),
    "email": ("email", "emailaddress"),
    "gp_practice": ("gp", "gppractice", "surgery", "gpsurgery", "gpname", "registeredgp", "practice"),
    "language": ("language", "preferredlanguage", "firstlanguage", "mainlanguage"),
    "interpreter": ("interpreter", "interpreterneeded", "interpreterrequired"),
    "received_on": ("referraldate", "datereferred", "dateofreferral", "received",
                    "datereceived", "referred", "date"),
    "referrer": ("referrer", "referredby", "referrername", "referringclinician"),
    "source": ("source", "referralsource", "referredfrom"),
    "reason": ("reason", "reasonforreferral", "referralreason", "presentingneed",
               "presentingproblem", "needs", "notes"),
}
_KEY = re.compile(r"[^a-z0-9]")

# Referral sources as written → the codes referrals use (domain/casework.REFERRAL_SOURCES).
SOURCES = {"gp": "gp", "doctor": "gp", "step2": "step2", "pwp": "step2", "step3": "step3",
           "therapist": "step3", "self": "self", "selfreferral": "self",
           "community": "community", "communitypartner": "community", "other": "other"}
# How many rows from the top may be titles before the headings.
HEADER_SEARCH_ROWS = 10


def key(heading: object) -> str:
    return _KEY.sub("", cell_text(heading).lower())


def guess_field(heading: object) -> str:
    k = key(heading)
    if not k:
        return IGNORE
    for name, aliases in ALIASES.items():
        if k in aliases:
            return name
    return IGNORE


def find_header_row(rows: list[tuple[int, list[object]]]) -> int:
    """The index (into `rows`) of the headings: the first of the top rows in which at least
    two cells are headings we know; else the first non-blank row."""
    for index, (_, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if sum(1 for c in cells if guess_field(c)) >= 2:
            return index
    return 0


def guess_mapping(headings: list[str]) -> dict[str, str]:
    """heading → field for each heading we recognise (a field is used once, first wins)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for heading in headings:
        name = guess_field(heading)
        if name and name not in used:
            out[heading] = name
            used.add(name)
    return out


def mapping_problems(mapping: dict[str, str]) -> list[str]:
    """What the mapping as a whole lacks (said once, not on every row)."""
    fields = set(mapping.values()) - {IGNORE}
    problems = []
    if "full_name" not in fields and not {"given_name", "family_name"} <= fields:
        problems.append("no column for the person's name: choose a Full name column, or both "
                        "First name and Last name")
    if "reason" not in fields:
        problems.append("no column for the reason for referral")
    unknown = fields - set(FIELD_LABELS)
    if unknown:
        problems.append(f"unknown field(s): {', '.join(sorted(unknown))}")
    counts: dict[str, int] = {}
    for f in mapping.values():
        if f:
            counts[f] = counts.get(f, 0) + 1
    twice = [FIELD_LABELS.get(f, f) for f, n in counts.items() if n > 1]
    if twice:
        problems.append(f"more than one column chosen for: {', '.join(twice)}")
    return problems


@dataclass(frozen=True)
class CellIssue:
    column: str       # the spreadsheet's heading
    message: str


@dataclass
class SheetRow:
    """One data row read through the mapping: clean values by field, and what was wrong."""

    number: int                               # the spreadsheet's row number
    values: dict[str, object] = field(default_factory=dict)
    issues: list[CellIssue] = field(default_factory=list)

    def describe(self) -> list[str]:
        return [f"row {self.number}, {i.column}: {i.message}" for i in self.issues]


def read_row(number: int, headings: list[str], cells: list[object],
             mapping: dict[str, str], *, today: date) -> SheetRow:
    row = SheetRow(number)
    by_field: dict[str, tuple[str, object]] = {}
    for index, heading in enumerate(headings):
        name = mapping.get(heading, IGNORE)
        if name:
            by_field[name] = (heading, cells[index] if index < len(cells) else None)

    def take(name: str, reader: object) -> None:
        if name not in by_field:
            return
        heading, raw = by_field[name]
        try:
            row.values[name] = reader(raw)  # type: ignore[operator]
        except CellProblem as exc:
            row.issues.append(CellIssue(heading, str(exc)))

    if "full_name" in by_field:
        heading, raw = by_field["full_name"]
        try:
            given, family = split_full_name(raw)
            row.values["given_name"], row.values["family_name"] = given, family
        except CellProblem as exc:
            row.issues.append(CellIssue(heading, str(exc)))
    for name in ("given_name", "family_name", "preferred_name"):
        take(name, lambda v: tidy_name(cell_text(v)))
    take("date_of_birth", lambda v: read_date(v, today=today, past=True))
    take("received_on", lambda v: read_date(v, today=today, past=True))
    take("nhs_number", read_nhs_number)
    take("language", read_language)
    take("interpreter", read_yes_no)
    take("source", _source)
    for name in ("address", "postcode", "phone", "email", "gp_practice", "referrer", "reason"):
        take(name, cell_text)
    for name, label in (("given_name", "first name"), ("family_name", "last name"),
                        ("reason", "reason for referral")):
        heading = by_field.get(name, by_field.get("full_name", ("", None)))[0]
        if heading and not row.values.get(name) and not any(
                i.column == heading for i in row.issues):
            row.issues.append(CellIssue(heading, f"the {label} is empty"))
    dob = row.values.get("date_of_birth")
    if isinstance(dob, date) and (dob > today or dob.year < 1900):
        row.issues.append(CellIssue(by_field["date_of_birth"][0],
                                    f"{dob:%d/%m/%Y} is not a past date of birth"))
    received = row.values.get("received_on")
    if isinstance(received, date) and received > today:
        row.issues.append(CellIssue(by_field["received_on"][0],
                                    f"{received:%d/%m/%Y} is in the future"))
    return row


def _source(value: object) -> str:
    text = cell_text(value)
    if not text:
        return ""
    code = SOURCES.get(key(text))
    if code is None:
        raise CellProblem(f"“{text}” is not a referral source (GP, step 2, step 3, self, "
                          "community, other)")
    return code


def is_blank(cells: list[object]) -> bool:
    return all(not cell_text(c) for c in cells)
