"""Bundled TrueType fonts, script runs and the "can we print this?" check (DESIGN §10).

Each bundled font covers only some scripts (Latin in a Bengali font, or an em dash in the
Arabic one, prints as an empty box). So text is split into runs and each run is set in the
first font that has its glyphs; characters no bundled font has are reported *before* printing.
Paragraphs that need shaping or hold right-to-left text are laid out by `shaping`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from wellbeing_desktop.resources import resource


@dataclass(frozen=True)
class FontFace:
    key: str            # our name: "latin", "bengali", "arabic", "cjk"
    regular: str        # file names in resources/fonts
    bold: str
    shaping: bool       # needs harfbuzz (joined or reordered glyphs)
    rtl: bool = False


# Order matters: the first face that has a character gets it, so Latin, digits and
# punctuation go to Noto Sans even when another font also has them.
FACES: tuple[FontFace, ...] = (
    FontFace("latin", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf", shaping=False),
    FontFace("bengali", "NotoSansBengali-Regular.ttf", "NotoSansBengali-Bold.ttf", shaping=True),
    FontFace("arabic", "NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf", shaping=True,
             rtl=True),
    FontFace("hebrew", "NotoSansHebrew-Regular.ttf", "NotoSansHebrew-Bold.ttf", shaping=True,
             rtl=True),
    FontFace("devanagari", "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf",
             shaping=True),
    FontFace("gurmukhi", "NotoSansGurmukhi-Regular.ttf", "NotoSansGurmukhi-Bold.ttf",
             shaping=True),
    FontFace("gujarati", "NotoSansGujarati-Regular.ttf", "NotoSansGujarati-Bold.ttf",
             shaping=True),
    FontFace("tamil", "NotoSansTamil-Regular.ttf", "NotoSansTamil-Bold.ttf", shaping=True),
    # Droid Sans Fallback has no bold; bold CJK is printed in the regular weight.
    FontFace("cjk", "DroidSansFallback.ttf", "DroidSansFallback.ttf", shaping=False),
)
# Faces chosen by the document's language, never by character lookup: Urdu is written in
# Nastaliq, which HarfBuzz shapes right (its cascading joins come as vertical offsets, which
# `shaping` draws); Arabic, Persian and Urdu names in other documents stay in Naskh.
LANGUAGE_FACES: dict[tuple[str, str], FontFace] = {
    ("ur", "arabic"): FontFace("nastaliq", "NotoNastaliqUrdu-Regular.ttf",
                               "NotoNastaliqUrdu-Bold.ttf", shaping=True, rtl=True),
}
_FACE_BY_KEY = {f.key: f for f in (*FACES, *LANGUAGE_FACES.values())}


def face_for_language(face: str, language: str) -> str:
    """The face to set `face`'s script in for a document in `language`."""
    found = LANGUAGE_FACES.get((language.split("-")[0], face))
    return found.key if found else face


def font_name(face: str, bold: bool = False) -> str:
    return f"WB-{face}-{'bold' if bold else 'regular'}"


BASE_REGULAR = font_name("latin")
BASE_BOLD = font_name("latin", True)


class _Registry:
    def __init__(self) -> None:
        self.cmaps: dict[str, frozenset[int]] = {}
        self.done = False

    def ensure(self, folder: Path | None = None) -> None:
        if self.done:
            return
        folder = folder or resource("fonts")
        for face in (*FACES, *LANGUAGE_FACES.values()):
            for bold, file_name in ((False, face.regular), (True, face.bold)):
                name = font_name(face.key, bold)
                if name not in pdfmetrics.getRegisteredFontNames():
                    pdfmetrics.registerFont(TTFont(name, str(folder / file_name)))
            if face.key not in self.cmaps:
                ttf = pdfmetrics.getFont(font_name(face.key))
                self.cmaps[face.key] = frozenset(ttf.face.charToGlyph)
        from reportlab.lib.fonts import addMapping

        addMapping(BASE_REGULAR, 0, 0, BASE_REGULAR)
        addMapping(BASE_REGULAR, 1, 0, BASE_BOLD)
        addMapping(BASE_REGULAR, 0, 1, BASE_REGULAR)  # no italics on clear-print documents
        addMapping(BASE_REGULAR, 1, 1, BASE_BOLD)
        self.done = True


