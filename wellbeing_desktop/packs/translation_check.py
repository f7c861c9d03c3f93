"""Checks that a translation of the printed text keeps what software can check of its meaning:
the same numbers (phone numbers, "14 units a week", "call 999") and the same placeholders as
the English. A translation that changes either is refused before anything is printed
(hazard log H10); whether the words mean the same is left to the service's translation review.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_PLACEHOLDER = re.compile(r"\{(\w*)(?:[:!][^{}]*)?\}")
# A number may be written with spaces or no-break spaces inside it ("0808 2000 247").
_NUMBER = re.compile(r"\d+(?:[ \u00a0]\d+)*")


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def numbers(text: str) -> list[str]:
    """Every number in `text` (placeholders aside), as ASCII digits, in sorted order. Digits of
    other scripts (Arabic-Indic, Bengali) count as the same numbers."""
    bare = _PLACEHOLDER.sub(" ", text)
    found = []
    for match in _NUMBER.finditer(bare):
        found.append("".join(str(unicodedata.digit(ch)) for ch in match.group(0)
                             if not ch.isspace()))
    return sorted(found)


def _strings(value: Any) -> Iterator[tuple[str, str]]:
    """(path inside the value, text) for every string in a text entry or an advice entry."""
    if isinstance(value, str):
        yield "", value
    elif isinstance(value, list):
        yield "", " ".join(str(v) for v in value)
    elif isinstance(value, dict):
        for key in sorted(value):
            for inner, text in _strings(value[key]):
                yield f".{key}{inner}", text


def compare(english: dict[str, Any], translated: dict[str, Any], where: Path) -> list[str]:
    """Problems of `translated` (one language's file) against the English it replaces."""
    problems = []
    for key in sorted(translated):
        if key not in english:
            continue  # not used by any document
        ours = dict(_strings(english[key]))
        for path, text in _strings(translated[key]):
            if path not in ours:
                continue
            name = f"{where}: {key}{path}"
            if placeholders(text) != placeholders(ours[path]):
                problems.append(f"{name} has the placeholders {placeholders(text)} where the "
                                f"English has {placeholders(ours[path])}")
            if numbers(text) != numbers(ours[path]):
                said = ", ".join(numbers(text)) or "none"
                problems.append(f"{name} has the numbers {said} where the English has "
                                f"{', '.join(numbers(ours[path])) or 'none'}")
    return problems
