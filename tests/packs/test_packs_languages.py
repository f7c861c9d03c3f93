"""Printed wording in other languages: gettext catalogues with a review status, export and
import with checks, pseudo-languages that prove the layouts survive, names never codes."""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import packs_samples as samples
import pytest
from babel.messages.pofile import read_po
from packs_readback import actual_texts, read_pdf
from pypdf import PdfReader
from sqlalchemy import update

from wellbeing_desktop.domain.languages import language_name
from wellbeing_desktop.packs import catalogues
from wellbeing_desktop.packs.content import Content, language_status
from wellbeing_desktop.packs.documents import render
from wellbeing_desktop.packs.layout import MARGIN, PAGE_W
from wellbeing_desktop.packs.snapshot import LETTER_KINDS, VARIANTS
from wellbeing_desktop.resources import resource
from wellbeing_desktop.services import catalogues as translations
from wellbeing_desktop.services import packs
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import list_clients
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.storage.models import Client

KINDS = ("plan", "leaflet", "discharge")   # the letters have their own tests

SHIPPED_AR = resource("packs") / "locale" / "ar.po"


def _text(pdf: bytes) -> str:
    """Every line's logical text: shaped lines from their ActualText, the rest extracted."""
    back = read_pdf(pdf)
    lines = [line for p in range(len(back.pages)) for line in actual_texts(pdf, p)]
    return ("\n".join(lines) + "\n" + back.text).replace("\u00a0", " ")


def test_language_names_not_codes() -> None:
    assert language_name("ar") == "Arabic"
    assert language_name("pa") == "Punjabi" and language_name("ur") == "Urdu"
    assert language_name("other") == "Other language (see notes)"
    assert language_name("sw") == "Swahili"   # outside the table: from CLDR, still a name


def test_the_catalogue_header_carries_the_review_status() -> None:
    status = language_status("ar")
    assert status.status == "draft" and not status.reviewed
    assert 0 < status.translated < status.total
    assert "Draft translation" in status.describe()
    assert "X-Review-Status: draft" in SHIPPED_AR.read_text(encoding="utf-8")


@pytest.mark.safety
def test_a_draft_translation_says_so_on_the_page() -> None:
    pdf = render(replace(samples.plan(), language="ar"))
    text = _text(pdf)
    assert "خطتك للعافية" in text                               # translated title
    assert "Arabic translation: Draft translation" in text      # the status, on paper
    assert "Your wellbeing plan" not in text


def test_a_reviewed_translation_has_no_status_line(tmp_path: Path) -> None:
    catalog, status = catalogues.read(SHIPPED_AR)
    catalogues.write(tmp_path / "locale" / "ar.po", catalog,
                     replace(status, status="reviewed", reviewed_by="A. Translator",
                             reviewed_on=date(2026, 11, 2)))
    st = language_status("ar", tmp_path)
    assert st.reviewed and st.reviewed_by == "A. Translator"
    assert "2 November 2026" in st.describe()
    pdf = render(replace(samples.plan(), language="ar"), tmp_path)
    assert "translation:" not in _text(pdf)


def test_plural_forms_follow_the_language_rule() -> None:
    ar = Content("ar", "standard")
    assert "جلستين" in ar.t("leaflet.sessions", count=2)          # Arabic dual
    assert "6 جلسات" in ar.t("leaflet.sessions", count=6)
    en = Content("en", "standard")
    assert en.t("leaflet.sessions", count=1).startswith("You can have 1 session.")
    assert "up to 6 sessions" in en.t("leaflet.sessions", count=6)


# ---- export and import ---------------------------------------------------------------------
def _export(ctx: AppContext, tmp_path: Path) -> Path:
    out = tmp_path / "ar-for-translator.po"
    status = translations.export(ctx, "ar", out)
    assert status.total >= 300 and status.translated >= 70
    return out


def _edit(path: Path, context: str, new: str | tuple[str, ...]) -> None:
    catalog, status = catalogues.read(path)
    for m in catalog:
        if m.context == context:
            m.string = new
            m.flags.discard("fuzzy")
    catalogues.write(path, catalog, status)


def test_export_then_import_puts_the_translation_in_use(ctx: AppContext, tmp_path: Path) -> None:
    out = _export(ctx, tmp_path)
    catalog = read_po(io.StringIO(out.read_text(encoding="utf-8")))
    assert catalog.get("Your goals", context="plan.goals.heading").string == "أهدافك"
    _edit(out, "plan.talked.none", "لا توجد مواضيع مسجلة حتى الآن.")
    code, status = translations.import_catalogue(ctx, out)
    assert code == "ar" and status.status == "draft"
    assert Content("ar", "standard", packs.content_dir(ctx)).t("plan.talked.none") == \
        "لا توجد مواضيع مسجلة حتى الآن."
    # A lead records the review; the documents stop saying "draft".
    reviewed = translations.mark_reviewed(ctx, "ar", "Samira Haddad", date(2026, 12, 1))
    assert reviewed.reviewed and language_status("ar", packs.content_dir(ctx)).reviewed


