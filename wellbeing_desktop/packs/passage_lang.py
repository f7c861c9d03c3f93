"""The language of each passage of a printed document, for the accessible copy's `lang`.

A screen reader picks its voice from `lang`: an English sentence inside an Arabic document
read with an Arabic voice is gibberish. What we know, most specific first:
- **The content's own sentences.** `Content` notes every sentence it hands out with the
  language it is actually in (the document's when translated, English when it fell back) and
  where its values (names, dates, services) were put in (`Passage.holes`); the values keep
  their own language (a date is a passage of its own).
- **What the records hold.** Service names, goals and notes are typed in English (the app and
  the directory are English), so Latin letters that are not a known sentence are English.
  Text in the document's own script is in the document's language; another script whose
  language is certain (Bengali, Gurmukhi, Gujarati, Tamil, Hebrew, Greek, Han) gets that
  language; one that is not (Arabic script in a non-Arabic-script document: Arabic, Urdu or
  Persian? Cyrillic? Devanagari?) gets `lang=""`, which HTML defines as "unknown".
Spaces, digits and punctuation of a known sentence are in its language; elsewhere they go
with the letters before them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from wellbeing_desktop.domain.languages import language

UNKNOWN = ""
# Scripts whose language is certain enough to name.
SCRIPT_LANGUAGE = {"BENGALI": "bn", "GURMUKHI": "pa", "GUJARATI": "gu", "TAMIL": "ta",
                   "HEBREW": "he", "GREEK": "el", "CJK": "zh", "HIRAGANA": "ja",
                   "KATAKANA": "ja", "HANGUL": "ko", "THAI": "th"}
LANGUAGE_SCRIPT = {"ar": "ARABIC", "ur": "ARABIC", "fa": "ARABIC", "ps": "ARABIC",
                   "ckb": "ARABIC", "bn": "BENGALI", "pa": "GURMUKHI", "gu": "GUJARATI",
                   "ta": "TAMIL", "hi": "DEVANAGARI", "ne": "DEVANAGARI", "mr": "DEVANAGARI",
                   "he": "HEBREW", "el": "GREEK", "zh": "CJK", "ru": "CYRILLIC",
                   "uk": "CYRILLIC", "bg": "CYRILLIC"}


@dataclass(frozen=True)
class Passage:
    lang: str
    holes: tuple[tuple[int, int], ...] = ()   # where values were put in: their own language


def is_rtl(code: str) -> bool:
    return bool(getattr(language(code), "rtl", False))


def _script(ch: str) -> str | None:
    """The script of a letter (None for anything that is not a letter)."""
    if not unicodedata.category(ch).startswith("L"):
        return None
    name = unicodedata.name(ch, "")
    if name.startswith("CJK"):
        return "CJK"
    return name.split(" ")[0] if name else None


def _by_script(ch: str, doc_lang: str) -> str | None:
    script = _script(ch)
    if script is None:
        return None
    if script == LANGUAGE_SCRIPT.get(doc_lang.split("-")[0], "LATIN"):
        return doc_lang if script != "LATIN" else "en"
    if script == "LATIN":
        return "en"
    return SCRIPT_LANGUAGE.get(script, UNKNOWN)


def _pattern(text: str) -> re.Pattern[str]:
    before = r"(?<!\w)" if text[:1].isalnum() else ""
    after = r"(?!\w)" if text[-1:].isalnum() else ""
    return re.compile(before + re.escape(text) + after)


def segments(text: str, passages: dict[str, Passage], doc_lang: str) -> list[tuple[str, str]]:
    """`text` cut into runs of one language: [(run, lang)], in order."""
    labels: list[str | None] = [_by_script(ch, doc_lang) for ch in text]
    # Shorter passages first, so a sentence overrides a word found inside it, but only in its
    # own words: the values put into it (holes) keep what the shorter passages gave them.
    found = [(p, info) for p, info in passages.items()
             if len(p.strip()) > 1 and p in text and any(ch.isalpha() for ch in p)]
    known = [False] * len(text)
    for passage, info in sorted(found, key=lambda item: len(item[0])):
        for match in _pattern(passage).finditer(text):
            start = match.start()
            for i in range(len(passage)):
                at = start + i
                # Its own words and punctuation ("Zoë،": the comma is Arabic's), and digits
                # put into it that no shorter passage claimed ("2:30": the time's).
                if not any(a <= i < b for a, b in info.holes) or (
                        not known[at] and not text[at].isalpha()):
                    labels[at], known[at] = info.lang, True
    # Neutral characters go with the letters before them (at the start: the ones after).
    first = next((lab for lab in labels if lab is not None), None)
    current = first
    filled: list[str | None] = []
    for lab in labels:
        current = lab if lab is not None else current
        filled.append(current)
    runs: list[tuple[str, str]] = []
    for ch, lab in zip(text, filled, strict=True):
        lang = lab if lab is not None else doc_lang
        if runs and runs[-1][1] == lang:
            runs[-1] = (runs[-1][0] + ch, lang)
        else:
            runs.append((ch, lang))
    return runs


def main_language(runs: list[tuple[str, str]], doc_lang: str) -> str:
    """The language of most of the letters (the block's `lang`; the rest are spans)."""
    count: dict[str, int] = {}
    for run, lang in runs:
        count[lang] = count.get(lang, 0) + sum(1 for ch in run if ch.isalpha())
    if not count or max(count.values()) == 0:
        return doc_lang
    best = max(count.values())
    return doc_lang if count.get(doc_lang) == best else max(count, key=lambda k: count[k])
