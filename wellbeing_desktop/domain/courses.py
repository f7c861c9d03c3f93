"""Courses (group programmes): register marks, how each counts as a care contact, and the
completion rule. Pure rules: no Qt, no SQLAlchemy."""

from __future__ import annotations

from collections.abc import Iterable

# Register marks, with the key that sets each on the register screen.
MARKS: tuple[tuple[str, str, str], ...] = (
    ("attended", "Attended", "A"),
    ("late", "Late", "L"),
    ("left_early", "Left early", "E"),
    ("did_not_attend", "Did not attend", "D"),
    ("cancelled_service", "Cancelled by us", "C"),
)
BOOKED = "booked"
# Marks that mean the person was there: a contact, and a session towards finishing.
PRESENT = frozenset({"attended", "late", "left_early"})
# The appointment outcome (casework's codes) each mark records as the care contact.
CONTACT_OUTCOME = {"attended": "attended", "late": "attended", "left_early": "attended",
                   "did_not_attend": "did_not_attend", "cancelled_service": "cancelled_service"}
MODES: tuple[tuple[str, str], ...] = (("in_person", "In person"), ("video", "Video"))
REGISTER_NAMES: tuple[tuple[str, str], ...] = (
    ("first_initial", "First name and initial"), ("full", "Full name"))


def mark_label(code: str) -> str:
    return next((label for c, label, _ in MARKS if c == code), "Booked" if code == BOOKED
                else code.replace("_", " "))


def mark_for_key(key: str) -> str | None:
    return next((c for c, _, k in MARKS if k == key.upper()), None)


def attended(marks: Iterable[str]) -> int:
    return sum(1 for m in marks if m in PRESENT)


def finished(marks: Iterable[str], complete_after: int) -> bool:
    """The completion rule: present at `complete_after` or more sessions (e.g. 4 of 6)."""
    return attended(marks) >= complete_after


def missed_last_two(marks_in_order: list[str]) -> bool:
    """Did not attend the last two sessions whose register was taken (Today's list).
    Sessions we cancelled are skipped: missing them is not the person's doing."""
    taken = [m for m in marks_in_order if m != BOOKED and m != "cancelled_service"]
    return len(taken) >= 2 and taken[-1] == taken[-2] == "did_not_attend"


def register_name(given: str, family: str, style: str) -> str:
    """"Ada T." by default: a register lies on a table where others sign in."""
    if style == "full":
        return f"{given} {family}".strip()
    initial = f" {family.strip()[0]}." if family.strip() else ""
    return f"{given.strip()}{initial}"
