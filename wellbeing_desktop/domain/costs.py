"""What a service costs, in three honest states: free, charged (with the fee text), not stated.

A service is *free* only when the feed says so as a whole: cost options that are all amount 0,
or a fee text that says free without naming a charge. Any amount above 0, or a fee text naming
a price or a charge ("£30 per session (first session free)"), is *charged*. No cost options and
no fee text — or a text that says neither ("ask at reception") — is *not stated*: the Free
filter leaves it out and the printed plan says nothing about cost rather than "Free".

Fee texts are read from HSDS 3.0 `fees_description`, the UK profile's `fees` and cost options'
`option`/`amount_description`. The words are English, as UK feeds are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class CostState(StrEnum):
    FREE = "free"
    CHARGED = "charged"
    NOT_STATED = "not_stated"


LABELS = {CostState.FREE: "Free", CostState.CHARGED: "Charged",
          CostState.NOT_STATED: "Cost not stated"}


@dataclass(frozen=True)
class Cost:
    state: CostState
    text: str  # the fee text as the feed gave it (clean), "" when none

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def shown(self) -> str:
        """One line for the detail pane and the printed plan."""
        if self.state is CostState.NOT_STATED:
            return f"Cost not stated ({self.text})" if self.text else "Cost not stated"
        if self.text and self.text.casefold() not in ("free", "free of charge"):
            return f"{self.label}: {self.text}"
        return self.label


# A price: £30, £2.50, 50p, 30 pounds, GBP 10 (a zero price like "£0" is not a charge).
_PRICE = re.compile(r"(?:£|gbp\s*)\s*(\d+(?:[.,]\d+)?)|(\d+(?:\.\d+)?)\s*(?:p\b|pence|pounds?)",
                    re.IGNORECASE)
_FREE = re.compile(r"\b(?:free|no charge|no cost|no fee|not charged|without charge|nil|none)\b|"
                   r"£\s*0(?:\.00)?(?!\d)", re.IGNORECASE)
# Words that name a charge; "no charge" / "free of charge" are taken out before looking.
_CHARGE = re.compile(r"\b(charges?|charged|fees?|costs?|pay|paid|payable|price|subscription|"
                     r"membership fee|per (?:session|hour|class|visit|week|month|year|night)|"
                     r"donation (?:required|expected)|contribution required)\b", re.IGNORECASE)
_NEGATED = re.compile(r"\b(?:no|not|without|free of|nil)\s+(?:a\s+)?(?:charges?|costs?|fees?|"
                      r"charged|pay(?:ment)?)\b|\bfree of charge\b|\bat no cost\b|"
                      r"\bno need to pay\b|\bdoes not cost\b", re.IGNORECASE)


def _names_price(text: str) -> bool:
    for match in _PRICE.finditer(text):
        number = (match.group(1) or match.group(2) or "0").replace(",", ".")
        try:
            if float(number) > 0:
                return True
        except ValueError:
            continue
    return False


def read_text(text: str) -> CostState:
    """The state one fee text states on its own."""
    if not text.strip():
        return CostState.NOT_STATED
    if _names_price(text):
        return CostState.CHARGED
    rest = _NEGATED.sub(" ", text)
    if _CHARGE.search(rest):
        return CostState.CHARGED
    if _FREE.search(text) or _NEGATED.search(text):
        return CostState.FREE
    return CostState.NOT_STATED


def decide(amounts: Sequence[float | int | None], texts: Iterable[str | None]) -> Cost:
    """The state of a service from its cost option amounts and its fee texts (already clean)."""
    shown = [t.strip() for t in texts if t and t.strip()]
    text = "; ".join(dict.fromkeys(shown))
    states = {read_text(t) for t in shown}
    known = [a for a in amounts if isinstance(a, int | float) and not isinstance(a, bool)]
    if any(a > 0 for a in known) or CostState.CHARGED in states:
        return Cost(CostState.CHARGED, text)
    if CostState.FREE in states:
        return Cost(CostState.FREE, text)
    if known and len(known) == len(amounts) and all(a == 0 for a in known):
        return Cost(CostState.FREE, text)
    return Cost(CostState.NOT_STATED, text)
