"""The Documents tab: defaults from communication needs, preview from memory, print, save, history."""

from __future__ import annotations

import io
from pathlib import Path

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


def test_variant_defaults_to_the_recorded_format(panel: object) -> None:
    assert panel.variant.currentData() == "easy-read"  # type: ignore[attr-defined]
    assert panel.language.currentData() == "en"  # type: ignore[attr-defined]


def test_preview_renders_pages_from_memory(panel: object, tmp_path: Path) -> None:
    panel.preview_button.click()  # type: ignore[attr-defined]
    assert panel.document is not None and panel.document.pages >= 2  # type: ignore[attr-defined]
    assert len(panel.preview.images) == panel.document.pages  # type: ignore[attr-defined]
    assert panel.preview.images[0].width() > 300  # type: ignore[attr-defined]
    panel.grab().save(str(tmp_path / "documents.png"))  # type: ignore[attr-defined]


def test_changing_the_choice_drops_the_old_preview(panel: object) -> None:
    panel.preview_button.click()  # type: ignore[attr-defined]
    panel.kind.setCurrentIndex(panel.kind.findData("discharge"))  # type: ignore[attr-defined]
    assert panel.document is None and panel.recipient.isEnabled()  # type: ignore[attr-defined]


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


def test_printing_paints_every_page_in_one_job(panel: object, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A real QPrinter writing to a PDF file stands in for the system printer."""
    from PySide6.QtPrintSupport import QPrinter

    from wellbeing_desktop.ui.print_preview import printing

    def fake_dialog(parent: object, pdf: bytes, job_name: str) -> bool:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        printer.setResolution(72)
        printer.setDocName(job_name)
        printing.paint_pdf(printer, pdf)
        return True

    monkeypatch.setattr("wellbeing_desktop.ui.panels.documents.print_with_dialog", fake_dialog)
    panel.print_button.click()  # type: ignore[attr-defined]
    printed = PdfReader(io.BytesIO((tmp_path / "printed.pdf").read_bytes()))
    assert len(printed.pages) == panel.document.pages  # type: ignore[attr-defined]
    assert panel.history.rowCount() == 1  # type: ignore[attr-defined]
    assert panel.status.text() == "Printed and recorded."  # type: ignore[attr-defined]


def test_unprintable_name_is_shown_before_printing(panel: object, demo_ctx: AppContext,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    called = []
    monkeypatch.setattr("wellbeing_desktop.ui.panels.documents.print_with_dialog",
                        lambda *a: called.append(a) or True)
    with demo_ctx.store.session() as s:
        s.execute(update(Client).where(Client.id == panel.client_id)  # type: ignore[attr-defined]
                  .values(preferred_name="ਸਤਿ ਸ੍ਰੀ"))
    panel.print_button.click()  # type: ignore[attr-defined]
    assert not called
    assert panel.error.isVisible() or panel.error.text()  # type: ignore[attr-defined]
    assert "Gurmukhi" in panel.error.text()  # type: ignore[attr-defined]