@pytest.mark.parametrize(("context", "bad", "says"), [
    ("plan.intro", "مرحبًا {nom}.", "placeholder {nom} is not in the English"),
    ("plan.intro", "مرحبًا.", "placeholder {name} is missing"),
    ("plan.intro", "مرحبًا {name", "braces do not form placeholders"),
    ("plan.phone", "هاتف " * 30, "the layouts have room for about"),
    ("leaflet.sessions", ("a", "b"), "needs 6 plural forms for Arabic, has 2"),
])
def test_import_refuses_broken_translations_and_changes_nothing(
        ctx: AppContext, tmp_path: Path, context: str, bad: str | tuple[str, ...],
        says: str) -> None:
    out = _export(ctx, tmp_path)
    _edit(out, context, bad)
    before = Content("ar", "standard", packs.content_dir(ctx)).t("plan.intro", name="X")
    with pytest.raises(ValidationError) as info:
        translations.import_catalogue(ctx, out)
    message = str(info.value)
    assert says in message and "ar-for-translator.po, line" in message and context in message
    assert Content("ar", "standard", packs.content_dir(ctx)).t("plan.intro", name="X") == before


def test_import_refuses_a_file_for_another_language(ctx: AppContext, tmp_path: Path) -> None:
    out = _export(ctx, tmp_path)
    with pytest.raises(ValidationError) as info:
        translations.import_catalogue(ctx, out, "ur")
    assert "not 'ur'" in str(info.value)


def test_cli_lists_languages_by_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from wellbeing_desktop.cli import main

    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "init", "--plain"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(data), "translations", "list"]) == 0
    out = capsys.readouterr().out
    assert "Arabic: Draft translation" in out and "(ar)" not in out
    po = tmp_path / "x.po"
    assert main(["--data-dir", str(data), "translations", "export", "ar", "--out", str(po)]) == 0
    shutil.copy(po, tmp_path / "y.po")
    _edit(tmp_path / "y.po", "plan.intro", "{oops}")
    assert main(["--data-dir", str(data), "translations", "import", str(tmp_path / "y.po")]) == 2
    assert "placeholder {oops}" in capsys.readouterr().err


# ---- pseudo-languages -------------------------------------------------------------------------
def _span_extents(pdf: bytes, page: int) -> dict[str, tuple[float, float]]:
    """Each shaped line's logical text → the x of its first and last glyph origins."""
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    pg = reader.pages[page]
    out: dict[str, tuple[float, float]] = {}
    cm = [0.0]
    current: str | None = None
    xs: list[float] = []
    for operands, op in ContentStream(pg.get_contents(), reader).operations:
        if op == b"q":
            cm.append(cm[-1])
        elif op == b"Q":
            cm.pop()
        elif op == b"cm":
            cm[-1] += float(operands[4])
        elif op == b"BDC" and "/ActualText" in operands[1]:
            current, xs = str(operands[1]["/ActualText"]), []
        elif op == b"Tm" and current is not None and (operands[4], operands[5]) != (0, 0):
            xs.append(cm[-1] + float(operands[4]))
        elif op == b"EMC" and current is not None:
            out[current.replace("\u202e", "").replace("\u200f", "")] = (min(xs), max(xs))
            current = None
    return out


