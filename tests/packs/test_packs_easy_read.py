"""Easy read that is Easy Read (a picture beside each idea, words not charts, no clinical
abbreviations, sections kept whole) and large print whose last page and legends are right."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import packs_samples as samples
import pytest
from packs_readback import read_pdf
from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Table

from wellbeing_desktop.domain.measures.series import MeasureSeries
from wellbeing_desktop.packs import easy_read, pictures
from wellbeing_desktop.packs.content import Content
from wellbeing_desktop.packs.documents import RENDERERS, render
from wellbeing_desktop.packs.renderer import NEAR_EMPTY
from wellbeing_desktop.packs.snapshot import ServiceEntry
from wellbeing_desktop.resources import resource

KINDS = ("plan", "leaflet", "discharge")   # the letters have their own tests

PHQ = MeasureSeries("PHQ-9", "PHQ-9", (date(2026, 9, 1), date(2026, 11, 1)), (16.0, 8.0),
                    10.0, 0.0, 27.0)
GAD = MeasureSeries("GAD-7", "GAD-7", (date(2026, 9, 1), date(2026, 11, 1)), (9.0, 7.0),
                    8.0, 0.0, 21.0)
WSAS = MeasureSeries("WSAS", "WSAS", (date(2026, 9, 1), date(2026, 11, 1)), (20.0, 26.0),
                     None, 0.0, 40.0)
PIP_SERVICE = ServiceEntry(
    name="Kingsmere Welfare Rights", description="Help to claim PIP and ESA, and to appeal.",
    reason="Your GP said a PIP claim could help.", phone="01632 960 888")


def _snapshot(kind: str, variant: str = "easy-read") -> object:
    base = samples.discharged() if kind == "discharge" else samples.plan(kind=kind)
    return replace(base, variant=variant, services=(*base.services, PIP_SERVICE),
                   chart_series=(PHQ, GAD), include_chart=True)


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def test_at_least_sixty_openly_licensed_pictures_ship_and_draw() -> None:
    assert len(pictures.PICTURES) >= 60
    folder = resource("pictures")
    assert "CC BY-SA" in (folder / "README.md").read_text(encoding="utf-8")
    assert (folder / "LICENSE-OpenMoji-CC-BY-SA-4.0.txt").is_file()
    for name in pictures.PICTURES:
        drawing = pictures.picture(name, 40)
        assert isinstance(drawing, Drawing) and drawing.contents, name
        assert pictures.meaning(name)
    # Topics, needs and next steps all have one.
    for code, name in easy_read.TOPIC_PICTURES.items():
        assert name in pictures.PICTURES, code
    for name in ("phone", "calendar", "come_back", "help", "goal", "step", "address", "clock"):
        assert name in pictures.PICTURES


@pytest.mark.parametrize("kind", KINDS)
def test_a_picture_beside_each_idea(kind: str) -> None:
    snap = _snapshot(kind)
    renderer = RENDERERS[kind](snap, Content("en", "easy-read"))
    story = easy_read.group_ideas(renderer, renderer.story())
    tables = [f for block in story for f in getattr(block, "_content", [block])
              if isinstance(f, Table)]
    ideas = 0
    for table in tables:
        for row in table._cellvalues:
            if len(row) != 2 or not row[1] or row[1] == "":
                continue
            # reportlab keeps each cell's flowables in a tuple.
            cell = list(row[1]) if isinstance(row[1], list | tuple) else [row[1]]
            pic = row[0][0] if isinstance(row[0], list | tuple) and row[0] else row[0]
            styles = {getattr(getattr(f, "style", None), "name", "") for f in cell}
            if styles & {"Heading", "Label"} and not isinstance(pic, Drawing):
                continue        # a section's heading, "What I will do": not ideas
            ideas += 1
            assert isinstance(pic, Drawing), f"no picture beside {cell!r}"
    assert ideas >= 8


@pytest.mark.parametrize("kind", KINDS)
def test_no_clinical_abbreviations_and_nothing_below_14_point(kind: str) -> None:
    back = read_pdf(render(_snapshot(kind)))
    text = squash(back.text)
    for abbreviation in easy_read.ABBREVIATIONS:
        assert not re.search(rf"(?<![\w-]){re.escape(abbreviation)}(?![\w-])", text), (
            abbreviation, re.findall(rf".{{30}}{re.escape(abbreviation)}.{{20}}", text))
    assert min(back.sizes) >= 14
    assert "OpenMoji" in text and "CC BY-SA 4.0" in text      # the licence's attribution


def test_scores_in_plain_words_not_charts() -> None:
    snap = replace(_snapshot("plan"), chart_series=(PHQ, GAD, WSAS),
                   measures=())
    text = squash(read_pdf(render(snap)).text)
    assert "Your low mood score went down a lot." in text          # 16 → 8: reliable (≥ 6)
    assert "Your worry score went down a little." in text          # 9 → 7: under 4
    assert "Your daily life problems score went up." in text       # no published index
    assert "dashed" not in text and "red line" not in text


def test_a_short_section_is_never_split_across_pages() -> None:
    pdf = render(_snapshot("plan"))
    pages = [squash(p) for p in read_pdf(pdf).pages]
    for heading, last in (("What happens next", "Call us on 01632 960 100."),
                          ("Who helps me", "Email: priya@kingsmere-wellbeing.example"),
                          ("Help right now", "999")):
        on = [i for i, p in enumerate(pages) if heading in p]
        assert on and last in pages[on[0]], (heading, on)


@pytest.mark.parametrize("kind", KINDS)
def test_large_print_last_page_is_not_near_empty(kind: str) -> None:
    import pypdfium2 as pdfium

    from wellbeing_desktop.packs.layout import FOOTER_H, FRAME_HEIGHT, PAGE_H

    pdf = render(_snapshot(kind, "large-print"))
    doc = pdfium.PdfDocument(pdf)
    if len(doc) == 1:
        return
    last = doc[len(doc) - 1]
    textpage = last.get_textpage()
    lowest = PAGE_H
    import ctypes

    import pypdfium2.raw as raw

    box = [ctypes.c_double() for _ in range(4)]
    for i in range(raw.FPDFText_CountChars(textpage)):
        raw.FPDFText_GetCharBox(textpage, i, *(ctypes.byref(b) for b in box))
        if box[2].value > FOOTER_H + 12 * 2.835:          # above the footer
            lowest = min(lowest, box[2].value)
    used = (PAGE_H - 20 * 2.835 - lowest) / FRAME_HEIGHT
    assert used >= NEAR_EMPTY * 0.9, f"{kind}: the last page is {used:.0%} full"


def test_the_legend_names_only_what_is_drawn() -> None:
    with_line = squash(read_pdf(render(samples.plan(
        variant="large-print", chart_series=(PHQ,), include_chart=True))).text)
    assert "red dashed line" in with_line
    without_line = squash(read_pdf(render(samples.plan(
        variant="large-print", chart_series=(WSAS,), include_chart=True))).text)
    assert "dashed" not in without_line and "How your scores changed" in without_line
