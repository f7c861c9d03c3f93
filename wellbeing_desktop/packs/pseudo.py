"""Pseudo-languages that prove layouts survive translation, made from the English text.

- `qps-ploc` (40% longer): every sentence accented and lengthened by 40%, as German, Polish or
  Tamil often are. A box, table or page that only just held the English shows here.
- `qps-plocm` (mirrored): every sentence laid out right to left (a right-to-left mark and an
  override around it), with the values put into it (names, dates, numbers) kept readable in
  isolates. Alignment, bullets and mixed-direction lines show as an Arabic reader gets them.

The codes are the pseudo-locales Windows uses for the same purpose.
"""

from __future__ import annotations

import math
import re
from typing import Any

CODES = ("qps-ploc", "qps-plocm")
_PLACEHOLDER = re.compile(r"(\{[^{}]*\})")
_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒĝĥíĵķļɱñöƥǫŕšţüvŵxýžÅƁÇĐÉƑĜĤÍĴĶĻMÑÖƤǪŔŠŢÜVŴXÝŽ")
_PAD = "ļöŕéɱ íƥšüɱ đöļöŕ šíţ åɱéţ çöñšéçţéţüŕ åđíƥíšçíñĝ éļíţ"


def _longer(line: str) -> str:
    if not line.strip():
        return line
    parts = _PLACEHOLDER.split(line)
    text = "".join(p if _PLACEHOLDER.fullmatch(p) else p.translate(_ACCENTS) for p in parts)
    extra = math.ceil(len(line) * 0.4)
    pad = (_PAD * (1 + extra // len(_PAD)))[:extra].strip()
    return f"{text} {pad}" if pad else text


def _mirrored(line: str) -> str:
    if not line.strip():
        return line
    parts = _PLACEHOLDER.split(line)
    inner = "".join(f"\u2066{p}\u2069" if _PLACEHOLDER.fullmatch(p) else p for p in parts)
    return f"\u200f\u202e{inner}\u202c"


def sentence(code: str, text: str) -> str:
    change = _longer if code == "qps-ploc" else _mirrored
    return "\n".join(change(line) for line in text.split("\n"))


def transform(code: str, value: Any) -> Any:
    """A copy of one content file (or any part of it) in pseudo-language `code`."""
    if isinstance(value, str):
        return sentence(code, value)
    if isinstance(value, list):
        return [transform(code, v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in ("same_as", "language_name", "pictures") else transform(code, v)
                for k, v in value.items()}
    return value