def _ink(pdf: bytes, page: int) -> tuple[float, float]:
    """The leftmost and rightmost edge of any glyph drawn on the page (PDFium's boxes)."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(pdf)
    textpage = doc[page].get_textpage()
    edges = [ctypes.c_double() for _ in range(4)]
    left, right = PAGE_W, 0.0
    for i in range(raw.FPDFText_CountChars(textpage)):
        if raw.FPDFText_IsGenerated(textpage, i):
            continue
        raw.FPDFText_GetCharBox(textpage, i, *(ctypes.byref(e) for e in edges))
        if edges[1].value > edges[0].value:
            left, right = min(left, edges[0].value), max(right, edges[1].value)
    return left, right


@pytest.mark.parametrize("code", ["qps-ploc", "qps-plocm"])
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("kind", KINDS)
def test_layouts_survive_longer_and_mirrored_text(code: str, variant: str, kind: str) -> None:
    base = samples.discharged() if kind == "discharge" else samples.plan(kind=kind)
    snap = replace(base, language=code, variant=variant)
    english = render(replace(snap, language="en"))
    pdf = render(snap)
    pages = read_pdf(pdf).pages
    for page in range(len(pages)):
        left, right = _ink(pdf, page)
        # No glyph outside the text frame (a long word running off the page would be).
        assert left >= MARGIN - 2 and right <= PAGE_W - MARGIN + 2, (code, variant, kind, page)
    text = _text(pdf)
    for number in ("116 123", "999"):          # crisis numbers survive, whole
        assert number in text
    # 40% longer text takes more pages, but not wildly more; the mirrored copy keeps its size.
    n_en, n = len(read_pdf(english).pages), len(pages)
    assert n_en <= n <= 2 * n_en + 1


@pytest.mark.parametrize("code", ["qps-ploc", "qps-plocm"])
@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_letters_survive_longer_and_mirrored_text(code: str, kind: str) -> None:
    for variant in VARIANTS:
        snap = replace(samples.letter(kind), language=code, variant=variant)
        english = render(replace(snap, language="en"))
        pdf = render(snap)
        pages = read_pdf(pdf).pages
        for page in range(len(pages)):
            left, right = _ink(pdf, page)
            assert left >= MARGIN - 2 and right <= PAGE_W - MARGIN + 2, (code, variant, kind, page)
        text = _text(pdf)
        # The letter's own wording went through the pseudo-language, its facts did not.
        accented = "ļöŕéɱ" if code == "qps-ploc" else "\u202e"
        assert accented in text, (code, variant, kind)
        assert "01632 960 100" in text or kind == "introduction"
        assert len(read_pdf(english).pages) <= len(pages) <= 2 * len(read_pdf(english).pages) + 1


def test_mirrored_text_is_set_right_to_left() -> None:
    pdf = render(replace(samples.plan(), language="qps-plocm"))
    spans = _span_extents(pdf, 0)
    title = next(xs for text, xs in spans.items() if "Your wellbeing plan" in text)
    # The title is set from the right margin, as a right-to-left reader expects.
    assert title[1] > PAGE_W - MARGIN - 30 and title[0] > MARGIN + 100
    assert "\u202e" in "".join(actual_texts(pdf, 0))


# ---- the Documents tab ------------------------------------------------------------------------
def test_documents_tab_says_plainly_when_there_is_no_reviewed_translation(
        qtbot: object, demo_ctx: AppContext, immediate_tasks: object, tmp_path: Path) -> None:
    from wellbeing_desktop.ui.panels.documents import DocumentsPanel

    cid = list_clients(demo_ctx, limit=1)[0].id
    with demo_ctx.store.session() as s:
        s.execute(update(Client).where(Client.id == cid)
                  .values(language="ta", interpreter_needed=True))
    panel = DocumentsPanel()
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    panel.resize(1200, 800)
    panel.show()
    panel.set_client(demo_ctx, cid)
    qtbot.waitUntil(lambda: panel.options is not None, timeout=20_000)  # type: ignore
    assert panel.language.currentData() == "en"
    assert "no translation of the printed documents into Tamil" in panel.language_note.text()
    assert panel.interpreter_note.isVisibleTo(panel) and panel.interpreter_note.isChecked()
    assert "Tamil" in panel.interpreter_note.text()
    assert panel.choice().interpreter_language == "ta"
    items = [panel.language.itemText(i) for i in range(panel.language.count())]
    assert "Arabic (draft translation)" in items and not any("(ar)" in i for i in items)
    # Choosing the draft Arabic says what it is.
    panel.language.setCurrentIndex(panel.language.findData("ar"))
    assert "Draft translation" in panel.language_note.text()
    assert not panel.interpreter_note.isVisibleTo(panel)
    panel.grab().save(str(tmp_path / "documents-language.png"))
    # The English copy with the note prints the note.
    doc = packs.build_document(demo_ctx, cid, packs.DocumentChoice(interpreter_language="ta"))
    assert "interpreter who speaks Tamil" in _text(doc.pdf)


def test_urdu_documents_print_in_nastaliq(tmp_path: Path) -> None:
    english = catalogues.load_english(resource("packs") / "en")
    catalog = catalogues.template(english, "ur")
    urdu = {"plan.title": "آپ کا صحت کا منصوبہ", "plan.goals.heading": "آپ کے مقاصد",
            "plan.goals.steps": "جن قدموں پر ہم نے اتفاق کیا"}
    for m in catalog:
        if m.context in urdu:
            m.string = urdu[m.context]
    catalogues.write(tmp_path / "locale" / "ur.po", catalog, catalogues.Status("draft"))
    goals = (samples.Goal("روزانہ ۲۰ منٹ چلیں۔", ("میرا نام عائشہ ہے۔",)),)
    pdf = render(replace(samples.plan(goals=goals), language="ur"), tmp_path)
    back = read_pdf(pdf)
    assert any("NotoNastaliqUrdu" in f for f in back.fonts)
    assert "آپ کا صحت کا منصوبہ" in _text(pdf)
    # Nastaliq's tall lines are given room: the title's lines do not overlap the next.
    (tmp_path / "urdu.pdf").write_bytes(pdf)
    # Names typed in Urdu in an English document stay in Naskh.
    english_pdf = render(samples.plan(goals=goals))
    assert not any("Nastaliq" in f for f in read_pdf(english_pdf).fonts)
