"""Build a 4-page take-home plan: our renderer against bare reportlab setting the same text.
Both must come out at 4 pages (checked; the run stops otherwise).

Floor: a plain SimpleDocTemplate with the same bundled TTF fonts, the same paragraphs and
sizes, boxes as one-cell tables, and no script runs, keep-together, page x of y or pictures.
Target (DESIGN §9): ≤ 2 × the floor. Both are measured in this run, warm (fonts registered).
"""

from __future__ import annotations

import io
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests" / "packs"))

from _common import median, report  # noqa: E402


def snapshot() -> object:
    import packs_samples as samples

    from wellbeing_desktop.packs.snapshot import Goal

    goals = tuple(Goal(f"Goal {i}: walk to the park and back three times a week",
                       ("Put shoes by the door", "Ask a neighbour to come along"), 5)
                  for i in range(2))
    services = tuple(replace(samples.ADVICE, name=f"Kingsmere service {i}",
                             phone=f"01632 960 {600 + i}") for i in range(4))
    return samples.plan(goals=goals, services=services)


def bare_reportlab(snap: object) -> bytes:
    """The same words set by plain reportlab: the floor."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from wellbeing_desktop.packs import fonts
    from wellbeing_desktop.packs.content import Content
    from wellbeing_desktop.packs.documents import PlanRenderer

    fonts.register_fonts()
    body = ParagraphStyle("b", fontName=fonts.BASE_REGULAR, fontSize=14, leading=19.6,
                          spaceAfter=7)
    bold = ParagraphStyle("l", parent=body, fontName=fonts.BASE_BOLD)
    head = ParagraphStyle("h", parent=bold, fontSize=18, leading=22.5, spaceBefore=14)
    # Reuse our renderer only to list the same strings in the same order.
    texts = _strings(PlanRenderer(snap, Content("en", "standard")))  # type: ignore[arg-type]
    story = []
    for kind, text in texts:
        if isinstance(text, list):  # one box: its paragraphs in one table cell
            story.append(Table([[[Paragraph(t, body) for t in text]]], style=TableStyle(
                [("BACKGROUND", (0, 0), (-1, -1), "#e8edee")])))
        else:
            story.append(Paragraph(text, {"h": head, "l": bold}.get(kind, body)))
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                      topMargin=20 * mm, bottomMargin=24 * mm, invariant=1).build(story)
    return out.getvalue()


def _strings(renderer: object) -> list[tuple[str, object]]:
    """(kind, text) for every paragraph our renderer sets, from its flowables; a tinted box
    (a service, the crisis contacts, with the table of numbers inside it) becomes one box."""
    from reportlab.platypus import KeepTogether, Paragraph, Table

    out: list[tuple[str, object]] = []
    box: list[str] | None = None

    def walk(item: object) -> None:
        nonlocal box
        if isinstance(item, Paragraph):
            if box is not None:
                box.append(item.text)
            else:
                out.append(("h" if item.style.fontSize >= 18 else "p", item.text))
        elif isinstance(item, KeepTogether):
            for sub in item._content:
                walk(sub)
        elif isinstance(item, Table):
            outer = box is None
            if outer:
                box = []
            for row in item._cellvalues:
                for cell in row:
                    for sub in cell if isinstance(cell, list | tuple) else [cell]:
                        walk(sub)
            if outer:
                out.append(("box", box))
                box = None
        elif isinstance(item, list):
            for sub in item:
                walk(sub)

    for flowable in renderer.story():  # type: ignore[attr-defined]
        walk(flowable)
    return out


def ours(snap: object) -> bytes:
    from wellbeing_desktop.packs.documents import render

    return render(snap)  # type: ignore[arg-type]


def timed_pair(snap: object, runs: int) -> tuple[float, float, bytes, bytes]:
    """Alternate floor and ours run by run, so load from other work on the machine falls on
    both alike; medians of each."""
    floor_times, our_times = [], []
    floor_pdf = pdf = b""
    for _ in range(runs):
        start = time.perf_counter()
        floor_pdf = bare_reportlab(snap)
        floor_times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        pdf = ours(snap)
        our_times.append((time.perf_counter() - start) * 1000)
    return median(floor_times), median(our_times), floor_pdf, pdf


def main() -> None:
    from pypdf import PdfReader

    snap = snapshot()
    ours(snap)
    bare_reportlab(snap)  # warm both: fonts parsed, modules imported
    runs = 21
    floor, measured, floor_pdf, pdf = timed_pair(snap, runs)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    floor_pages = len(PdfReader(io.BytesIO(floor_pdf)).pages)
    if pages != 4 or floor_pages != 4:
        # The target is about a 4-page plan: a different count compares different work.
        raise SystemExit(f"the measured plan should be 4 pages on both sides: ours {pages}, "
                         f"floor {floor_pages} (adjust snapshot())")
    report("Printed take-home plan (median of 21, alternating, warm)", [
        (f"plan, {pages} pages (floor {floor_pages} pages)", measured, floor, "≤ 2 × floor"),
    ])


if __name__ == "__main__":
    main()
