"""Text folding for search and duplicate checks: case, accents and punctuation ignored."""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑'’.]+")


def fold(text: str) -> str:
    """`"Zoë O'Brien-Smith"` → `"zoe obrien smith"`-like key: lower case, no accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SEPARATORS.sub(" ", stripped).strip()


def search_name(given: str, family: str, preferred: str = "") -> str:
    parts = [fold(family), fold(given)]
    if preferred and fold(preferred) != fold(given):
        parts.append(fold(preferred))
    return " ".join(p for p in parts if p)
