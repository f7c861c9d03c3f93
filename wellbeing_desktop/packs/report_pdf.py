"""A report of figure tables as a PDF: a title, then each table with a bar chart where one
helps, in the packs' look (Noto Sans, NHS blue, plain shapes, no charting dependency)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable

from wellbeing_desktop.domain.report_tables import SUPPRESSED, Table, cell_text
from wellbeing_desktop.packs import fonts
from wellbeing_desktop.packs.charts import GRID, MUTED, NHS_BLUE, TEXT

PAGE = landscape(A4)
MAX_BARS = 12


def _styles() -> dict[str, ParagraphStyle]:
    fonts.register_fonts()
    base = ParagraphStyle("base", fontName=fonts.BASE_REGULAR, fontSize=9, leading=12,
                          textColor=TEXT)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=fonts.BASE_BOLD, fontSize=20,
                                leading=24, textColor=NHS_BLUE, spaceAfter=4),
        "h2": ParagraphStyle("h2", parent=base, fontName=fonts.BASE_BOLD, fontSize=13,
                             leading=16, textColor=NHS_BLUE, spaceBefore=10, spaceAfter=4),
        "body": base,
        "muted": ParagraphStyle("muted", parent=base, textColor=MUTED, fontSize=8, leading=10),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
        "head": ParagraphStyle("head", parent=base, fontName=fonts.BASE_BOLD, fontSize=8,
                               leading=10),
    }


def bar_chart(labels: Sequence[str], values: Sequence[int | str], width: float) -> Drawing:
    """Horizontal bars, largest first; suppressed values are drawn as no bar, marked *."""
    rows = list(zip(labels, values, strict=True))[:MAX_BARS]
    bar_h, gap, label_w = 11.0, 4.0, 190.0
    height = len(rows) * (bar_h + gap) + gap
    drawing = Drawing(width, height)
    top = max([v for _, v in rows if isinstance(v, int)] or [1]) or 1
    span = width - label_w - 50
    for i, (label, value) in enumerate(rows):
        y = height - (i + 1) * (bar_h + gap)
        drawing.add(String(label_w - 6, y + 2, label[:40], fontName=fonts.BASE_REGULAR,
                           fontSize=7.5, fillColor=TEXT, textAnchor="end"))
        if isinstance(value, int) and value > 0:
            drawing.add(Rect(label_w, y, span * value / top, bar_h, fillColor=NHS_BLUE,
                             strokeColor=None))
        shown = f"{value:,}" if isinstance(value, int) else str(value)
        x = label_w + (span * value / top if isinstance(value, int) else 0) + 4
        drawing.add(String(x, y + 2, shown, fontName=fonts.BASE_REGULAR, fontSize=7.5,
                           fillColor=MUTED))
    drawing.add(Line(label_w, 0, label_w, height, strokeColor=GRID))
    return drawing


def _table(table: Table, styles: dict[str, ParagraphStyle], width: float) -> PdfTable:
    head = [Paragraph(escape(c), styles["head"]) for c in table.columns]
    body = [[Paragraph(escape(cell_text(c)), styles["cell"]) for c in row] for row in table.rows]
    first = min(70 * mm, width * 0.3)
    rest = (width - first) / max(1, len(table.columns) - 1)
    pdf = PdfTable([head, *body], colWidths=[first] + [rest] * (len(table.columns) - 1),
                   repeatRows=1)
    pdf.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, NHS_BLUE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F4F6F7")]),
    ]))
    return pdf


def render_report(title: str, subtitle: str, tables: Sequence[Table], *,
                  suppressed: bool) -> bytes:
    styles = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=PAGE, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=14 * mm, bottomMargin=14 * mm, title=title,
                            author="Wellbeing Desktop")
    width = PAGE[0] - 30 * mm
    story: list[object] = [
        Paragraph(escape(title), styles["title"]),
        Paragraph(escape(subtitle), styles["body"]),
        Paragraph(escape(f"Made {datetime.now():%d %B %Y, %H:%M}. "
                         + (f"Numbers from 1 to 4 are shown as {SUPPRESSED} (suppressed), as in "
                            "NHS statistics, and so are rates made from them."
                            if suppressed else "Not suppressed: for the central team only.")),
                  styles["muted"]),
        Spacer(1, 4 * mm),
    ]
    for table in tables:
        block: list[object] = [Paragraph(escape(table.title), styles["h2"])]
        if not table.rows:
            block.append(Paragraph("Nothing recorded in this period.", styles["body"]))
            story.append(KeepTogether(block))
            continue
        if table.chart_column is not None and len(table.rows) > 1:
            labels = [" · ".join(cell_text(c) for c in row[:table.chart_column])
                      for row in table.rows]
            values = [row[table.chart_column] for row in table.rows]
            block.append(bar_chart(labels, [v if isinstance(v, int) else cell_text(v)
                                            for v in values], width))
            block.append(Spacer(1, 2 * mm))
        story.append(KeepTogether(block))
        story.append(_table(table, styles, width))
        if table.note:
            story.append(Paragraph(escape(table.note), styles["muted"]))
    doc.build(story)
    return buffer.getvalue()
