"""Easy read: one idea per row with a picture beside it, plain words for scores, no clinical
abbreviations, and no section split across pages.

Follows the Department of Health's "Making written information easier to understand for
people with learning disabilities" (2010) and Mencap's "Am I making myself clear?": short
sentences, one idea each; a picture to the left of each idea that says the same thing; at
least 14 point; no charts or tables of numbers; words in full, not abbreviations.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from wellbeing_desktop.packs.layout import FRAME_HEIGHT, FRAME_WIDTH
from wellbeing_desktop.packs.pictures import PICTURES, picture

if TYPE_CHECKING:
    from wellbeing_desktop.packs.renderer import DocumentRenderer

IDEA_PICTURE = 19 * mm      # beside each idea (about 2 cm, as easy read guides show)
BOX_PICTURE = 8 * mm        # inside a service's box, beside each of its details

# Needs-domain codes (resources/topics) → the picture for that topic.
TOPIC_PICTURES = {
    "housing": "house", "money_debt": "money", "benefits": "benefits", "work": "work",
    "social": "people", "social_connection": "people", "caring": "caring",
    "physical_activity": "walk", "eating": "salad", "eating_well": "salad", "sleep": "bed",
    "smoking": "no_smoking", "alcohol": "alcohol", "long_term_conditions": "pill",
    "digital": "laptop", "digital_skills": "laptop", "legal": "law", "safety": "shield",
    "weight": "weights", "stress": "stress", "routine": "routine",
    "money_wellbeing": "money",
}

# Abbreviations a reader with a learning disability may not know, in full (typed text and
# service descriptions included). Checked by tests over every easy read document.
GLOSSARY: tuple[tuple[str, str], ...] = (
    (r"\bGP (practice|surgery)\b", "doctor's surgery"),
    (r"\byour GP\b", "your doctor"),
    (r"\bGP\b", "doctor"),
    (r"\bPHQ-?9\b", "low mood questions"),
    (r"\bGAD-?7\b", "worry questions"),
    (r"\bWSAS\b", "daily life questions"),
    (r"\bPIP\b", "Personal Independence Payment"),
    (r"\bESA\b", "Employment and Support Allowance"),
    (r"\bUC\b", "Universal Credit"),
    (r"\bCAB\b", "Citizens Advice"),
    (r"\bCBT\b", "talking therapy"),
    (r"\bA&E\b", "the hospital emergency department"),
    (r"\be\.g\.", "for example"),
)
ABBREVIATIONS = ("PHQ-9", "GAD-7", "WSAS", "PIP", "ESA", "CBT", "GP", "e.g.")
_GLOSSARY = [(re.compile(pattern), words) for pattern, words in GLOSSARY]


def plain(text: str, language: str = "en") -> str:
    """Easy read words for `text`: abbreviations written out (English text only)."""
    if language != "en":
        return text
    for pattern, words in _GLOSSARY:
        text = pattern.sub(words, text)
    return text


def idea(flowable: Flowable, pic: str | None) -> Flowable:
    """Mark a paragraph as one idea with its picture (None: the section's picture)."""
    flowable._easy_picture = pic if pic in PICTURES else None
    return flowable


def _rows(doc: DocumentRenderer, items: list[Flowable], pic: str | None,
          head: Flowable | None = None) -> Table:
    rows: list[list[Any]] = [[head, ""]] if head is not None else []
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if head is not None:
        commands.append(("SPAN", (0, 0), (1, 0)))
    for item in items:
        name = getattr(item, "_easy_picture", None) or pic
        is_idea = hasattr(item, "_easy_picture") or isinstance(item, KeepTogether)
        # A cell cannot hold a KeepTogether (a row never splits anyway): its content goes in.
        cell = list(item._content) if isinstance(item, KeepTogether) else item
        rows.append([picture(name, IDEA_PICTURE) if is_idea and name else "", cell])
    return Table(rows, colWidths=[doc.pic + 6 * mm, doc.width], style=TableStyle(commands),
                 hAlign="LEFT")


def section(doc: DocumentRenderer, head: Flowable, body: list[Flowable], pic: str,
            wide: list[Flowable] | None = None) -> list[Flowable]:
    """The heading across the page, then one row per idea: its picture, then its words.
    A section up to half a page is kept on one page; a longer one breaks only between its
    blocks (one goal, one topic's advice), each kept whole, the heading with the first
    (moving every long section to a fresh page left pages half empty)."""
    blocks: list[list[Flowable]] = []
    for block in body:
        if isinstance(block, KeepTogether) and not getattr(block, "_box", False):
            blocks.append(list(block._content))
        elif blocks and not isinstance(body[0], KeepTogether):
            blocks[-1].append(block)      # single lines: one block
        else:
            blocks.append([block])
    out: list[Flowable] = [Spacer(1, doc.styles.sizes.heading * 0.4)]
    tables = [_rows(doc, items, pic, head if i == 0 else None)
              for i, items in enumerate(blocks or [[]])]
    if sum(t.wrap(FRAME_WIDTH, 10_000)[1] for t in tables) < FRAME_HEIGHT / 2:
        out.append(KeepTogether(tables))
    else:
        out += [KeepTogether([t]) for t in tables]
    out += wide or []
    return out


def group_ideas(doc: DocumentRenderer, story: list[Flowable]) -> list[Flowable]:
    """Ideas outside any section (the greeting at the top) get their pictures too."""
    out: list[Flowable] = []
    run: list[Flowable] = []
    for item in [*story, None]:
        if item is not None and hasattr(item, "_easy_picture"):
            run.append(item)
            continue
        if run:
            out.append(_rows(doc, run, "document"))
            run = []
        if item is not None:
            out.append(item)
    return out


def picture_rows(items: list[Flowable], width: float) -> Table:
    """Inside a box: each idea beside its picture; lines that carry on an idea (no picture
    of their own) sit under it."""
    rows: list[list[Any]] = []
    for item in items:
        name = getattr(item, "_easy_picture", None)
        if name or not rows:
            rows.append([picture(name, BOX_PICTURE) if name else "", [item]])
        else:
            rows[-1][1].append(item)
    return Table(rows, colWidths=[BOX_PICTURE + 6, width], hAlign="LEFT",
                 style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))


