"""Names, goals and services typed in any script print correctly, or are refused before printing."""

from __future__ import annotations

import re

import packs_images as images
import packs_samples as samples
import pytest
from packs_readback import read_pdf

from wellbeing_desktop.packs import fonts
from wellbeing_desktop.packs.documents import render
from wellbeing_desktop.packs.snapshot import Goal
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.services.packs import check_printable, render_snapshot

SNAPSHOTS = images.script_snapshots()


@pytest.mark.parametrize("script", sorted(SNAPSHOTS))
@pytest.mark.safety
def test_page_matches_the_approved_image(script: str) -> None:
    got = images.page_image(render(SNAPSHOTS[script]))
    approved = images.Image.open(images.APPROVED / f"{script}.png").convert("L")
    assert images.difference(got, approved) < 1.0, (
        f"{script}: page differs from tests/packs/approved/{script}.png")


def test_the_image_comparison_can_fail() -> None:
    """Guard: a visibly different rendering (reversed Urdu words) is not within tolerance."""
    text = samples.MULTILINGUAL_NAMES["urdu"]
    wrong = samples.plan(person_name="ہوں", first_name="ہوں", topics=(), services=(),
                         crisis_contacts=(), goals=(Goal(" ".join(reversed(text.split())),
                                                         (text, f"{text} 01632 960 555")),))
    approved = images.Image.open(images.APPROVED / "urdu.png").convert("L")
    assert images.difference(images.page_image(render(wrong)), approved) > 1.0


@pytest.mark.parametrize("script", ["polish", "romanian", "turkish", "russian", "greek", "chinese"])
def test_text_is_real_text_not_images(script: str) -> None:
    text = read_pdf(render(SNAPSHOTS[script])).text
    assert samples.MULTILINGUAL_NAMES[script].split(",")[0].split("，")[0] in text


@pytest.mark.safety
def test_each_run_gets_a_font_that_has_its_glyphs() -> None:
    runs = fonts.runs("Rahim — আমার নাম রহিম (KM1 1AB)")
    assert [r.face for r in runs] == ["latin", "bengali", "latin"]
    # An em dash or Latin inside Arabic text is set in the Latin font, not as empty boxes.
    arabic = fonts.runs("مرحبا — Fatima 07700 900123")
    assert arabic[0].face == "arabic" and all(r.face == "latin" for r in arabic[1:])
    assert "—" in "".join(r.text for r in arabic[1:])


def test_full_stop_after_a_right_to_left_name_stays_with_the_sentence() -> None:
    runs = fonts.runs("Hello فاطمة. This")
    assert [r.text for r in runs] == ["Hello ", "فاطمة", ". This"]


@pytest.mark.safety
def test_wrapped_right_to_left_paragraph_keeps_reading_order() -> None:
    words = [f"کلمہ{n}" for n in "۱۲۳۴۵۶۷۸۹"] * 8
    snap = samples.plan(goals=(Goal(" ".join(words)),), services=(), topics=())
    pdf = render(snap)
    assert len(read_pdf(pdf).pages) >= 1   # laid out without reportlab re-wrapping errors


@pytest.mark.safety
def test_a_script_without_a_font_is_refused_before_printing() -> None:
    snap = samples.plan(goals=(Goal("สวัสดี ฉันชื่อสมชาย"),))
    with pytest.raises(ValidationError) as info:
        render_snapshot(snap)
    message = str(info.value)
    assert "Thai" in message and "cannot be printed" in message


def test_printable_text_passes_the_check() -> None:
    for snap in SNAPSHOTS.values():
        check_printable(snap)   # raises if any script is missing


def test_unrenderable_lists_each_script_once() -> None:
    problems = fonts.unrenderable(["ภาษาไทย", "ሰላም", "ไทย", "नमस्ते", "ok"])
    assert [p.script for p in problems] == ["Ethiopic", "Thai"]
    assert re.search("ไ", problems[1].characters)
