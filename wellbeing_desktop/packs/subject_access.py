"""A readable PDF of everything held about one person (subject access request).

The content arrives as plain data (sections of records of label/value pairs); this module
only lays it out. Built in memory; written to disk only where the user saves it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class SarSection:
    title: str
    records: list[list[tuple[str, str]]]


def render(person: str, produced: str, sections: list[SarSection]) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

    from wellbeing_desktop.packs.fonts import BASE_BOLD, BASE_REGULAR, register_fonts

    register_fonts()
    body = ParagraphStyle("sar-body", fontName=BASE_REGULAR, fontSize=10, leading=13)
    label = ParagraphStyle("sar-label", parent=body, fontName=BASE_BOLD)
    h1 = ParagraphStyle("sar-h1", parent=body, fontName=BASE_BOLD, fontSize=18, leading=22,
                        spaceAfter=6)
    h2 = ParagraphStyle("sar-h2", parent=body, fontName=BASE_BOLD, fontSize=13, leading=16,
                        spaceBefore=10, spaceAfter=4, keepWithNext=1)
    title = f"Information we hold about {person}"
    story: list[object] = [
        Paragraph(escape(title), h1),
        Paragraph(escape(f"Produced {produced}. This is everything this computer holds about "
                         "you, including a record of who looked at or changed it."), body),
        Spacer(1, 4 * mm),
    ]
    for section in sections:
        story.append(Paragraph(escape(f"{section.title} ({len(section.records)})"), h2))
        if not section.records:
            story.append(Paragraph("None.", body))
        for record in section.records:
            rows = [[Paragraph(escape(k), label), Paragraph(escape(v) or "—", body)]
                    for k, v in record]
            table = Table(rows, colWidths=[50 * mm, 120 * mm])
            table.setStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                            ("VALIGN", (0, 0), (-1, -1), "TOP")])
            story.append(KeepTogether([table, Spacer(1, 3 * mm)]))

    def footer(canvas: object, doc: object) -> None:
        canvas.saveState()  # type: ignore[attr-defined]
        canvas.setFont(BASE_REGULAR, 8)  # type: ignore[attr-defined]
        canvas.drawString(20 * mm, 10 * mm,  # type: ignore[attr-defined]
                          f"{title}  ·  Page {canvas.getPageNumber()}")  # type: ignore[attr-defined]
        canvas.restoreState()  # type: ignore[attr-defined]

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm, title=title)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out.getvalue()
