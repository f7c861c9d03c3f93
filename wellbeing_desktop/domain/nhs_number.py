"""NHS numbers: the Modulus 11 check digit, and the 3-3-4 display form."""

from __future__ import annotations

import re

_NOT_DIGIT = re.compile(r"[\s\-]")


def normalise(text: str) -> str:
    """Digits only: `"943 476 5919"` → `"9434765919"` (spaces and hyphens dropped)."""
    return _NOT_DIGIT.sub("", text)


def check_digit(first_nine: str) -> int | None:
    """The Modulus 11 check digit for nine digits, or None when no valid number can end them."""
    total = sum(int(d) * (10 - i) for i, d in enumerate(first_nine))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def problem(text: str) -> str | None:
    """What is wrong with an NHS number as typed, in plain words; None when it is valid."""
    digits = normalise(text)
    if not digits.isdigit():
        return "use digits only (spaces are fine)"
    if len(digits) != 10:
        return f"needs 10 digits (it has {len(digits)})"
    expected = check_digit(digits[:9])
    if expected is None or expected != int(digits[9]):
        return "is not a valid NHS number (the check digit does not match); check for a typo"
    return None


def is_valid(text: str) -> bool:
    return problem(text) is None


def display(digits: str | None) -> str:
    """`"9434765919"` → `"943 476 5919"`; anything else is returned unchanged."""
    if not digits:
        return ""
    clean = normalise(digits)
    if len(clean) != 10 or not clean.isdigit():
        return digits
    return f"{clean[:3]} {clean[3:6]} {clean[6:]}"
