"""What the GUI does with a client's data reaches the audit log: opening a record (see
test_privacy_gui.py), printing and saving a document from the Documents tab, and exporting a
bundle for central records from the Sync page. Real widgets, real services, real files."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from wellbeing_desktop.services import audit, clients, sync
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.panels.documents import DocumentsPanel
from wellbeing_desktop.ui.print_preview import print_job


def _events(ctx: AppContext, **flt: str) -> list[Any]:
    return audit.list_events(ctx, audit.AuditFilter(**flt), limit=50)


def _documents_panel(qtbot: Any, ctx: AppContext) -> tuple[DocumentsPanel, uuid.UUID]:
    cid = clients.list_clients(ctx)[0].id
    panel = DocumentsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_client(ctx, cid)
    qtbot.waitUntil(lambda: not panel.is_loading(), timeout=20_000)
    return panel, cid


def test_saving_a_document_from_the_documents_tab_is_audited(
        qtbot: Any, demo_ctx: AppContext, immediate_tasks: None, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    panel, cid = _documents_panel(qtbot, demo_ctx)
    target = tmp_path / "plan.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_loading(), timeout=20_000)
    assert target.read_bytes().startswith(b"%PDF")
    [event] = _events(demo_ctx, action="document.saved", client_id=str(cid))
    assert event.entity == "printed_document" and event.actor_name == demo_ctx.actor.name


def test_printing_a_document_from_the_documents_tab_is_audited(
        qtbot: Any, demo_ctx: AppContext, immediate_tasks: None, pdf_printer: Any) -> None:
    # No printer offscreen: the print dialog is replaced by one where the person chose a PDF
    # file and pressed Print; the pages are really painted on it.
    target = pdf_printer.target
    panel, cid = _documents_panel(qtbot, demo_ctx)
    assert _events(demo_ctx, action="document.printed", client_id=str(cid)) == []
    qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_loading(), timeout=20_000)
    assert target.read_bytes().startswith(b"%PDF")
    assert len(_events(demo_ctx, action="document.printed", client_id=str(cid))) == 1


def test_a_print_cancelled_in_the_dialog_is_not_recorded(
        qtbot: Any, demo_ctx: AppContext, immediate_tasks: None,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(print_job, "ask_for_printer", lambda *_a: False)
    panel, cid = _documents_panel(qtbot, demo_ctx)
    qtbot.mouseClick(panel.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.is_loading(), timeout=20_000)
    assert _events(demo_ctx, action="document.printed", client_id=str(cid)) == []


def test_exporting_a_bundle_from_the_sync_page_is_audited(
        qtbot: Any, demo_ctx: AppContext, immediate_tasks: None, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from wellbeing_desktop.ui.pages.sync import SyncPage

    made = sync.keygen(tmp_path / "central-keys")
    sync.set_central_key(demo_ctx, made.public_text)
    page = SyncPage()
    qtbot.addWidget(page)
    page.show()
    page.attach(demo_ctx)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=20_000)
    target = tmp_path / "to-centre"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=20_000)
    assert target.with_name("to-centre.wbsync").exists()
    [event] = _events(demo_ctx, action="sync.export")
    assert event.entity == "export" and event.actor_name == demo_ctx.actor.name
    # A bundle holds many clients: the event names the export, not each client.
    assert event.client_id == ""
