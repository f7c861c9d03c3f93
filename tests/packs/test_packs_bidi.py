"""Right-to-left and mixed-direction text on paper: glyph order read back from the page's
content stream, logical text read back from each line's ActualText (DESIGN §10)."""

from __future__ import annotations

import packs_samples as samples
import pytest
from packs_readback import actual_texts, glyph_lines, read_pdf

from wellbeing_desktop.packs.documents import render
from wellbeing_desktop.packs.shaping import bidi_levels, visual_order
from wellbeing_desktop.packs.snapshot import Goal

# (logical text as typed, the glyphs left to right on paper). Written out by hand: each
# right-to-left word's letters read from the left, numbers in their own order.
SAMPLES = {
    "arabic digits": ("امش ٢٠ دقيقة كل يوم.", ".موي لك ةقيقد ٢٠ شما"),
    "arabic phone": ("اتصل بـ 01632 960 555 يوم الجمعة.", ".ةعمجلا موي 01632 960 555 ـب لصتا"),
    "urdu extended digits": ("روزانہ ۲۰ منٹ چلیں۔", "۔ںیلچ ٹنم ۲۰ ہنازور"),
    "persian extended digits": ("هر روز ۲۰ دقیقه بروید.", ".دیورب هقیقد ۲۰ زور ره"),
    "hebrew": ("ללכת 20 דקות בכל יום.", ".םוי לכב תוקד 20 תכלל"),
    "hebrew with english": ("שמי דוד (Dave).", ".(Dave) דוד ימש"),
    "english with arabic name": ("Call فاطمة علي today.", "Call يلع ةمطاف today."),
    "english ending in an arabic name": ("Say hello to فاطمة.", "Say hello to ةمطاف."),
    "english ending in an urdu name": ("This is for عائشہ.", "This is for ہشئاع."),
}


def _plan_pdf(*texts: str) -> bytes:
    goals = tuple(Goal(t) for t in texts)
    return render(samples.plan(goals=goals, services=(), topics=(), crisis_contacts=()))


@pytest.fixture(scope="module")
def printed() -> tuple[list[str], list[str]]:
    pdf = _plan_pdf(*(logical for logical, _ in SAMPLES.values()))
    pages = range(len(read_pdf(pdf).pages))
    return ([line for p in pages for line in glyph_lines(pdf, p)],
            [line for p in pages for line in actual_texts(pdf, p)])


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_glyphs_on_paper_are_in_visual_order(name: str, printed: tuple[list[str], list[str]]
                                             ) -> None:
    _logical, visual = SAMPLES[name]
    glyphs, _ = printed
    assert visual in glyphs, f"{name}: {visual!r} not among the printed lines"


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_copied_text_is_in_logical_order(name: str, printed: tuple[list[str], list[str]]) -> None:
    logical, _ = SAMPLES[name]
    _, actual = printed
    assert logical.replace(" ", "\u00a0") in [a.replace(" ", "\u00a0") for a in actual]


def test_digits_keep_their_order_inside_right_to_left_text() -> None:
    glyphs = glyph_lines(_plan_pdf("امش ٢٠ دقيقة.", "برو ۲۰ دقیقه."))
    assert any("٢٠" in g for g in glyphs) and not any("٠٢" in g for g in glyphs)
    assert any("۲۰" in g for g in glyphs) and not any("۰۲" in g for g in glyphs)


def test_levels_come_from_python_bidi() -> None:
    base, levels = bidi_levels("امش ٢٠ دقيقة.")
    assert base == 1
    assert levels == [1, 1, 1, 1, 2, 2, 1, 1, 1, 1, 1, 1, 1]   # digits even, full stop odd
    base, levels = bidi_levels("Hi فاطمة.")
    assert base == 0 and levels == [0, 0, 0, 1, 1, 1, 1, 1, 0]


def test_runs_are_ordered_by_rule_l2() -> None:
    assert visual_order([0, 1, 2, 1, 0]) == [0, 3, 2, 1, 4]
    assert visual_order([1, 2, 1]) == [2, 1, 0]
    assert visual_order([0, 0]) == [0, 1]


def test_a_wrapped_right_to_left_paragraph_reads_on_from_line_to_line() -> None:
    words = ["ایک", "دو", "تین", "چار", "پانچ", "چھ", "سات", "آٹھ", "نو", "دس"] * 5
    pdf = _plan_pdf(" ".join(words))
    lines = [a for a in actual_texts(pdf) if "پانچ" in a or "ایک" in a or "دس" in a]
    assert len(lines) >= 3
    assert " ".join(lines).split() == words        # each line takes up where the last ended
    glyphs = glyph_lines(pdf)
    drawn = [g for g in glyphs if g.split() and g.split()[-1] in {w[::-1] for w in words}]
    # Each line's first word is at its right-hand end.
    assert [d.split()[-1] for d in drawn] == [line.split()[0][::-1] for line in lines]
