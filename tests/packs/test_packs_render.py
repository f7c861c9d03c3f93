"""Documents read back with pypdf: content, sizes per variant, page x of y, metadata, bytes."""

from __future__ import annotations

import re
from dataclasses import replace

import packs_samples as samples
import pytest
from packs_readback import read_pdf

from wellbeing_desktop.packs.documents import render
from wellbeing_desktop.packs.snapshot import Goal, NextSteps, ServiceEntry

MINIMUM = {"standard": 12, "large-print": 16, "easy-read": 14}


def drawing_ops(pdf: bytes) -> int:
    import io

    from pypdf import PdfReader

    ops = 0
    for page in PdfReader(io.BytesIO(pdf)).pages:
        data = page.get_contents().get_data()
        ops += data.count(b" re") + data.count(b" c\n") + data.count(b" c ")
    return ops


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


@pytest.mark.parametrize("variant", ["standard", "large-print", "easy-read"])
def test_plan_carries_goals_services_and_next_steps(variant: str) -> None:
    doc = read_pdf(render(samples.plan(variant=variant)))
    text = squash(doc.text)
    assert "Sleep through the night at least four times a week" in text
    assert "Get the council tax arrears on a payment plan" in text
    assert "Call Kingsmere Money Advice by Friday" in text
    for phone in ("01632 960 412", "01632 960 733", "116 123"):
        assert phone in text
    assert "Tuesday 8 December 2026" in text and "2:30 pm" in text
    assert "Kingsmere Community Pantry" in text
    assert "Tuesday 10am to 2pm" in text


@pytest.mark.parametrize("variant", ["standard", "large-print", "easy-read"])
def test_discharge_letter_carries_the_continued_care_plan(variant: str) -> None:
    text = squash(read_pdf(render(samples.discharged(variant=variant))).text)
    assert "Keep going to the Tuesday walking group" in text
    # Easy read writes abbreviations out, typed ones too ("GP" is "doctor").
    gp = "doctor" if variant == "easy-read" else "GP"
    assert f"See your {gp} if your sleep gets worse again" in text
    assert "Tuesday 12 January 2027" in text            # the follow-up call
    if variant == "easy-read":                          # outcomes in words, not numbers
        assert "score went down a lot" in text and "At the start" not in text
    else:
        assert "Much better" in text and "16" in text
    assert "Dear Jo," in text
    assert "Priya Shah" in text


@pytest.mark.safety
def test_referrer_copy_is_addressed_to_the_referrer() -> None:
    text = squash(read_pdf(render(samples.discharged(recipient="referrer"))).text)
    assert "Copy for Dr A. Okafor" in text
    assert "Joanna Kowalczyk was referred" in text
    assert "Keep going to the Tuesday walking group" in text


@pytest.mark.parametrize("variant,body", [("standard", 14), ("large-print", 18),
                                          ("easy-read", 16)])
@pytest.mark.parametrize("kind", ["plan", "leaflet", "discharge"])
@pytest.mark.safety
def test_font_sizes_per_variant(kind: str, variant: str, body: float) -> None:
    snap = samples.discharged(kind=kind, variant=variant)
    doc = read_pdf(render(snap))
    assert doc.sizes, "no text found"
    assert min(doc.sizes) >= MINIMUM[variant]
    assert body in doc.sizes                                 # running text in the preferred size


def test_no_italic_or_non_embedded_fonts() -> None:
    doc = read_pdf(render(samples.plan()))
    assert doc.fonts and not any("Italic" in f or "Oblique" in f for f in doc.fonts)
    assert not any(f in ("/Helvetica", "/Times-Roman") for f in doc.fonts)


@pytest.mark.parametrize("kind", ["plan", "leaflet", "discharge"])
@pytest.mark.safety
def test_every_page_has_title_first_name_and_page_x_of_y(kind: str) -> None:
    doc = read_pdf(render(samples.discharged(kind=kind)))
    total = len(doc.pages)
    for number, page in enumerate(doc.pages, start=1):
        assert f"Page {number} of {total}" in page
        assert "for Jo" in page


def test_metadata_title_language_and_date() -> None:
    doc = read_pdf(render(samples.plan()))
    assert doc.metadata["/Title"] == "Your wellbeing plan"
    assert doc.metadata["/Creator"] == "Wellbeing Desktop"
    assert doc.metadata["/CreationDate"].startswith("D:20261126")
    assert doc.lang == "en"


