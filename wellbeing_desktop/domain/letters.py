"""Which printed documents fit a person's stage (the stage rule), and why the others do not.

A letter that does not fit is a safety defect, not a style choice: a "your support has ended"
letter sent to someone still in sessions tells them they have been dropped; an appointment
letter with no appointment sends them to a room nobody booked. So every path that builds a
document (the Documents tab, `wellbeing pack`, the letters-due batch) asks `refusal` first and
shows its reason word for word. Pure rules: the facts come from the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# Referral statuses before assessment (the waiting list).
WAITING = frozenset({"received", "contacted"})
STATUS_WORDS = {
    "received": "is waiting for first contact", "contacted": "is waiting for assessment",
    "assessed": "has been assessed", "active": "is in sessions", "reviewing": "is in review",
    "discharged": "has been discharged", "closed": "was closed without assessment",
}


@dataclass(frozen=True)
class Stage:
    """What the records say about the person now (their newest referral)."""

    referral_status: str | None = None        # None: no referral recorded
    discharged_on: date | None = None         # a discharge recorded for the newest referral
    next_appointment: datetime | None = None  # the next booked appointment, if any
    last_missed: date | None = None           # the newest did-not-attend, if any
    suitability: str | None = None            # the newest suitability decision's code
    signposted: bool = False                  # a service was chosen for them
    post_allowed: bool = True                 # safe to send post to the address held
    source: str = ""                          # the referral's source code ("gp", …)


def _where(stage: Stage) -> str:
    status = stage.referral_status or ""
    return STATUS_WORDS.get(status, f"is at “{status}”")


# Letters that go through the post to the person (contact preferences apply to these).
POSTED = frozenset({"acknowledgement", "optin", "appointment", "no_contact", "dna", "discharge"})
# Who each document can be for (the first is the default).
RECIPIENTS_FOR: dict[str, tuple[str, ...]] = {
    "plan": ("person",), "leaflet": ("person",), "discharge": ("person", "referrer", "gp"),
    "acknowledgement": ("person", "referrer"), "optin": ("person",),
    "appointment": ("person",), "no_contact": ("person",), "dna": ("person",),
    "outcome": ("referrer", "gp"), "introduction": ("person",),
}
RECIPIENT_WORDS = {"person": "the person", "referrer": "the referrer", "gp": "the GP"}


def refusal(kind: str, stage: Stage, recipient: str = "person") -> str | None:
    """None when `kind` fits the stage; otherwise the reason, in words for the practitioner."""
    allowed = RECIPIENTS_FOR.get(kind, ("person",))
    if recipient not in allowed:
        return (f"This document is not written for {RECIPIENT_WORDS.get(recipient, recipient)}"
                f" (it is for {' or '.join(RECIPIENT_WORDS.get(r, r) for r in allowed)}).")
    if recipient == "gp" and stage.source == "gp":
        return ("No separate GP copy: the GP is the referrer, so the referrer's copy goes to "
                "the GP.")
    if kind in ("plan", "leaflet"):
        return None  # given by hand at any stage
    if stage.referral_status is None:
        return "No letter without a referral: record the referral first."
    if kind == "discharge":
        if stage.referral_status != "discharged" or stage.discharged_on is None:
            return (f"No discharge letter before discharge: this person {_where(stage)}. "
                    "Record the discharge first (Discharge tab).")
    elif kind == "appointment":
        if stage.next_appointment is None:
            return ("No appointment letter without an appointment: book the appointment "
                    "first (Sessions tab).")
    elif kind == "optin":
        if stage.referral_status not in WAITING:
            return (f"No opt-in letter: this person {_where(stage)}, so they have already "
                    "opted in.")
    elif kind == "no_contact":
        if stage.referral_status not in WAITING:
            return f"No “we tried to contact you” letter: this person {_where(stage)}."
    elif kind == "dna":
        if stage.last_missed is None:
            return "No did-not-attend letter: no missed appointment is recorded."
        if stage.referral_status in ("discharged", "closed"):
            return f"No did-not-attend letter: this person {_where(stage)}."
    elif kind == "outcome":
        if stage.suitability is None:
            return ("No assessment outcome letter before the assessment: record the "
                    "suitability decision first.")
    elif kind == "introduction" and not stage.signposted:
        return ("No introduction letter: no service has been chosen for this person yet "
                "(Signposting tab).")
    if recipient == "person" and kind in POSTED and not stage.post_allowed:
        return ("No letter by post: it is not safe to send post to this person's address "
                "(contact preferences on the client record). Tell them in person or by phone.")
    return None
