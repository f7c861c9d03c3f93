"""Page furniture shared by every document: styles per variant, script-aware paragraphs,
the page template with "title for first name · Page x of y", and deterministic output."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from wellbeing_desktop.packs import fonts
from wellbeing_desktop.packs.shaping import ShapedParagraph

INK = colors.HexColor("#212b32")        # NHS black
BLUE = colors.HexColor("#005eb8")       # NHS blue
PALE = colors.HexColor("#e8edee")       # NHS pale grey
DARK_BLUE = colors.HexColor("#003087")
RED = colors.HexColor("#d5281b")
GREEN = colors.HexColor("#007f3b")


@dataclass(frozen=True)
class Sizes:
    body: float
    heading: float
    title: float
    small: float       # footers and labels: never below the variant's minimum
    picture: float     # easy-read picture width in points (0: none)


SIZES: dict[str, Sizes] = {
    # Clear print: 12 pt minimum, 14 pt preferred for running text.
    "standard": Sizes(body=14, heading=18, title=24, small=12, picture=0),
    # Large print: nothing below 16 pt.
    "large-print": Sizes(body=18, heading=22, title=28, small=16, picture=0),
    # Easy read: 14 pt and over, a picture beside every section.
    "easy-read": Sizes(body=16, heading=20, title=26, small=14, picture=28 * mm),
}

PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
FOOTER_H = 14 * mm


class Styles:
    def __init__(self, variant: str, language: str = "", compact: bool = False) -> None:
        fonts.register_fonts()
        self.compact = compact
        self.language = language    # the document's: picks Nastaliq for Urdu
        self.sizes = s = SIZES[variant]
        base = dict(fontName=fonts.BASE_REGULAR, textColor=INK, alignment=TA_LEFT,
                    bulletFontName=fonts.BASE_REGULAR, bulletFontSize=s.body)
        self.body = ParagraphStyle("Body", fontSize=s.body, leading=s.body * 1.4,
                                   spaceAfter=s.body * 0.5, **base)
        self.label = ParagraphStyle("Label", parent=self.body, fontName=fonts.BASE_BOLD,
                                    spaceAfter=s.body * 0.15)
        self.bullet = ParagraphStyle("Bullet", parent=self.body, leftIndent=s.body * 1.3,
                                     bulletIndent=s.body * 0.2, spaceAfter=s.body * 0.35)
        self.heading = ParagraphStyle("Heading", parent=self.body, fontName=fonts.BASE_BOLD,
                                      fontSize=s.heading, leading=s.heading * 1.25,
                                      textColor=DARK_BLUE, spaceBefore=s.heading * 0.8,
                                      spaceAfter=s.heading * 0.4, keepWithNext=1,
                                      bulletFontSize=s.heading)
        self.subheading = ParagraphStyle("Subheading", parent=self.heading, fontSize=s.body * 1.15,
                                         leading=s.body * 1.5, textColor=INK,
                                         spaceBefore=s.body * 0.5, spaceAfter=s.body * 0.25)
        self.title = ParagraphStyle("Title", parent=self.heading, fontSize=s.title,
                                    leading=s.title * 1.2, textColor=BLUE, spaceBefore=0,
                                    spaceAfter=s.title * 0.5)
        self.footer = ParagraphStyle("Footer", parent=self.body, fontSize=s.small,
                                     leading=s.small * 1.2, spaceAfter=0, textColor=INK)
        self.note = ParagraphStyle("Note", parent=self.footer, spaceAfter=s.body * 0.6)
        self.footer_right = ParagraphStyle("FooterRight", parent=self.footer, alignment=TA_RIGHT)
        self.callout = ParagraphStyle("Callout", parent=self.body, fontName=fonts.BASE_BOLD)
        # Inside a tinted box (a service, crisis contacts) lines sit closer: the box already
        # groups them, and a shorter box moves to the next page less often.
        self.tight = ParagraphStyle("Tight", parent=self.body, spaceAfter=s.body * 0.2)
        self.tight_callout = ParagraphStyle("TightCallout", parent=self.tight,
                                            fontName=fonts.BASE_BOLD)
        self.box_title = ParagraphStyle("BoxTitle", parent=self.subheading, spaceBefore=0)
        if compact:   # the second try when the last page would hold only a line or two
            for style in vars(self).values():
                if isinstance(style, ParagraphStyle):
                    style.spaceBefore *= 0.6
                    style.spaceAfter *= 0.6


_NO_BREAK = re.compile(
    r"(\+?\d[\d ]{5,}\d)"                                        # phone numbers
    r"|([A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})"                        # UK postcodes
    r"|(\d{1,2}(?:[:.]\d{2})? ?(?:am|pm)?\s?(?:to|-|–)\s?\d{1,2}(?:[:.]\d{2})? ?(?:am|pm)?)"  # times
    r"|(\d{1,2}[:.]\d{2} ?(?:am|pm))",
    re.IGNORECASE)


def keep_together(text: str) -> str:
    """Phone numbers, postcodes and time ranges never break across lines (DESIGN §11)."""
    return _NO_BREAK.sub(lambda m: m.group(0).replace(" ", "\u00a0"), text)


def markup(text: str, bold: bool = False) -> str:
    """Paragraph markup with each script run in the font that has its glyphs."""
    out = []
    for run in fonts.runs(text):
        name = fonts.font_name(run.face, bold)
        chunk = escape(run.text).replace("\n", "<br/>")
        out.append(chunk if name in (fonts.BASE_REGULAR, fonts.BASE_BOLD)
                   else f'<font face="{name}">{chunk}</font>')
    return "".join(out)


def _word_width(word: str, size: float, bold: bool) -> float:
    return sum(float(stringWidth(r.text, fonts.font_name(r.face, bold), size))
               for r in fonts.runs(word))


def para(text: str, style: ParagraphStyle, styles: Styles, width: float,
         bullet: str | None = None) -> Paragraph:
    """One paragraph of any script. `width` is the frame width it will be set in."""
    text = keep_together(text)
    if fonts.has_rtl(text) or fonts.needs_shaping(text):
        return ShapedParagraph(text, style, bullet, language=styles.language)
    out = Paragraph(markup(text, style.fontName == fonts.BASE_BOLD), style, bulletText=bullet)
    out._plain = text     # for the accessible HTML copy
    return out


def text_width(text: str, style: ParagraphStyle) -> float:
    """The width of `text` on one line in `style` (each script run in its own font)."""
    return _word_width(keep_together(text), style.fontSize, style.fontName == fonts.BASE_BOLD)


def labelled(label: str, value: str, style: ParagraphStyle, styles: Styles,
             width: float) -> Paragraph | None:
    """"Label: value" on one paragraph with the label in bold, or None for text that needs
    shaping (the caller then sets the label and the value as separate paragraphs)."""
    if fonts.has_rtl(label) or fonts.has_rtl(value):
        return None
    value = keep_together(value)
    text = (f'<font face="{fonts.BASE_BOLD}">{markup(label + ":", True)}</font> '
            f"{markup(value, style.fontName == fonts.BASE_BOLD)}")
    if fonts.needs_shaping(label + value):
        return None
    out = Paragraph(text, style)
    out._plain = f"{label}: {value}"
    return out


@dataclass(frozen=True)
class PageInfo:
    footer_left: str
    page_label: Callable[[int, int], str]
    issued_on: date
    rtl: bool = False      # a right-to-left document: page number on the left


def _canvas_maker(styles: Styles, info: PageInfo) -> type[Canvas]:
    class NumberedCanvas(Canvas):  # type: ignore[misc]
        """Defers each page until the total is known, then draws "Page x of y"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Otherwise reportlab starts every page in Helvetica, a font resource no text uses.
            kwargs.setdefault("initialFontName", fonts.BASE_REGULAR)
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []
            stamp = info.issued_on.strftime("D:%Y%m%d000000+00'00'")
            self._doc.setDateFormatter(lambda *_: stamp)

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for number, state in enumerate(self._saved, start=1):
                self.__dict__.update(state)
                self._footer(number, total)
                Canvas.showPage(self)
            Canvas.save(self)

        def _footer(self, number: int, total: int) -> None:
            width = PAGE_W - 2 * MARGIN
            self.saveState()
            self.setStrokeColor(BLUE)
            self.setLineWidth(1)
            self.line(MARGIN, FOOTER_H + 6 * mm, PAGE_W - MARGIN, FOOTER_H + 6 * mm)
            # The document's title where reading starts, the page number where it ends.
            label = info.page_label(number, total)
            title_x, page_x = ((MARGIN + width * 0.32, MARGIN) if info.rtl
                               else (MARGIN, MARGIN + width * 0.68))
            left = para(info.footer_left, styles.footer, styles, width * 0.68)
            right = para(label, styles.footer if info.rtl else styles.footer_right, styles,
                         width * 0.32)
            _, h = left.wrapOn(self, width * 0.68, FOOTER_H)
            left.drawOn(self, title_x, FOOTER_H + 4 * mm - h)
            _, h = right.wrapOn(self, width * 0.32, FOOTER_H)
            right.drawOn(self, page_x, FOOTER_H + 4 * mm - h)
            self.restoreState()

    return NumberedCanvas


def build_pdf(story: list[Flowable], styles: Styles, info: PageInfo, *, title: str,
              subject: str, author: str, language: str) -> bytes:
    """Lay out `story` on A4 and return the PDF bytes (same story → same bytes)."""
    return build_measured(story, styles, info, title=title, subject=subject, author=author,
                          language=language)[0]


def build_measured(story: list[Flowable], styles: Styles, info: PageInfo, *, title: str,
                   subject: str, author: str, language: str) -> tuple[bytes, int, float]:
    """As `build_pdf`, with the page count and how full the last page is (0 to 1)."""
    import io

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
        bottomMargin=FOOTER_H + 10 * mm, title=title, subject=subject, author=author,
        creator="Wellbeing Desktop", producer="Wellbeing Desktop", invariant=1, lang=language,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=_canvas_maker(styles, info))
    used = (frame._y1 + frame._height - frame._y) / frame._height
    return buffer.getvalue(), doc.page, max(0.0, min(1.0, used))


FRAME_WIDTH = PAGE_W - 2 * MARGIN
FRAME_HEIGHT = PAGE_H - MARGIN - (FOOTER_H + 10 * mm)
