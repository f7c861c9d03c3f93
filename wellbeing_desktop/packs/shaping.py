"""Right-to-left and complex-script paragraphs (DESIGN §10).

The Unicode bidi levels come from python-bidi (the Rust `unicode-bidi` crate); each run of one
level and one font is shaped by HarfBuzz in its own direction (an odd level right to left, an
even one left to right), and the runs of each line are put in visual order by rule L2 of the
Unicode bidi algorithm. Shaping a whole mixed line in one direction is what printed "٢٠" as
"٠٢": Arabic-Indic digits are Arabic script, so a guessed direction reverses them, though their
bidi level is even. Reordering before shaping breaks Arabic joining.

Each line is drawn inside a marked-content span whose ActualText is the line in logical order,
so copying, searching and screen readers get the words as typed, not the glyphs' visual order.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

import uharfbuzz as hb
from bidi import get_base_level, get_display
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from wellbeing_desktop.packs import fonts

_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def bidi_levels(text: str) -> tuple[int, list[int]]:
    """(paragraph level, resolved level of each character) for one paragraph of `text`.

    python-bidi's public functions return the display string only; its debug output carries
    the resolved levels, which is what shaping per run needs. A test pins this reading."""
    if not text:
        return 0, []
    base = int(get_base_level(text))
    info = str(get_display(text, base_dir="R" if base else "L", debug=True))
    body = info.split("levels: [", 1)[1].split("]", 1)[0]
    per_byte = [int(n) for n in _LEVEL.findall(body)]   # one per UTF-8 byte, as in Rust
    if len(per_byte) != len(text.encode("utf-8")):
        raise RuntimeError(f"python-bidi gave {len(per_byte)} levels for {len(text)} characters")
    levels = []
    offset = 0
    for ch in text:
        levels.append(per_byte[offset])
        offset += len(ch.encode("utf-8"))
    return base, levels


def visual_order(levels: list[int]) -> list[int]:
    """Indices of runs (one level each) in visual order: rule L2."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    lowest_odd = min(lv for lv in levels if lv % 2) if any(lv % 2 for lv in levels) else highest + 1
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


@dataclass(frozen=True)
class Glyph:
    char: str          # the character that draws this glyph in reportlab's font subset
    advance: float     # points
    dx: float
    dy: float


@dataclass(frozen=True)
class Run:
    text: str
    font: str
    level: int
    glyphs: tuple[Glyph, ...]
    width: float


@cache
def _hb_font(font: str) -> Any:
    ttf = pdfmetrics.getFont(font)
    return ttf.hbFont()   # also gives the font `hbAddPrivate` for glyphs with no character


@cache
def shape(text: str, font: str, size: float, rtl: bool, language: str = ""
          ) -> tuple[tuple[Glyph, ...], float]:
    """Glyphs of `text` in visual (left-to-right) order and the total advance, in points."""
    ttf = pdfmetrics.getFont(font)
    hbf = _hb_font(font)
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    buf.direction = "rtl" if rtl else "ltr"     # the level decides, never the script
    if language:
        buf.language = language                 # Urdu's own digit shapes, for one
    hb.shape(hbf, buf, {"kern": True, "liga": True})
    scale = size / 1000.0
    out: list[Glyph] = []
    total = 0.0
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        gid = info.codepoint
        typed = ord(text[info.cluster])
        if ttf.face.charToGlyph.get(typed) == gid:
            code = typed    # the character typed (not another one sharing its glyph)
        else:
            chars = ttf.face.glyphToChar.get(gid)
            # A joined form or ligature has no character of its own: reportlab gives it one.
            code = chars[0] if chars else ttf.hbAddPrivate(hbf.glyph_to_string(gid), gid,
                                                           pos.x_advance)
        advance = ttf.pdfScale(pos.x_advance) * scale
        out.append(Glyph(chr(code), advance, ttf.pdfScale(pos.x_offset) * scale,
                         ttf.pdfScale(pos.y_offset) * scale))
        total += advance
    return tuple(out), total


def _face_of(ch: str, current: str | None) -> str:
    face = fonts.face_for_char(ch) or "latin"
    if current is not None and current != face and _neutral(ch) and fonts.face_has(current, ch):
        return current   # spaces and punctuation stay with the words around them
    return face