def from_outcomes(outcomes: Any) -> list[Any]:
    """Series of two scores (first, last) from a letter's outcome lines, for a snapshot that
    carries no measures: the measure named in the label, the numbers the lines start with."""
    from types import SimpleNamespace

    out = []
    for o in outcomes:
        name = re.search(r"PHQ-?9|GAD-?7|WSAS", o.label)
        first, last = re.match(r"\s*(\d+(?:\.\d+)?)", o.first), re.match(r"\s*(\d+(?:\.\d+)?)",
                                                                          o.last)
        if first and last:
            out.append(SimpleNamespace(
                name=name.group(0).replace("PHQ9", "PHQ-9").replace("GAD7", "GAD-7")
                if name else o.label,
                points=(SimpleNamespace(score=float(first.group(1))),
                        SimpleNamespace(score=float(last.group(1))))))
    return out


def score_words(doc: DocumentRenderer, series: Any) -> list[Flowable]:
    """A measure's change in plain words ("Your worry score went down a lot"), for easy
    read instead of a chart. "A lot" is a change of at least the measure's reliable change
    index (NHS Talking Therapies Manual: PHQ-9 6, GAD-7 4); a measure without one says only
    down, the same or up."""
    from wellbeing_desktop.domain.measures.registry import shipped

    points = list(series.points)
    if len(points) < 2:
        return []
    first, last = float(points[0].score), float(points[-1].score)
    definition = shipped().find(series.name)
    rci = definition.reliable_change_index if definition else None
    change = last - first
    if change == 0:
        key, pic = "same", "same"
    elif change < 0:
        key = "down" if rci is None else ("down_lot" if -change >= rci else "down_little")
        pic = "chart_down"
    else:
        key = "up" if rci is None else ("up_lot" if change >= rci else "up_little")
        pic = "chart_up"
    what = doc.c.t(f"words.measure.{series.name}") if doc.c.has(
        f"words.measure.{series.name}") else doc.c.t("words.measure.other")
    return doc.lines(doc.c.t(f"words.score.{key}", what=what), pics=(pic, "smile"
                                                                      if change < 0 else pic))