def test_same_snapshot_gives_byte_identical_pdf() -> None:
    first = render(samples.discharged(variant="easy-read"))
    second = render(samples.discharged(variant="easy-read"))
    assert first == second
    assert render(samples.plan(issued_on=samples.plan().issued_on.replace(day=27))) != render(
        samples.plan())


def many_services(n: int) -> tuple[ServiceEntry, ...]:
    return tuple(replace(samples.ADVICE, name=f"Service number {i}",
                         phone=f"01632 960 {500 + i}") for i in range(n))


def test_forced_multi_page_plan_keeps_each_service_on_one_page() -> None:
    goals = tuple(Goal(f"Goal number {i}: walk to the park and back", ("One step", "Another step"))
                  for i in range(10))
    doc = read_pdf(render(samples.plan(goals=goals, services=many_services(9))))
    assert len(doc.pages) >= 4
    for i in range(9):
        holding = [p for p in doc.pages if f"Service number {i}" in p]
        assert len(holding) == 1, f"service {i} is split or missing"
        page = squash(holding[0])
        assert f"01632 960 {500 + i}" in page
        assert "A first phone call of about 30 minutes" in page   # its last lines too


def test_a_heading_never_ends_a_page() -> None:
    doc = read_pdf(render(samples.plan(goals=tuple(Goal(f"Goal {i}") for i in range(14)),
                                       services=many_services(5))))
    for page in doc.pages:
        lines = [ln for ln in page.splitlines() if ln.strip()]
        body = [ln for ln in lines if not ln.startswith("Page ") and "for Jo" not in ln]
        assert body[-1] not in ("Services for you", "Your goals", "Looking after yourself",
                                "What happens next", "If you need help now")


@pytest.mark.safety
def test_phone_numbers_and_postcodes_do_not_break() -> None:
    long_reason = "word " * 17
    svc = replace(samples.ADVICE, description=long_reason + "call 01632 960 733 or visit KM1 1AB")
    doc = read_pdf(render(samples.plan(services=(svc,))))
    lines = [squash(line) for line in doc.text.splitlines()]
    assert any("01632 960 733" in line for line in lines if "call" in line)
    assert not any(line.rstrip().endswith(("01632", "01632 960")) for line in lines)


def test_easy_read_stays_within_24_pages_and_has_pictures() -> None:
    pdf = render(samples.discharged(variant="easy-read", kind="plan"))
    doc = read_pdf(pdf)
    assert len(doc.pages) <= 24
    standard = render(samples.discharged(kind="plan"))
    # Pictures are vector shapes beside each section (not images): many more paths.
    assert drawing_ops(pdf) > drawing_ops(standard) + 7 * 3


def test_nothing_recorded_is_said_plainly() -> None:
    text = squash(read_pdf(render(samples.plan(goals=(), services=(), topics=(),
                                               next_steps=NextSteps()))).text)
    assert "We have not set any goals together yet." in text
    assert "We have not chosen any other services together yet." in text
    assert "We will contact you to arrange your next appointment." in text


@pytest.mark.parametrize("variant", ["standard", "large-print", "easy-read"])
def test_measures_chart_is_drawn_at_the_variant_minimum_size(variant: str) -> None:
    from datetime import date

    from wellbeing_desktop.domain.measures.series import MeasureSeries

    phq = MeasureSeries("PHQ-9", "PHQ-9", (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)),
                        (16.0, 12.0, 8.0), 10.0, 0.0, 27.0)
    with_chart = read_pdf(render(samples.plan(variant=variant, chart_series=(phq,),
                                              include_chart=True)))
    text = squash(with_chart.text)
    if variant == "easy-read":   # no chart: the change in words, no abbreviations
        assert "How my scores changed" in text
        assert "Your low mood score went down a lot" in text and "PHQ" not in text
        return
    assert "How your scores changed" in text and "Lower scores mean you felt" in text
    # Titled in plain words, and the dashed line explained rather than labelled "cut-off".
    assert "Low mood (PHQ-9, out of 27)" in text and "cut-off" not in text
    assert "red dashed line" in text or "red line" in text
    assert min(with_chart.sizes) >= MINIMUM[variant]
    without = squash(read_pdf(render(samples.plan(variant=variant, chart_series=(phq,),
                                                  include_chart=False))).text)
    assert "How your scores changed" not in without