def _neutral(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("WS", "ON", "CS", "ES", "ET", "BN", "S", "NSM") \
        and not ch.isdigit()


def runs(text: str, levels: list[int], size: float, bold: bool, language: str = ""
         ) -> list[Run]:
    """`text` (one line, logical order) cut into runs of one level and one font, shaped."""
    out: list[Run] = []
    start = 0
    face: str | None = None
    for i, ch in enumerate(text):
        f = _face_of(ch, face if i and levels[i] == levels[i - 1] else None)
        if i and (f != face or levels[i] != levels[i - 1]):
            out.append(_run(text[start:i], face or "latin", levels[start], size, bold, language))
            start = i
        face = f
    if text:
        out.append(_run(text[start:], face or "latin", levels[start], size, bold, language))
    return out


def _run(text: str, face: str, level: int, size: float, bold: bool, language: str) -> Run:
    name = fonts.font_name(fonts.face_for_language(face, language) if language else face, bold)
    glyphs, width = shape(text, name, size, bool(level % 2), language)
    return Run(text, name, level, glyphs, width)


# Nastaliq climbs and descends far more than Naskh: its lines need more room.
TALL_FACES = {"nastaliq": 2.3}


def _actual_text(text: str) -> str:
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


@dataclass(frozen=True)
class _Line:
    start: int
    end: int      # without the spaces it was broken at
    width: float


class ShapedParagraph(Flowable):  # type: ignore[misc]
    """A paragraph of any direction and script, wrapped at spaces, laid out as described in
    the module notes. Takes the size, leading, colour, indents, spacing, alignment and
    keep-with-next of a reportlab ParagraphStyle; a bullet goes on the reading side."""

    def __init__(self, text: str, style: ParagraphStyle, bullet: str | None = None,
                 _lines: list[_Line] | None = None, _levels: tuple[int, list[int]] | None = None,
                 language: str = "") -> None:
        super().__init__()
        self.text = text
        self.language = language
        self.style = style
        self.bullet = bullet
        self.bold = style.fontName == fonts.BASE_BOLD
        self.size = float(style.fontSize)
        self.base, self.levels = _levels or bidi_levels(text)
        self.rtl = bool(self.base)
        self.keepWithNext = getattr(style, "keepWithNext", 0)
        self._fixed = _lines
        self.lines: list[_Line] = _lines or []
        self.leading = float(style.leading)
        self.ascent = self.size
        for face, factor in TALL_FACES.items():
            if language and any(fonts.face_for_language(fonts.face_for_char(ch) or "latin",
                                                        language) == face for ch in text):
                self.leading = max(self.leading, self.size * factor)
                self.ascent = self.size * factor * 0.62

    # ---- layout ------------------------------------------------------------------------
    def _width(self, a: int, b: int) -> float:
        return sum(r.width for r in runs(self.text[a:b], self.levels[a:b], self.size, self.bold,
                                         self.language))

    def _break(self, avail: float) -> list[_Line]:
        lines: list[_Line] = []
        paragraph_start = 0
        for part in self.text.split("\n"):
            words = [(m.start() + paragraph_start, m.end() + paragraph_start)
                     for m in re.finditer(r"[^ ]+", part)]
            paragraph_start += len(part) + 1
            if not words:
                lines.append(_Line(paragraph_start - 1, paragraph_start - 1, 0.0))
                continue
            start, end = words[0]
            width = self._width(start, end)
            for a, b in words[1:]:
                wider = self._width(start, b)
                if wider > avail:
                    lines.append(_Line(start, end, width))
                    start, end, width = a, b, self._width(a, b)
                else:
                    end, width = b, wider
            lines.append(_Line(start, end, width))
        return lines

    def _text_width(self, avail: float) -> float:
        return float(avail - self.style.leftIndent - self.style.rightIndent)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        if self._fixed is None:
            self.lines = self._break(self._text_width(avail_width))
        self.height = len(self.lines) * self.leading
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self.wrap(avail_width, avail_height)
        fit = int(avail_height // self.leading)
        if fit < 1 or fit >= len(self.lines):
            return [] if fit < 1 else [self]
        first = ShapedParagraph(self.text, self.style, self.bullet, self.lines[:fit],
                                (self.base, self.levels), self.language)
        rest = ShapedParagraph(self.text, self.style, None, self.lines[fit:],
                               (self.base, self.levels), self.language)
        first.keepWithNext = 0
        return [first, rest]

    def getSpaceBefore(self) -> float:  # noqa: N802 (reportlab's name)
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:  # noqa: N802
        return float(self.style.spaceAfter)

    # ---- drawing -----------------------------------------------------------------------
    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        text_w = self._text_width(self.width)
        canvas.saveState()
        canvas.setFillColor(style.textColor)
        for n, line in enumerate(self.lines):
            baseline = self.height - self.ascent - n * self.leading
            align = style.alignment
            if self.rtl:
                x = self.width - style.leftIndent - line.width
            elif align == TA_RIGHT:
                x = self.width - style.rightIndent - line.width
            elif align == TA_CENTER:
                x = style.leftIndent + (text_w - line.width) / 2
            else:
                x = style.leftIndent
            if n == 0 and self.bullet:
                self._draw_bullet(baseline)
            self._draw_line(line, x, baseline)
        canvas.restoreState()

    def _draw_bullet(self, baseline: float) -> None:
        glyphs, width = shape(self.bullet or "", fonts.font_name("latin", self.bold),
                              self.size, False)
        indent = float(getattr(self.style, "bulletIndent", 0))
        x = self.width - indent - width if self.rtl else indent
        self._glyphs(glyphs, fonts.font_name("latin", self.bold), x, baseline)

    def _draw_line(self, line: _Line, x: float, baseline: float) -> None:
        text = self.text[line.start:line.end]
        line_runs = runs(text, self.levels[line.start:line.end], self.size, self.bold,
                         self.language)
        self.canv.addLiteral(f"/Span <</ActualText {_actual_text(text)}>> BDC")
        for i in visual_order([r.level for r in line_runs]):
            x = self._glyphs(line_runs[i].glyphs, line_runs[i].font, x, baseline)
        self.canv.addLiteral("EMC")

    def _glyphs(self, glyphs: tuple[Glyph, ...], font: str, x: float, baseline: float) -> float:
        tx = self.canv.beginText()
        tx.setFont(font, self.size)
        for g in glyphs:
            tx.setTextOrigin(x + g.dx, baseline + g.dy)
            tx.textOut(g.char)
            x += g.advance
        self.canv.drawText(tx)
        return x
