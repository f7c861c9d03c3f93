"""Casework vocabularies and rules: referral status flow, suitability, modes, outcomes.

Each vocabulary is (code, label) in display order; codes are what the database stores.
"""

from __future__ import annotations

from datetime import date

REFERRAL_SOURCES: tuple[tuple[str, str], ...] = (
    ("step2", "Step 2 therapist"),
    ("step3", "Step 3 therapist"),
    ("gp", "GP"),
    ("self", "Self-referral"),
    ("community", "Community partner"),
    ("other", "Other"),
)

# The referral's journey (DESIGN §1). Any status may go to "discharged" or "closed".
REFERRAL_STATUSES: tuple[tuple[str, str], ...] = (
    ("received", "Referral received"),
    ("contacted", "First contact made"),
    ("assessed", "Assessed"),
    ("active", "In sessions"),
    ("reviewing", "Reviewing"),
    ("discharged", "Discharged"),
    ("closed", "Closed without assessment"),
)
_ORDER = [code for code, _ in REFERRAL_STATUSES]
_FLOW: dict[str, frozenset[str]] = {
    "received": frozenset({"contacted", "assessed", "closed"}),
    "contacted": frozenset({"assessed", "closed"}),
    "assessed": frozenset({"active", "discharged", "closed"}),
    "active": frozenset({"reviewing", "discharged"}),
    "reviewing": frozenset({"active", "discharged"}),
    "discharged": frozenset({"active"}),  # re-opened when the person comes back
    "closed": frozenset({"received"}),
}

SUITABILITY: tuple[tuple[str, str], ...] = (
    ("suitable", "Suitable"),
    ("suitable_adjusted", "Suitable with adjustments"),
    ("signposted", "Signposted elsewhere"),
    ("not_suitable", "Not suitable"),
)

# What the practitioner confirms was discussed at assessment (identifying suitability).
EXPECTATIONS: tuple[tuple[str, str], ...] = (
    ("offer", "What the pathway offers (signposting and health promotion)"),
    ("sessions", "How many sessions, how long, and how they are delivered"),
    ("not_offered", "What it does not offer: it is not a crisis or therapy service"),
    ("ending", "How it ends and what happens after (the continued-care plan)"),
    ("crisis", "What to do in a crisis, and who to call"),
)

MODES: tuple[tuple[str, str], ...] = (
    ("in_person", "In person"),
    ("phone", "Phone"),
    ("video", "Video"),
    ("group", "Group"),
    ("text", "Text message"),
)

OUTCOMES: tuple[tuple[str, str], ...] = (
    ("booked", "Booked"),
    ("attended", "Attended"),
    ("did_not_attend", "Did not attend"),
    ("cancelled_client", "Cancelled by client"),
    ("cancelled_service", "Cancelled by service"),
    ("rescheduled", "Rescheduled"),
)

ATTENDANCE: tuple[tuple[str, str], ...] = (
    ("booked", "Booked"),
    ("attended", "Attended"),
    ("did_not_attend", "Did not attend"),
    ("cancelled", "Cancelled"),
    # A course's register (issue 16) marks these too; see domain/courses.py.
    ("late", "Late"),
    ("left_early", "Left early"),
    ("cancelled_service", "Cancelled by us"),
)

NEED_LEVELS: tuple[tuple[int, str], ...] = ((0, "No need"), (1, "Some need"), (2, "High need"))
PRIORITIES: tuple[tuple[int, str], ...] = ((0, "Not now"), (1, "Later"), (2, "Now"))

DISCHARGE_REASONS: tuple[tuple[str, str], ...] = (
    ("completed", "Completed the sessions"),
    ("goals_met", "Goals met early"),
    ("client_choice", "Chose to stop"),
    ("not_engaged", "Did not engage (after attempts to contact)"),
    ("moved_on", "Moved to another service"),
    ("stepped_up", "Stepped up to therapy"),
    ("other", "Other"),
)

GOAL_STATUSES: tuple[tuple[str, str], ...] = (
    ("active", "Active"),
    ("achieved", "Achieved"),
    ("partly_achieved", "Partly achieved"),
    ("stopped", "Stopped"),
)


def label(vocabulary: tuple[tuple[str, str], ...], code: str) -> str:
    return next((text for c, text in vocabulary if c == code), code)


def codes(vocabulary: tuple[tuple[str, str], ...]) -> frozenset[str]:
    return frozenset(c for c, _ in vocabulary)


def allowed_next(status: str) -> frozenset[str]:
    return _FLOW.get(status, frozenset())


def can_move(current: str, new: str) -> bool:
    return new in _FLOW.get(current, frozenset())


def status_rank(status: str) -> int:
    return _ORDER.index(status) if status in _ORDER else -1


def waiting_days(received_on: date, until: date | None) -> int | None:
    """Days from the referral to an event (first contact, assessment); None if not yet."""
    if until is None:
        return None
    return (until - received_on).days
