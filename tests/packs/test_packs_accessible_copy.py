"""The accessible HTML copy saved beside each PDF, read back as a screen reader would: its
language, headings in order, lists, tables with header cells, pictures and charts with
alternative text, and the same words as the PDF in the same reading order."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import packs_samples as samples
import pytest
from packs_readback import actual_texts, read_pdf

from wellbeing_desktop.domain.measures.series import MeasureSeries
from wellbeing_desktop.packs.documents import render, render_html
from wellbeing_desktop.packs.snapshot import VARIANTS

KINDS = ("plan", "leaflet", "discharge")   # the letters have their own tests


PHQ = MeasureSeries("PHQ-9", "PHQ-9", (date(2026, 9, 1), date(2026, 11, 1)), (16.0, 8.0),
                    10.0, 0.0, 27.0)


class Structure(HTMLParser):
    """What assistive technology gets: the element tree's roles, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.root: dict[str, str] = {}
        self.headings: list[tuple[str, str]] = []
        self.blocks: list[str] = []       # the text of each heading, paragraph and list item
        self.images: list[str] = []       # alternative texts
        self.list_items = 0
        self.row_headers = 0
        self.figures = 0
        self._open: list[str] = []
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.root = a
        if tag == "br":
            self._text.append(" ")
        if tag == "img":
            self.images.append(a.get("alt", ""))
        if tag == "figure":
            self.figures += 1
        if tag == "th" and a.get("scope") == "row":
            self.row_headers += 1
        if tag in ("h1", "h2", "h3", "p", "li", "th", "td", "figcaption"):
            self._open.append(tag)
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[-1]:
            self._open.pop()
            text = " ".join("".join(self._text).split())
            if tag in ("h1", "h2", "h3"):
                self.headings.append((tag, text))
            if tag == "li":
                self.list_items += 1
            if text:
                self.blocks.append(text)


def read(html: str) -> Structure:
    parser = Structure()
    parser.feed(html)
    return parser


def squash(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _snapshot(kind: str, variant: str) -> object:
    base = samples.discharged() if kind == "discharge" else samples.plan(kind=kind)
    return replace(base, variant=variant, chart_series=(PHQ,), include_chart=True)


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("kind", KINDS)
def test_structure_reads_back_in_the_pdf_reading_order(kind: str, variant: str) -> None:
    snap = _snapshot(kind, variant)
    html = render_html(snap)
    doc = read(html)
    assert doc.root.get("lang") == "en" and doc.root.get("dir") == "ltr"
    # One title, then section headings; never a heading level skipped.
    levels = [int(tag[1]) for tag, _ in doc.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert doc.row_headers >= 3                         # the crisis numbers: 111, 116 123, 999
    assert all(alt.strip() for alt in doc.images)       # no picture without words
    if variant == "easy-read":
        assert len(doc.images) >= 10
    else:
        assert doc.list_items >= 2
    # Every block's words are in the PDF, in the same order.
    pdf_text = squash(read_pdf(render(snap)).text)
    position = 0
    for block in doc.blocks:
        words = squash(block)
        if words.startswith("Chart:") or words in ("Date", "Score"):
            continue                                    # a chart's description (PDF: drawn)
        if re.fullmatch(r"[\d.]+|\w+ \d+ \w+ \d{4}", words):
            continue                                    # a chart's table cells
        found = pdf_text.find(words[:40], position)
        assert found >= 0, f"{kind}/{variant}: {words[:40]!r} not in the PDF after {position}"
        position = found


def test_a_chart_becomes_a_figure_with_its_numbers() -> None:
    doc = read(render_html(_snapshot("plan", "standard")))
    assert doc.figures == 1
    assert any("16 on Tuesday 1 September 2026" in b for b in doc.blocks)


def test_right_to_left_document_says_so() -> None:
    html = render_html(replace(samples.plan(), language="ar"))
    doc = read(html)
    assert doc.root == {"lang": "ar", "dir": "rtl"}
    assert doc.headings[0] == ("h1", "خطتك للعافية")
    pdf = render(replace(samples.plan(), language="ar"))
    assert "خطتك للعافية" in actual_texts(pdf, 0)


def test_the_cli_saves_the_copy_beside_the_pdf(tmp_path: Path) -> None:
    from wellbeing_desktop.cli import main
    from wellbeing_desktop.services.app import AppContext
    from wellbeing_desktop.services.clients import list_clients
    from wellbeing_desktop.services.demo import load_demo

    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "init", "--plain"]) == 0
    ctx = AppContext.open(data)
    try:
        load_demo(ctx, clients=2, services=2, seed=4)
        cid = list_clients(ctx, limit=1)[0].id
    finally:
        ctx.close()
    out = tmp_path / "plan.pdf"
    assert main(["--data-dir", str(data), "pack", str(cid), "--out", str(out)]) == 0
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert read(html).headings[0][0] == "h1"
