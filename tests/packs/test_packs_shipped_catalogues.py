"""The catalogues that ship: each a draft, the machine-made ones marked so with no reviewer,
each usable for every document (checks pass, numbers unchanged), each sentence printed wholly
in one language (an untranslated sentence keeps its dates in English)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import packs_samples as samples
import pytest
from packs_readback import actual_texts, read_pdf

from wellbeing_desktop.packs import catalogues
from wellbeing_desktop.packs.content import Content, available_languages, language_status
from wellbeing_desktop.packs.documents import render
from wellbeing_desktop.resources import resource

LOCALE = resource("packs") / "locale"
MACHINE = ("pl", "ro", "pa", "ur", "bn", "gu")
ENGLISH = catalogues.load_english(resource("packs") / "en")


def _text(pdf: bytes) -> str:
    back = read_pdf(pdf)
    lines = [line for p in range(len(back.pages)) for line in actual_texts(pdf, p)]
    return ("\n".join(lines) + "\n" + back.text).replace("\u00a0", " ")


@pytest.mark.parametrize("code", MACHINE)
def test_machine_catalogues_are_drafts_nobody_reviewed(code: str) -> None:
    path = LOCALE / f"{code}.po"
    catalog, status = catalogues.read(path)
    assert status.status == "draft" and not status.reviewed
    assert status.origin == catalogues.MACHINE and status.reviewed_by == ""
    assert status.reviewed_on is None
    assert status.describe().startswith("Draft machine translation, not checked by any person")
    assert "X-Reviewed-By" not in path.read_text(encoding="utf-8")
    # Only some sentences: the rest are left empty so they print in English.
    assert 20 <= status.translated < status.total / 2
    assert catalogues.check(catalog, ENGLISH, code) == []
    assert code in available_languages()


@pytest.mark.parametrize("code", MACHINE)
def test_every_document_builds_in_each_shipped_language(code: str) -> None:
    for variant in ("standard", "easy-read"):
        content = Content(code, variant)        # the numbers check (H10) runs here
        assert content.status.origin == catalogues.MACHINE
        assert content.date(date(2026, 12, 4)) != "Friday 4 December 2026"   # own names
    pdf = render(replace(samples.plan(), language=code))
    text = _text(pdf)
    assert "translation: Draft machine translation, not checked by any person" in text


def test_a_review_clears_the_machine_mark(tmp_path: object) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    catalog, status = catalogues.read(LOCALE / "pl.po")
    catalogues.write(folder / "locale" / "pl.po", catalog,
                     replace(status, status="reviewed", reviewed_by="B. Nowak",
                             reviewed_on=date(2026, 12, 3)))
    st = language_status("pl", folder)
    assert st.reviewed and st.origin == "" and "B. Nowak" in st.describe()


def test_an_untranslated_sentence_is_english_whole() -> None:
    """Bengali has "date" translated, "next.appointment" not: the sentence prints in English
    with an English date, never "on মঙ্গলবার, 8 ডিসেম্বর"."""
    c = Content("bn", "standard")
    assert c.translated("date") and not c.translated("next.appointment")
    when = datetime(2026, 12, 8, 14, 30)
    own = c.date(when.date())
    assert own.startswith("মঙ্গলবার")
    sentence = c.t("next.appointment", date=own, time=c.time(when))
    assert sentence == "Your next appointment is on Tuesday 8 December 2026 at 2:30 pm."
    # A translated sentence keeps the language's own date.
    assert c.t("letter.appointment.when", date=own, time=c.time(when)) == \
        "মঙ্গলবার, 8 ডিসেম্বর 2026, 2:30 PM"


def test_a_translation_equal_to_the_english_still_counts() -> None:
    """Arabic's date pattern is the English one; its day and month names still print."""
    c = Content("ar", "standard")
    assert c.translated("date")
    assert c.date(date(2026, 12, 4)) == "الجمعة 4 ديسمبر 2026"
