"""Intake vocabularies and the service's contact rules, shown as the next action.

The rules (Settings → intake) describe what the service agreed to do, e.g. "two attempts and
an opt-in letter, then discharge back to the referrer after 14 days with no reply; after two
missed appointments offer discharge". They are only ever *shown* as the next action: nothing
here changes a record, and the practitioner decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

METHODS: tuple[tuple[str, str], ...] = (
    ("phone", "Phone call"),
    ("text", "Text message"),
    ("email", "Email"),
    ("letter", "Letter"),
    ("visit", "In person"),
)
OUTCOMES: tuple[tuple[str, str], ...] = (
    ("no_answer", "No answer"),
    ("left_message", "Left a message"),
    ("spoke", "Spoke to them"),
    ("wrong_number", "Wrong number or address"),
    ("declined", "Declined the service"),
    ("sent", "Sent (no reply needed yet)"),
)
# An outcome that reaches the person: their first contact.
REACHED = frozenset({"spoke", "declined"})


@dataclass(frozen=True)
class Rules:
    attempts_before_opt_in: int = 2
    opt_in_reply_days: int = 14
    missed_before_discharge: int = 2

    @classmethod
    def from_settings(cls, section: dict[str, Any]) -> Rules:
        def number(key: str, default: int, low: int, high: int) -> int:
            try:
                value = int(section.get(key, default))
            except (TypeError, ValueError):
                return default
            return min(max(value, low), high)

        return cls(number("attempts_before_opt_in", 2, 1, 10),
                   number("opt_in_reply_days", 14, 1, 60),
                   number("missed_before_discharge", 2, 1, 10))

    def describe(self) -> str:
        return (f"{self.attempts_before_opt_in} contact attempts, then an opt-in letter; "
                f"with no reply in {self.opt_in_reply_days} days, offer discharge back to the "
                f"referrer. After {self.missed_before_discharge} missed appointments, offer "
                "discharge.")


@dataclass(frozen=True)
class Waiting:
    """What the waiting list knows about one referred person."""

    status: str                  # "received" or "contacted"
    received_on: date
    attempts: int = 0
    reached: bool = False        # an attempt reached them
    declined: bool = False
    opt_in_by: date | None = None
    missed: int = 0              # did-not-attend appointments in this referral
    booked: bool = False         # an assessment or session is booked


def reply_by(sent_on: date, rules: Rules) -> date:
    return sent_on + timedelta(days=rules.opt_in_reply_days)


def next_action(w: Waiting, rules: Rules, today: date) -> str:
    """The next step by the service's rules, in words; never applied by itself."""
    if w.declined:
        return "They declined: close the referral and tell the referrer"
    if w.missed >= rules.missed_before_discharge:
        return f"{w.missed} missed appointments: offer discharge back to the referrer"
    if w.booked:
        return "Appointment booked: send the appointment letter if not sent"
    if w.reached or w.status == "contacted":
        return "Book the assessment"
    if w.opt_in_by is not None:
        if today > w.opt_in_by:
            return (f"No reply since the opt-in letter (reply by {w.opt_in_by:%d %b}): offer "
                    "discharge back to the referrer")
        return f"Waiting for a reply to the opt-in letter until {w.opt_in_by:%d %b}"
    if w.attempts < rules.attempts_before_opt_in:
        return (f"Try to contact them (attempt {w.attempts + 1} of "
                f"{rules.attempts_before_opt_in})")
    return (f"{w.attempts} attempts without reaching them: send the opt-in letter "
            f"(reply by {reply_by(today, rules):%d %b})")


def label(vocabulary: tuple[tuple[str, str], ...], code: str) -> str:
    return next((text for c, text in vocabulary if c == code), code)
