"""The accessible copy tells a screen reader the language of every passage: parsed back, each
text node's nearest `lang` (and `dir`) is the language that text is actually in, an English
sentence inside an Arabic or Polish document included."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import packs_samples as samples
import pytest

from wellbeing_desktop.packs.content import Content
from wellbeing_desktop.packs.documents import render_html
from wellbeing_desktop.packs.snapshot import VARIANTS

VOID = {"br", "img", "meta", "link", "hr", "input"}
ARABIC = re.compile(r"[\u0600-\u06ff]")
LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


class Langs(HTMLParser):
    """Every text node with the `lang` and `dir` of its nearest element that has them."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str | None, str | None]] = []
        self.nodes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        a = dict(attrs)
        self.stack.append((tag, a.get("lang"), a.get("dir")))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def nearest(self, index: int) -> str:
        for entry in reversed(self.stack):
            if entry[index] is not None:
                return str(entry[index])
        raise AssertionError("no element gives it")

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(t in ("style", "script") for t, _, _ in self.stack):
            self.nodes.append((data.strip(), self.nearest(1), self.nearest(2)))


def langs(html: str) -> list[tuple[str, str, str]]:
    parser = Langs()
    parser.feed(html)
    return parser.nodes


def lang_of(nodes: list[tuple[str, str, str]], text: str) -> set[tuple[str, str]]:
    found = {(lang, d) for node, lang, d in nodes if text in node}
    assert found, f"{text!r} is not in the copy"
    return found


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_node_of_an_arabic_plan_has_the_language_of_its_script(variant: str) -> None:
    nodes = langs(render_html(replace(samples.plan(), language="ar", variant=variant)))
    for text, lang, direction in nodes:
        arabic, latin = bool(ARABIC.search(text)), bool(LATIN.search(text))
        assert not (arabic and latin), f"one node in two scripts: {text!r}"
        if arabic:
            assert (lang, direction) == ("ar", "rtl"), text
        elif latin:     # English fallback sentences, service names, the status note
            assert (lang, direction) == ("en", "ltr"), text


def test_an_arabic_plan_names_each_passage() -> None:
    from wellbeing_desktop.packs.documents import renderer

    doc = renderer(replace(samples.plan(), language="ar"))
    nodes = langs(doc.html())
    assert lang_of(nodes, "خطتك للعافية") == {("ar", "rtl")}                # the title
    assert lang_of(nodes, "Kingsmere Community Pantry") == {("en", "ltr")}   # a service name
    assert lang_of(nodes, "Arabic translation: Draft translation") == {("en", "ltr")}
    # Every sentence the Arabic catalogue has no translation for is marked English.
    fallback = [text for text, p in doc.c.passages.items()
                if p.lang == "en" and not p.holes and len(text) > 20 and "\n" not in text]
    assert len(fallback) >= 5
    for sentence in fallback:
        assert lang_of(nodes, sentence) == {("en", "ltr")}, sentence


def test_a_polish_plan_tells_polish_from_english_in_the_same_script() -> None:
    """Script cannot tell them apart: the catalogue can."""
    content = Content("pl", "standard")
    assert content.translated("plan.title") and not content.translated("plan.intro")
    nodes = langs(render_html(replace(samples.plan(), language="pl")))
    assert lang_of(nodes, "Twój plan dobrego samopoczucia") == {("pl", "ltr")}
    assert lang_of(nodes, "This plan is for you to keep") == {("en", "ltr")}
    assert lang_of(nodes, "Twoje cele") == {("pl", "ltr")}
    # The goals were typed in English.
    assert lang_of(nodes, "Sleep through the night") == {("en", "ltr")}
    # The date inside the translated "made on" line is in Polish, whatever surrounds it.
    assert ("pl", "ltr") in lang_of(nodes, "listopada 2026")


def test_names_in_other_scripts_get_their_language_or_unknown() -> None:
    goals = (samples.Goal("Call আমিনা about the group", ("Ask Fatima (فاطمة) to come",)),)
    nodes = langs(render_html(samples.plan(goals=goals)))
    assert lang_of(nodes, "আমিনা") == {("bn", "ltr")}     # Bengali script: Bengali
    # Arabic script in an English document: Arabic, Urdu or Persian? Unknown, said so.
    assert lang_of(nodes, "فاطمة") == {("", "auto")}
    assert lang_of(nodes, "Call") == {("en", "ltr")}


def test_the_interpreter_note_is_in_the_language_it_is_written_in() -> None:
    nodes = langs(render_html(samples.plan(interpreter_language="ar")))
    assert lang_of(nodes, "interpreter who speaks Arabic") == {("en", "ltr")}


def test_the_mirrored_pseudo_language_is_right_to_left_per_passage() -> None:
    nodes = langs(render_html(replace(samples.plan(), language="qps-plocm")))
    assert lang_of(nodes, "Your wellbeing plan") == {("qps-plocm", "rtl")}
    assert lang_of(nodes, "Kingsmere Community Pantry") == {("en", "ltr")}
