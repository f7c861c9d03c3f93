"""The plain data a printed document is made from (STYLE §15: assemble first, then render).

A snapshot holds everything the page shows and nothing else, so the same snapshot always gives
the same bytes and tests can build one by hand. Dates are real `date`s; the renderer writes
them out in words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from wellbeing_desktop.domain.measures.series import MeasureSeries as ScoreSeries

# Letters (packs/letters.py) follow the plan, leaflet and discharge letter.
LETTER_KINDS: tuple[str, ...] = ("acknowledgement", "optin", "appointment", "no_contact", "dna",
                                 "outcome", "introduction")
KINDS: tuple[str, ...] = ("plan", "leaflet", "discharge", *LETTER_KINDS)
VARIANTS: tuple[str, ...] = ("standard", "large-print", "easy-read")
RECIPIENTS: tuple[str, ...] = ("person", "referrer", "gp")


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    note: str = ""


@dataclass(frozen=True)
class Goal:
    title: str
    steps: tuple[str, ...] = ()
    progress: int | None = None  # the person's own 0-10 rating at the last review


@dataclass(frozen=True)
class ServiceEntry:
    name: str
    description: str = ""          # what it does
    reason: str = ""               # why it was chosen: the need, in plain words
    phone: str = ""
    address: str = ""
    postcode: str = ""
    opening_times: tuple[str, ...] = ()
    website: str = ""
    email: str = ""
    what_to_expect: str = ""
    who_for: str = ""              # the feed's eligibility, as clean text
    how_to_get_help: str = ""      # the feed's application process, as clean text
    cost: str = ""                 # "Free", "Charged: £5 a class"; empty when not stated
    contact_made: bool = False     # the practitioner already made contact for the person
    contact_note: str = ""


@dataclass(frozen=True)
class MeasurePoint:
    on: date
    score: float


@dataclass(frozen=True)
class MeasureSeries:
    name: str              # e.g. "PHQ-9" (the renderer explains it in plain words)
    maximum: float
    points: tuple[MeasurePoint, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """One line of "how things changed" in a discharge letter."""

    label: str
    first: str
    last: str
    note: str = ""


@dataclass(frozen=True)
class NextSteps:
    next_appointment: datetime | None = None
    appointment_how: str = ""            # "by phone", "at Kingsmere Health Centre"
    discharged: bool = False
    discharged_on: date | None = None
    continued_care: tuple[str, ...] = ()
    follow_up_on: date | None = None


@dataclass(frozen=True)
class LetterFacts:
    """What a letter needs beyond the person and the practitioner (packs/letters.py)."""

    letterhead: tuple[str, ...] = ()      # the service's name and address lines (Settings)
    signature: tuple[str, ...] = ()       # who signs: name, role (Settings, else practitioner)
    recipient_name: str = ""              # the referrer or GP, for their copies
    referrer_words: str = ""              # "Dr Patel" or "your GP" for the person's letters
    # Codes whose words come from the letter's language (`letter.how.<mode>`,
    # `letter.referred_by.<source>`, the needs domain's advice title); the English words above
    # and below are what prints when the language has no wording for them.
    appointment_mode: str = ""
    referrer_source: str = ""             # set only when no referrer is named
    need_code: str = ""
    received_on: date | None = None
    reply_by: date | None = None
    attempts: tuple[date, ...] = ()       # the days we tried to reach them
    appointment_at: datetime | None = None
    appointment_minutes: int = 0
    appointment_how: str = ""             # "in person", "by phone"
    venue: str = ""
    directions: str = ""                  # how to get there (Settings, per venue)
    missed_on: date | None = None
    decided_on: date | None = None
    decision: str = ""                    # suitability code
    decision_reasons: str = ""
    directed_to: tuple[str, ...] = ()     # where they were directed instead (service names)
    introduce: ServiceEntry | None = None
    need: str = ""                        # the need it is about, in plain words

    def all_text(self) -> list[str]:
        out = [*self.letterhead, *self.signature, self.recipient_name, self.referrer_words,
               self.appointment_how, self.venue, self.directions, self.decision_reasons,
               *self.directed_to, self.need]
        if self.introduce is not None:
            out += [self.introduce.name, self.introduce.phone, self.introduce.address]
        return out


@dataclass(frozen=True)
class PackSnapshot:
    kind: str
    variant: str
    language: str
    issued_on: date
    # The person: the name they asked to be called, and the first name for page footers.
    person_name: str
    first_name: str
    full_name: str = ""
    address: tuple[str, ...] = ()        # letters only
    practitioner_name: str = ""
    practitioner_phone: str = ""
    practitioner_email: str = ""
    service_name: str = ""
    service_phone: str = ""
    topics: tuple[str, ...] = ()         # needs-domain codes covered in sessions
    topic_labels: tuple[str, ...] = ()   # extra topics in plain words (no advice content)
    topic_names: tuple[tuple[str, str], ...] = ()  # (code, label) for codes without advice
    goals: tuple[Goal, ...] = ()
    services: tuple[ServiceEntry, ...] = ()
    next_steps: NextSteps = field(default_factory=NextSteps)
    crisis_contacts: tuple[Contact, ...] = ()
    measures: tuple[MeasureSeries, ...] = ()
    chart_series: tuple[ScoreSeries, ...] = ()   # what packs.charts draws (measures area)
    include_chart: bool = False
    # Leaflet and discharge letter.
    sessions_offered: int = 6
    sessions_attended: int = 0
    outcomes: tuple[Outcome, ...] = ()
    # Physical-health measures first against last; `note` is "better", "worse" or "same".
    health_changes: tuple[Outcome, ...] = ()
    recipient: str = "person"            # "person" or "referrer" (the copy for the referrer/GP)
    referrer_name: str = ""
    gp_practice: str = ""
    referred_on: date | None = None
    # An English copy for someone who reads another language: the language whose
    # interpreter goes through it with them (a note at the top says so); "" for none.
    interpreter_language: str = ""
    letter: LetterFacts = field(default_factory=LetterFacts)

    def all_text(self) -> list[str]:
        """Every piece of free text typed by someone, for the can-we-print-this check."""
        out = [self.person_name, self.first_name, self.full_name, *self.address,
               self.practitioner_name, self.service_name, *self.topic_labels,
               self.referrer_name, self.gp_practice, self.next_steps.appointment_how,
               *self.next_steps.continued_care]
        for goal in self.goals:
            out.append(goal.title)
            out.extend(goal.steps)
        for svc in self.services:
            out.extend([svc.name, svc.description, svc.reason, svc.phone, svc.address,
                        svc.who_for, svc.how_to_get_help, svc.cost,
                        svc.postcode, *svc.opening_times, svc.website, svc.email,
                        svc.what_to_expect, svc.contact_note])
        for contact in self.crisis_contacts:
            out.extend([contact.name, contact.phone, contact.note])
        for outcome in (*self.outcomes, *self.health_changes):
            out.extend([outcome.label, outcome.first, outcome.last, outcome.note])
        out.extend(self.letter.all_text())
        return [t for t in out if t]