_registry = _Registry()


def register_fonts() -> None:
    """Register the bundled fonts with reportlab once per process."""
    _registry.ensure()


def _is_neutral(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in "ZPSC" or ch in "\u200c\u200d"


_RTL_BIDI = {"R", "AL"}


def is_rtl_char(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in _RTL_BIDI


@cache
def face_for_char(ch: str) -> str | None:
    register_fonts()
    cp = ord(ch)
    for face in FACES:
        if cp in _registry.cmaps[face.key]:
            return face.key
    return None


def face_has(face: str, ch: str) -> bool:
    register_fonts()
    return ord(ch) in _registry.cmaps[face]


@dataclass(frozen=True)
class Run:
    face: str
    text: str


def runs(text: str) -> list[Run]:
    """Split text into runs, each in one face. Neutral characters (spaces, punctuation) stay in
    the run around them when its face has them, so shaping sees whole words and phrases."""
    if text.isascii():
        return [Run("latin", text)] if text else []   # the common case, and fast
    out: list[Run] = []
    current: str | None = None
    buf: list[str] = []
    # Is the next strong character right-to-left? A full stop after an Arabic name in an
    # English sentence belongs to the English (it must not be shaped to the name's left).
    next_rtl: list[bool] = [False] * len(text)
    ahead = False
    for i in range(len(text) - 1, -1, -1):
        bidi = unicodedata.bidirectional(text[i])
        if bidi in _RTL_BIDI:
            ahead = True
        elif bidi == "L" or text[i].isdigit():
            ahead = False
        next_rtl[i] = ahead
    for i, ch in enumerate(text):
        face = face_for_char(ch)
        if face is None:
            face = "latin"  # `unrenderable` reports these before anything is printed
        elif (_is_neutral(ch) and current is not None and current != face
              and ord(ch) in _registry.cmaps[current] and not ch.isdigit()
              and (next_rtl[i] or not _FACE_BY_KEY[current].rtl)):
            face = current
        if face != current and buf:
            out.append(Run(current or "latin", "".join(buf)))
            buf = []
        current = face
        buf.append(ch)
    if buf:
        out.append(Run(current or "latin", "".join(buf)))
    return out


def needs_shaping(text: str) -> bool:
    return not text.isascii() and any(_FACE_BY_KEY[r.face].shaping for r in runs(text))


def has_rtl(text: str) -> bool:
    return not text.isascii() and any(is_rtl_char(ch) for ch in text)


def script_name(ch: str) -> str:
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return f"U+{ord(ch):04X}"
    first = name.split()[0].title()
    return "Chinese, Japanese or Korean" if first == "Cjk" else first


@dataclass(frozen=True)
class Unrenderable:
    script: str
    sample: str          # the text it was found in, shortened
    characters: str

    def message(self) -> str:
        return (f"This document cannot be printed correctly: no font for {self.script} "
                f"text (in “{self.sample}”). Change that text or choose another language.")


def unrenderable(texts: list[str]) -> list[Unrenderable]:
    """Text no bundled font can print, grouped by script; empty when everything can be printed."""
    register_fonts()
    found: dict[str, tuple[str, set[str]]] = {}
    for text in texts:
        for ch in text:
            if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
                continue
            if face_for_char(ch) is None:
                script = script_name(ch)
                found.setdefault(script, (text[:40], set()))[1].add(ch)
    return [Unrenderable(script, sample, "".join(sorted(chars)))
            for script, (sample, chars) in sorted(found.items())]
