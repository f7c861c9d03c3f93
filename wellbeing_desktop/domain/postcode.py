"""UK postcodes: format check and the canonical "OUTWARD INWARD" form.

Formats (outward then inward "9AA"): A9, A99, AA9, AA99, A9A, AA9A, plus GIR 0AA.
The demo town uses the unused "KM" area, which is valid in format.
"""

from __future__ import annotations

import re

_PATTERN = re.compile(
    r"^(GIR0AA|"
    r"[A-PR-UWYZ](\d{1,2}|[A-HK-Y]\d{1,2}|\d[A-HJKPSTUW]|[A-HK-Y]\d[ABEHMNPRVWXY])"
    r"\d[ABD-HJLNP-UW-Z]{2})$"
)


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text).upper()


def is_valid(text: str) -> bool:
    return bool(_PATTERN.match(compact(text)))


def normalise(text: str) -> str:
    """`"km1 4ab"`/`"KM14AB"` → `"KM1 4AB"`. Raises ValueError when it is not a UK postcode."""
    value = compact(text)
    if not _PATTERN.match(value):
        raise ValueError("not a UK postcode")
    return f"{value[:-3]} {value[-3:]}"


def problem(text: str) -> str | None:
    if not text.strip():
        return None
    if is_valid(text):
        return None
    return "is not a UK postcode (for example KM1 4AB)"
