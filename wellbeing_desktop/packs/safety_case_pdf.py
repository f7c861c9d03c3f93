"""The safety case report's blocks laid out on A4 with the documents' own fonts, colours and
page furniture (packs/layout.py). A report for a safety officer, so smaller than a take-home
plan: 10 pt text, tables that repeat their header row, ratings tinted by the matrix's level."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from wellbeing_desktop.packs import layout
from wellbeing_desktop.packs.fonts import BASE_BOLD
from wellbeing_desktop.packs.layout import BLUE, DARK_BLUE, FRAME_WIDTH, PALE, PageInfo

if TYPE_CHECKING:
    from wellbeing_desktop.packs.safety_case import Block
    from wellbeing_desktop.packs.safety_log import HazardLog

# Rating tints: 1–2 acceptable, 3 undesirable, 4–5 must be controlled further.
TINT = {1: colors.HexColor("#d8f0df"), 2: colors.HexColor("#d8f0df"),
        3: colors.HexColor("#ffeb99"), 4: colors.HexColor("#f6c9c4"),
        5: colors.HexColor("#f6c9c4")}


class _Report:
    def __init__(self) -> None:
        self.styles = st = layout.Styles("standard")
        self.body = ParagraphStyle("SafetyBody", parent=st.body, fontSize=10, leading=13.5,
                                   spaceAfter=5, bulletFontSize=10)
        self.cell = ParagraphStyle("SafetyCell", parent=self.body, fontSize=9, leading=11.5,
                                   spaceAfter=0)
        self.cell_bold = ParagraphStyle("SafetyCellBold", parent=self.cell, fontName=BASE_BOLD)
        self.bullet = ParagraphStyle("SafetyBullet", parent=self.body, leftIndent=12,
                                     bulletIndent=2, spaceAfter=3)
        self.test = ParagraphStyle("SafetyTest", parent=self.cell, leftIndent=12,
                                   bulletIndent=2, spaceAfter=2, textColor=DARK_BLUE)
        self.h1 = ParagraphStyle("SafetyH1", parent=st.title, fontSize=20, leading=24)
        self.h2 = ParagraphStyle("SafetyH2", parent=st.heading, fontSize=14, leading=18,
                                 spaceBefore=12, spaceAfter=6)
        self.h3 = ParagraphStyle("SafetyH3", parent=st.heading, fontSize=12.5, leading=16,
                                 spaceBefore=10, spaceAfter=5)
        self.h4 = ParagraphStyle("SafetyH4", parent=st.subheading, fontSize=10.5, leading=13,
                                 spaceBefore=5, spaceAfter=2)
        # The page furniture of every document, at report size.
        st.footer = ParagraphStyle("SafetyFooter", parent=st.footer, fontSize=8.5, leading=10)
        st.footer_right = ParagraphStyle("SafetyFooterRight", parent=st.footer_right,
                                         fontSize=8.5, leading=10)

    def p(self, text: str, style: ParagraphStyle, width: float = FRAME_WIDTH,
          bullet: str | None = None) -> Flowable:
        return layout.para(text.replace("`", ""), style, self.styles, width, bullet=bullet)

    def table(self, block: Block) -> Flowable:
        widths = [FRAME_WIDTH * w for w in block.widths]
        rows = [[self.p(h, self.cell_bold, w - 8) for h, w in zip(block.header, widths,
                                                                   strict=True)]]
        style: list[tuple[object, ...]] = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), PALE),
            ("LINEBELOW", (0, 0), (-1, 0), 1, BLUE),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#aeb7bd")),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        for r, row in enumerate(block.rows, start=1):
            cells = []
            for c, (value, w) in enumerate(zip(row, widths, strict=True)):
                cells.append(self.p(value, self.cell, w - 8))
                tint = _rating_of(value)
                if tint:
                    style.append(("BACKGROUND", (c, r), (c, r), TINT[tint]))
            rows.append(cells)
        table = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT",
                      style=TableStyle(style))
        table.spaceAfter = 8
        return table

    def fields(self, block: Block) -> Flowable:
        widths = [FRAME_WIDTH * w for w in block.widths]
        rows = [[self.p(k, self.cell_bold, widths[0] - 8), self.p(v, self.cell, widths[1] - 8)]
                for k, v in block.rows]
        table = Table(rows, colWidths=widths, hAlign="LEFT", style=TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (0, -1), PALE),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#aeb7bd")),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]))
        table.spaceAfter = 4
        return table

    def story(self, blocks: list[Block]) -> list[Flowable]:
        out: list[Flowable] = []
        pending: list[Flowable] = []   # a control heading travels with its text and tests
        for b in blocks:
            if b.kind != "h4" and pending and b.kind not in ("p", "tests"):
                out.append(KeepTogether(pending))
                pending = []
            if b.kind == "h1":
                out.append(self.p(b.text, self.h1))
            elif b.kind == "h2":
                out.append(self.p(b.text, self.h2))
            elif b.kind == "h3":
                out.append(self.p(b.text, self.h3))
            elif b.kind == "h4":
                if pending:
                    out.append(KeepTogether(pending))
                pending = [self.p(b.text, self.h4)]
            elif b.kind == "p":
                (pending or out).append(self.p(b.text, self.body))
            elif b.kind == "ul":
                out += [self.p(item, self.bullet, bullet="•") for item in b.items]
                out.append(Spacer(1, 3))
            elif b.kind == "tests":
                target = pending if pending else out
                for node in b.items:
                    path, _, name = node.partition("::")
                    target.append(self.p(f"{name}  ({path})", self.test, bullet="–"))
            elif b.kind == "table":
                out.append(self.table(b))
            elif b.kind == "fields":
                out.append(self.fields(b))
        if pending:
            out.append(KeepTogether(pending))
        return out


def _rating_of(cell: str) -> int:
    """The rating of a matrix cell ("3") or an assessment ("Major / low / 3"); else 0."""
    tail = cell.rpartition(" / ")[2]
    return int(tail) if tail in ("1", "2", "3", "4", "5") else 0


def render(log: HazardLog, blocks: list[Block]) -> bytes:
    report = _Report()
    info = PageInfo(footer_left=f"Clinical safety case, {log.product} {log.product_version}, "
                                f"{log.label}",
                    page_label=lambda n, total: f"Page {n} of {total}", issued_on=log.issued)
    return layout.build_pdf(report.story(blocks), report.styles, info,
                            title=f"Clinical safety case report: {log.product}",
                            subject="DCB0129 clinical safety case", author=log.product,
                            language="en")

