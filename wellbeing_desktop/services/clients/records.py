"""The client record's shapes, its validation, and the row helpers other casework services share."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wellbeing_desktop.domain import coded, nhs_number, postcode
from wellbeing_desktop.domain.text import search_name
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, WellbeingError
from wellbeing_desktop.storage.models import Client

DOCUMENT_FORMATS: tuple[tuple[str, str], ...] = (
    ("standard", "Standard print"),
    ("large_print", "Large print"),
    ("easy_read", "Easy read"),
    ("audio", "Audio"),
    ("braille", "Braille"),
    ("bsl", "British Sign Language (BSL)"),
)
CLIENT_STATUSES: tuple[tuple[str, str], ...] = (
    ("referred", "Referred"),
    ("contacted", "Contacted"),
    ("assessed", "Assessed"),
    ("active", "In sessions"),
    ("reviewing", "Reviewing"),
    ("discharged", "Discharged"),
    ("closed", "Closed"),
)


@dataclass(frozen=True)
class Saved:
    """What a mutating casework service hands back: the record's id and what changed."""

    id: uuid.UUID
    changed: Changed


@dataclass(frozen=True)
class ClientSummary:
    id: uuid.UUID
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: date | None
    nhs_number: str | None
    postcode: str
    status: str

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}".strip()


@dataclass(frozen=True)
class ClientInput:
    """What the client form sends. Dates are dates; empty strings mean "not given"."""

    given_name: str
    family_name: str
    preferred_name: str = ""
    pronouns: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    address: str = ""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    contact_preferences: str = ""
    gp_practice: str = ""
    consent_contact: bool = True
    consent_share_services: bool = False
    consent_share_with: str = ""
    consent_central_records: bool = False
    language: str = "en"
    interpreter_needed: bool = False
    document_format: str = "standard"
    communication_notes: str = ""
    practitioner_id: uuid.UUID | None = None
    # Coded, optional (domain/coded.py): "" = not asked.
    gender_identity: str = ""
    sex_at_birth: str = ""
    ethnic_category: str = ""
    employment_status: str = ""
    accommodation_status: str = ""
    disability: str = ""
    carer_status: str = ""
    long_term_conditions: str = ""
    ais_needs: str = ""


@dataclass(frozen=True)
class ClientDetail(ClientInput):
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    status: str = "referred"
    practitioner_name: str = ""
    version: int = 1

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}".strip()

    @property
    def nhs_number_display(self) -> str:
        return nhs_number.display(self.nhs_number)


@dataclass(frozen=True)
class DuplicateCandidate:
    client: ClientSummary
    reason: str


class DuplicatesFound(WellbeingError):
    """Possible duplicates exist; the caller shows them and may save anyway."""

    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        self.candidates = candidates
        super().__init__(
            f"{len(candidates)} existing record{'s' if len(candidates) != 1 else ''} "
            "may be the same person"
        )


_INPUT_FIELDS = [f.name for f in fields(ClientInput)]
_SUMMARY_COLUMNS = (
    Client.id, Client.given_name, Client.family_name, Client.preferred_name,
    Client.date_of_birth, Client.nhs_number, Client.postcode, Client.status,
)


# validation --------------------------------------------------------------------------------

def validate(data: ClientInput, *, today: date | None = None) -> tuple[ClientInput, list[FieldProblem]]:
    """The input cleaned (trimmed, NHS number digits, postcode formatted) and its problems."""
    today = today or date.today()
    problems: list[FieldProblem] = []
    clean: dict[str, Any] = {}
    for name in _INPUT_FIELDS:
        value = getattr(data, name)
        clean[name] = value.strip() if isinstance(value, str) else value
    if not clean["given_name"]:
        problems.append(FieldProblem("given_name", "Enter the person's first name."))
    if not clean["family_name"]:
        problems.append(FieldProblem("family_name", "Enter the person's last name."))
    for name, limit in (("given_name", 100), ("family_name", 100), ("preferred_name", 100)):
        if len(clean[name]) > limit:
            problems.append(FieldProblem(name, f"Use {limit} characters or fewer."))
    dob = clean["date_of_birth"]
    if dob is not None and (dob > today or dob.year < 1900):
        problems.append(FieldProblem("date_of_birth", "Date of birth must be a past date."))
    if clean["nhs_number"]:
        issue = nhs_number.problem(clean["nhs_number"])
        if issue:
            problems.append(FieldProblem("nhs_number", f"NHS number {issue}."))
        else:
            clean["nhs_number"] = nhs_number.normalise(clean["nhs_number"])
    if clean["postcode"]:
        if postcode.is_valid(clean["postcode"]):
            clean["postcode"] = postcode.normalise(clean["postcode"])
        else:
            problems.append(FieldProblem("postcode", "Postcode is not a UK postcode (for "
                                                     "example KM1 4AB)."))
    if clean["email"] and ("@" not in clean["email"] or " " in clean["email"]):
        problems.append(FieldProblem("email", "Email address needs an @, like name@example.org."))
    if clean["phone"] and sum(ch.isdigit() for ch in clean["phone"]) < 10:
        problems.append(FieldProblem("phone", "Phone number needs at least 10 digits."))
    if clean["document_format"] not in {c for c, _ in DOCUMENT_FORMATS}:
        problems.append(FieldProblem("document_format", "Choose a format from the list."))
    for name in coded.FIELDS:
        issue = coded.problem(name, clean[name])
        if issue:
            problems.append(FieldProblem(name, f"{issue}."))
        else:
            clean[name] = coded.normalise(name, clean[name])
    if clean["consent_share_services"] is False and clean["consent_share_with"]:
        problems.append(FieldProblem("consent_share_with",
                                     "Tick consent to share before naming services."))
    return ClientInput(**clean), problems


def _apply(row: Client, data: ClientInput) -> None:
    for name in _INPUT_FIELDS:
        value = getattr(data, name)
        if name == "nhs_number":
            value = value or None
        setattr(row, name, value)
    row.search_name = search_name(data.given_name, data.family_name, data.preferred_name)


def _get(s: Session, client_id: uuid.UUID) -> Client:
    row = s.get(Client, client_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("That client record was not found (it may have been merged or removed).")
    return row


def require_client(s: Session, client_id: uuid.UUID) -> Client:
    """For other casework services: the live client row, or NotFound."""
    return _get(s, client_id)


def refresh_last_contact(s: Session, client_id: uuid.UUID) -> None:
    """Keep `Client.last_contact_on` (the last attended session or group) current, so Today's
    "no contact" list reads one index. Called in the same unit of work as the change."""
    from wellbeing_desktop.storage.models.casework import (
        Appointment,
        GroupAttendance,
        GroupSession,
    )

    s.flush()
    seen = s.execute(select(func.max(Appointment.starts_at)).where(
        Appointment.client_id == client_id, Appointment.outcome == "attended",
        Appointment.deleted_at.is_(None))).scalar()
    grouped = s.execute(
        select(func.max(GroupSession.starts_at))
        .join(GroupAttendance, GroupAttendance.group_session_id == GroupSession.id)
        .where(GroupAttendance.client_id == client_id, GroupAttendance.attendance == "attended",
               GroupAttendance.deleted_at.is_(None), GroupSession.deleted_at.is_(None))).scalar()
    days = [d.date() for d in (seen, grouped) if d is not None]
    last = max(days) if days else None
    row = s.get(Client, client_id)
    if row is not None and row.last_contact_on != last:
        row.last_contact_on = last
