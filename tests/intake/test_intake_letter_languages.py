"""Intake letters in the person's language: their wording is in the same gettext catalogues as
the other printed documents, and a catalogue's review status is honoured exactly as for plans
(offered marked as a draft; never silently; never in an unattended batch)."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

sys.path.insert(0, str(Path(__file__).parents[1] / "packs"))
from packs_readback import readable_text  # noqa: E402

from wellbeing_desktop.packs import catalogues  # noqa: E402
from wellbeing_desktop.resources import resource  # noqa: E402
from wellbeing_desktop.services import catalogues as translations  # noqa: E402
from wellbeing_desktop.services import (  # noqa: E402
    letters_due,
    packs,
    referral_import,
    sessions,
    waiting_list,
)
from wellbeing_desktop.services.app import AppContext  # noqa: E402
from wellbeing_desktop.storage.models import Client  # noqa: E402

DATA = Path(__file__).parent / "data"
SHIPPED_AR = resource("packs") / "locale" / "ar.po"


text_of = readable_text


@pytest.fixture
def zoe(ctx: AppContext) -> object:
    """Zoë, referred today, an appointment by phone booked, reads Arabic."""
    p = referral_import.preview(ctx, DATA / "riverside.xlsx", source="gp", today=date.today())
    referral_import.commit(ctx, p)
    cid = {r.name.split()[0]: r.client_id for r in waiting_list.waiting_list(ctx)}["Zoë"]
    when = datetime.combine(date.today() + timedelta(days=4), datetime.min.time()).replace(
        hour=10)
    sessions.save_appointment(ctx, cid, sessions.AppointmentInput(when, mode="phone"))
    with ctx.store.session() as s:
        s.execute(update(Client).where(Client.id == cid)
                  .values(language="ar", interpreter_needed=True))
    return cid


def test_letters_wording_is_in_the_catalogues() -> None:
    english = catalogues.load_english(resource("packs") / "en")
    contexts = {e.context for e in catalogues.english_entries(english)}
    for context in ("letter.greeting", "letter.optin.body[1]", "letter.how.phone",
                    "letter.referred_by.gp", "easy-read:letter.optin.body[0]"):
        assert context in contexts, context
    catalog, status = catalogues.read(SHIPPED_AR)
    assert catalogues.translations(catalog)["letter.appointment.title"] == "موعدك"
    assert status.status == "draft" and not status.reviewed


@pytest.mark.safety
def test_a_letter_in_a_draft_language_is_offered_marked(ctx: AppContext, zoe: object) -> None:
    options = packs.document_options(ctx, zoe)  # type: ignore[arg-type]
    assert options.default_language == "ar"
    assert "has not been reviewed" in options.language_note
    doc = packs.build_document(ctx, zoe, packs.DocumentChoice(  # type: ignore[arg-type]
        kind="appointment", language="ar"))
    text = text_of(doc.pdf)
    assert "موعدك" in text                        # the title, from the catalogue
    assert "عبر الهاتف" in text                   # "by phone": a recorded code, translated
    assert "Arabic translation: Draft translation" in text      # the status, on the letter
    # A sentence nobody translated prints in English, visibly, not left out.
    assert "If you cannot come, or need a different time" in text
    assert "We have booked an appointment" not in text
    # The accessible copy says which passage is in which language.
    from test_packs_passage_lang import lang_of, langs

    nodes = langs(doc.html)
    assert lang_of(nodes, "موعدك") == {("ar", "rtl")}
    assert lang_of(nodes, "If you cannot come") == {("en", "ltr")}
    assert lang_of(nodes, "Zoë") == {("en", "ltr")}
    assert lang_of(nodes, "Arabic translation: Draft") == {("en", "ltr")}


def test_a_reviewed_letter_carries_no_status_line(ctx: AppContext, zoe: object) -> None:
    translations.mark_reviewed(ctx, "ar", "A. Reviewer", date(2026, 12, 1))
    doc = packs.build_document(ctx, zoe, packs.DocumentChoice(  # type: ignore[arg-type]
        kind="appointment", language="ar"))
    text = text_of(doc.pdf)
    assert "موعدك" in text and "translation:" not in text


@pytest.mark.safety
def test_a_batch_never_posts_a_draft_translation(ctx: AppContext, zoe: object) -> None:
    due = {(d.kind, d.recipient): d for d in letters_due.due(ctx) if d.client_id == zoe}
    letter = due[("appointment", "person")]
    assert (letter.language, letter.interpreter_language) == ("en", "ar")
    assert "draft" in letter.language_words and "Arabic" in letter.language_words
    referrer = due[("acknowledgement", "referrer")]
    assert referrer.language == "en" and not referrer.language_words
    [built] = letters_due.build_batch(ctx, [letter])
    text = text_of(built.pdf)
    assert "Your appointment" in text and "interpreter who speaks Arabic" in text
    assert "موعدك" not in text
    # Once a lead records the review, the batch prints it in Arabic.
    translations.mark_reviewed(ctx, "ar", "A. Reviewer", date(2026, 12, 1))
    letter = next(d for d in letters_due.due(ctx)
                  if d.client_id == zoe and d.kind == "appointment")
    assert letter.language == "ar" and "reviewed" in letter.language_words
    [built] = letters_due.build_batch(ctx, [letter])
    assert "موعدك" in text_of(built.pdf)
    # Without an interpreter recorded, the English letter makes no promise of one.
    assert letters_due.batch_language("ar", False, "person", frozenset(), frozenset({"ar"}))[:2] \
        == ("en", "")


def test_the_letters_own_languages_survive_the_pseudo_languages(ctx: AppContext,
                                                                zoe: object) -> None:
    from wellbeing_desktop.packs.documents import render

    snap = packs.build_snapshot(ctx, zoe, packs.DocumentChoice(  # type: ignore[arg-type]
        kind="appointment"))
    longer = text_of(render(replace(snap, language="qps-ploc")))
    assert "Ýöüŕ åƥƥöíñţɱéñţ" in longer          # the title, accented and lengthened
    mirrored = text_of(render(replace(snap, language="qps-plocm")))
    assert "\u202eYour appointment" in mirrored
