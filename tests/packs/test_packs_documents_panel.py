"""The Documents tab: defaults from communication needs, preview from memory, print, save, history."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import list_clients
from wellbeing_desktop.storage.models import Client

pytestmark = pytest.mark.usefixtures("immediate_tasks")


@pytest.fixture
def panel(qtbot: object, demo_ctx: AppContext) -> object:
    from wellbeing_desktop.ui.panels.documents import DocumentsPanel

    cid = list_clients(demo_ctx, limit=1)[0].id
    with demo_ctx.store.session() as s:
        s.execute(update(Client).where(Client.id == cid).values(document_format="easy_read"))
    widget = DocumentsPanel()
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.resize(1200, 800)
    widget.show()
    widget.set_client(demo_ctx, cid)
    return widget


@pytest.mark.safety
def test_variant_defaults_to_the_recorded_format(panel: object) -> None:
    assert panel.variant.currentData() == "easy-read"  # type: ignore[attr-defined]
    assert panel.language.currentData() == "en"  # type: ignore[attr-defined]


def test_preview_is_made_as_soon_as_the_tab_shows(panel: object, qtbot: object,
                                                  tmp_path: Path) -> None:
    # No button to press: the worker makes the document and its pages once the defaults are in.
    qtbot.waitUntil(lambda: bool(panel.preview.images), timeout=20_000)  # type: ignore
    assert panel.document is not None and panel.document.pages >= 2  # type: ignore[attr-defined]
    assert panel.document.choice.variant == "easy-read"  # type: ignore[attr-defined]
    assert len(panel.preview.images) == panel.document.pages  # type: ignore[attr-defined]
    assert panel.preview.images[0].width() > 300  # type: ignore[attr-defined]
    assert not panel.preview.busy_bar.isVisible()  # type: ignore[attr-defined]
    panel.grab().save(str(tmp_path / "documents.png"))  # type: ignore[attr-defined]


def test_a_hidden_tab_makes_no_document(qtbot: object, demo_ctx: AppContext) -> None:
    from wellbeing_desktop.ui.panels.documents import DocumentsPanel

    widget = DocumentsPanel()
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.set_client(demo_ctx, list_clients(demo_ctx, limit=1)[0].id)
    qtbot.wait(400)  # type: ignore[attr-defined]
    assert widget.document is None and not widget.preview.images


def test_changing_the_choice_remakes_the_preview(panel: object, qtbot: object) -> None:
    qtbot.waitUntil(lambda: panel.document is not None, timeout=20_000)  # type: ignore
    # The tab opens on what the client's stage needs; move to another kind, then to the letter.
    first = panel.document.choice.kind  # type: ignore[attr-defined]
    other = "plan" if first != "plan" else "leaflet"
    panel.kind.setCurrentIndex(panel.kind.findData(other))  # type: ignore[attr-defined]
    assert panel.document is None  # type: ignore[attr-defined]  # the old preview is gone
    qtbot.waitUntil(lambda: panel.document is not None, timeout=20_000)  # type: ignore
    assert panel.document.choice.kind == other  # type: ignore[attr-defined]
    assert not panel.recipient.isVisibleTo(panel)  # type: ignore[attr-defined]
    panel.kind.setCurrentIndex(panel.kind.findData("discharge"))  # type: ignore[attr-defined]
    assert panel.document is None and panel.recipient.isEnabled()  # type: ignore[attr-defined]
    assert panel.recipient.isVisibleTo(panel)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: panel.document is not None, timeout=20_000)  # type: ignore
    assert panel.document.choice.kind == "discharge"  # type: ignore[attr-defined]


def test_history_headers_are_not_clipped(panel: object, qtbot: object,
                                        demo_ctx: AppContext) -> None:
    from wellbeing_desktop.services import packs

    cid = panel.client_id  # type: ignore[attr-defined]
    for kind, recipient in (("plan", "person"), ("discharge", "referrer")):
        doc = packs.build_document(demo_ctx, cid, packs.DocumentChoice(
            kind=kind, variant="large-print", recipient=recipient))
        packs.record_printed(demo_ctx, doc, "saved")
    panel.resize(1240, 740)  # type: ignore[attr-defined]  # the tab in a 1280×860 record
    panel.refresh()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: panel.history.rowCount() == 2, timeout=20_000)  # type: ignore
    qtbot.waitUntil(lambda: not panel.is_loading(), timeout=20_000)  # type: ignore
    table = panel.history  # type: ignore[attr-defined]
    header = table.horizontalHeader()
    metrics = header.fontMetrics()
    for col in range(table.columnCount()):
        text = table.horizontalHeaderItem(col).text()
        assert header.sectionSize(col) >= metrics.horizontalAdvance(text) + 8, text


def test_save_as_pdf_writes_the_file_and_records_it(panel: object, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    target = tmp_path / "plan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "PDF (*.pdf)")))
    panel.save_button.click()  # type: ignore[attr-defined]
    saved = target.with_suffix(".pdf").read_bytes()
    assert saved == panel.document.pdf  # type: ignore[attr-defined]
    assert panel.history.rowCount() == 1  # type: ignore[attr-defined]
    assert "saved as PDF" in panel.history.item(0, 1).text()  # type: ignore[attr-defined]


@pytest.mark.safety
def test_printing_paints_every_page_in_one_job(panel: object, pdf_printer: Any) -> None:
    """A real QPrinter writing to a PDF file stands in for the system printer."""
    panel.print_button.click()  # type: ignore[attr-defined]
    printed = PdfReader(io.BytesIO(pdf_printer.target.read_bytes()))
    assert len(printed.pages) == panel.document.pages  # type: ignore[attr-defined]
    assert panel.history.rowCount() == 1  # type: ignore[attr-defined]
    assert panel.status.text() == "Printed and recorded."  # type: ignore[attr-defined]
    jobs = pdf_printer.jobs   # the job the person confirms in the dialog
    assert len(jobs) == 1 and jobs[0].endswith(f"for {panel.options.first_name}")  # type: ignore


@pytest.mark.safety
def test_unprintable_name_is_shown_before_printing(panel: object, demo_ctx: AppContext,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    called = []
    monkeypatch.setattr("wellbeing_desktop.ui.print_preview.print_job.ask_for_printer",
                        lambda *a: called.append(a) or False)
    with demo_ctx.store.session() as s:
        s.execute(update(Client).where(Client.id == panel.client_id)  # type: ignore[attr-defined]
                  .values(preferred_name="ሰላም ዓለም"))
    panel.print_button.click()  # type: ignore[attr-defined]
    assert not called
    assert panel.error.isVisible() or panel.error.text()  # type: ignore[attr-defined]
    assert "Ethiopic" in panel.error.text()  # type: ignore[attr-defined]


@pytest.mark.parametrize("status,kind", [("referred", "leaflet"), ("active", "plan"),
                                         ("discharged", "discharge")])
def test_document_defaults_to_what_the_stage_needs(qtbot: object, demo_ctx: AppContext,
                                                   status: str, kind: str) -> None:
    from wellbeing_desktop.ui.panels.documents import DocumentsPanel

    cid = next(c.id for c in list_clients(demo_ctx) if c.status == status)
    widget = DocumentsPanel()
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.show()
    widget.set_client(demo_ctx, cid)
    qtbot.waitUntil(lambda: widget.document is not None, timeout=20_000)  # type: ignore
    assert widget.kind.currentData() == kind and widget.document.choice.kind == kind
