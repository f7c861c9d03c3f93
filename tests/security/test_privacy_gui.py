"""The client record's Privacy tab, through real widgets: subject access export to a chosen
folder, corrections with their history, supervisor-only two-step erasure; and the opening of a
record through the GUI being audited."""

from __future__ import annotations

import io
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from sec_helpers import PASS_HANNAH
from sqlalchemy import select

from wellbeing_desktop.services import audit, auth
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.storage.models import Client
from wellbeing_desktop.storage.models.audit import Amendment
from wellbeing_desktop.ui.client_record import ClientRecord, open_client
from wellbeing_desktop.ui.panels.privacy import PrivacyPanel


def _cid(ctx: AppContext) -> uuid.UUID:
    return uuid.UUID(ctx.client_id)  # type: ignore[attr-defined]


def _open_privacy(qtbot: Any, ctx: AppContext, cid: uuid.UUID) -> tuple[ClientRecord, PrivacyPanel]:
    record = open_client(ctx, cid)
    panel = next(p for p in record.panels if isinstance(p, PrivacyPanel))
    record.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: not record.is_loading() and not panel.is_loading(), timeout=10_000)
    return record, panel


@pytest.fixture(autouse=True)
def _close_records() -> Any:
    """Record windows delete themselves on close; close whatever a test left open."""
    yield
    from wellbeing_desktop.ui import client_record

    for record in list(client_record._open.values()):
        record.close()


def _actions(ctx: AppContext, client_id: uuid.UUID) -> list[str]:
    return [e.action for e in audit.list_events(ctx, audit.AuditFilter(client_id=str(client_id)))]


@pytest.mark.safety
def test_opening_a_record_in_the_gui_is_audited_as_a_view(qtbot, secure_ctx: AppContext,  # type: ignore[no-untyped-def]
                                                          immediate_tasks) -> None:
    cid = _cid(secure_ctx)
    assert "client.view" not in _actions(secure_ctx, cid)
    record, _panel = _open_privacy(qtbot, secure_ctx, cid)
    assert "Quillfeather" in record.heading.text()
    views = [e for e in audit.list_events(secure_ctx, audit.AuditFilter(client_id=str(cid)))
             if e.action == "client.view"]
    assert len(views) == 1 and views[0].actor_name == "Sam Okoye"
    # Refreshing after a change does not count as another view; opening it again does.
    record.refresh()
    assert _actions(secure_ctx, cid).count("client.view") == 1
    record.close()
    _open_privacy(qtbot, secure_ctx, cid)
    assert _actions(secure_ctx, cid).count("client.view") == 2


def test_subject_access_export_saves_pdf_and_json_where_chosen(qtbot, secure_ctx: AppContext,  # type: ignore[no-untyped-def]
                                                               immediate_tasks, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    cid = _cid(secure_ctx)
    _record, panel = _open_privacy(qtbot, secure_ctx, cid)
    chosen = tmp_path / "for-the-client"
    chosen.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(chosen))
    assert panel.export_button.isEnabled()
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    pdfs, jsons = list(chosen.glob("*.pdf")), list(chosen.glob("*.json"))
    assert len(pdfs) == 1 and len(jsons) == 1 and not list(chosen.glob("*.partial"))
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdfs[0].read_bytes())).pages)
    assert "Zebediah Quillfeather" in text
    data = json.loads(jsons[0].read_bytes())
    assert data["client_id"] == str(cid) and data["data"]["client"]["phone"] == "07700 900123"
    assert pdfs[0].name in panel.export_note.text()
    assert _actions(secure_ctx, cid)[0] == "subject_access_export"


def test_cancelling_the_folder_choice_exports_nothing(qtbot, secure_ctx: AppContext,  # type: ignore[no-untyped-def]
                                                      immediate_tasks,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cid = _cid(secure_ctx)
    _record, panel = _open_privacy(qtbot, secure_ctx, cid)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: "")
    qtbot.mouseClick(panel.export_button, Qt.MouseButton.LeftButton)
    assert "subject_access_export" not in _actions(secure_ctx, cid)


def test_correction_needs_a_reason_then_shows_in_the_history(qtbot, secure_ctx: AppContext,  # type: ignore[no-untyped-def]
                                                             immediate_tasks) -> None:
    cid = _cid(secure_ctx)
    _record, panel = _open_privacy(qtbot, secure_ctx, cid)
    panel.field.setCurrentIndex(panel.field.findData("phone"))
    assert panel.current.text() == "07700 900123"
    qtbot.keyClicks(panel.new_value, "07700 900456")
    qtbot.mouseClick(panel.amend_button, Qt.MouseButton.LeftButton)
    # No reason: the reason field says so, the typed value stays, nothing changed.
    assert panel.new_value.text() == "07700 900456"
    problems = [w.text() for w in panel.findChildren(type(panel.current))
                if w.objectName() == "fieldError" and w.isVisibleTo(panel)]
    assert problems == ["Say why the record is being corrected."]
    with secure_ctx.store.read() as s:
        assert s.execute(select(Amendment)).first() is None
    qtbot.keyClicks(panel.reason, "moved house, confirmed by phone")
    qtbot.mouseClick(panel.amend_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.history.rowCount() == 1 and not panel.is_loading())
    row = [panel.history.item(0, c).text() for c in range(panel.history.columnCount())]
    assert row[1:] == ["Phone", "07700 900123", "07700 900456",
                       "moved house, confirmed by phone", "Sam Okoye"]
    assert panel.current.text() == "07700 900456"
    assert panel.new_value.text() == "" and panel.reason.text() == ""
    with secure_ctx.store.read() as s:
        client = s.get(Client, cid)
        assert client is not None and client.phone == "07700 900456"
    assert _actions(secure_ctx, cid)[0] == "amend"


def test_practitioners_see_why_export_and_erasure_are_not_theirs(qtbot, secure_ctx: AppContext,  # type: ignore[no-untyped-def]
                                                                 immediate_tasks, data_dir: Path) -> None:
    hannah = auth.login(data_dir, "hannah", PASS_HANNAH)
    try:
        record, panel = _open_privacy(qtbot, hannah, _cid(secure_ctx))
        record.show()
        assert not panel.export_button.isEnabled()
        assert not panel.erase_button.isEnabled()
        assert "Only a supervisor can erase" in panel.erase_note.text()
        assert "Only a supervisor can export" in panel.export_note.text()
        assert panel.erase_note.isVisible() and panel.export_note.isVisible()
        assert panel.start_erase() is None  # even when called directly, nothing opens
        # Corrections are for everyone.
        assert panel.amend_button.isEnabled()
        record.close()
    finally:
        hannah.close()


def test_erasure_takes_two_steps_and_leaves_a_tombstone(qtbot, secure_ctx: AppContext,  # type: ignore[no-untyped-def]
                                                        immediate_tasks) -> None:
    cid = _cid(secure_ctx)
    record, panel = _open_privacy(qtbot, secure_ctx, cid)
    record.show()
    qtbot.mouseClick(panel.erase_button, Qt.MouseButton.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if w.objectName() == "eraseClient" and w.isVisible())
    shown = " ".join(w.text() for w in dialog.findChildren(type(panel.current)) if w.isVisible())
    assert "tombstone" in shown and "central records" in shown
    # Step 1: a reason is required.
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert dialog.steps.currentIndex() == 0
    qtbot.keyClicks(dialog.reason, "erasure request received, identity checked")
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    assert dialog.steps.currentIndex() == 1
    # Step 2: only the family name, typed, enables the button.
    assert not dialog.erase_button.isEnabled()
    qtbot.keyClicks(dialog.confirm, "Quill")
    assert not dialog.erase_button.isEnabled()
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    with secure_ctx.store.read() as s:
        assert s.get(Client, cid).deleted_at is None  # type: ignore[union-attr]
    qtbot.keyClicks(dialog.confirm, "feather")
    assert dialog.erase_button.isEnabled()
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not record.isVisible())
    with secure_ctx.store.read() as s:
        client = s.get(Client, cid)
        assert client is not None and client.deleted_at is not None
        assert client.family_name in ("", None) and client.phone in ("", None)
    assert _actions(secure_ctx, cid)[0] == "erase"


def test_cancelling_an_erasure_changes_nothing(qtbot, secure_ctx: AppContext,  # type: ignore[no-untyped-def]
                                               immediate_tasks) -> None:
    cid = _cid(secure_ctx)
    _record, panel = _open_privacy(qtbot, secure_ctx, cid)
    dialog = panel.start_erase()
    qtbot.keyClicks(dialog.reason, "changed my mind")
    qtbot.mouseClick(dialog.continue_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    with secure_ctx.store.read() as s:
        client = s.get(Client, cid)
        assert client is not None and client.deleted_at is None
        assert client.family_name == "Quillfeather"
    assert "erase" not in _actions(secure_ctx, cid)


def test_retention_report_in_security_settings(qtbot, secure_ctx: AppContext,  # type: ignore[no-untyped-def]
                                               immediate_tasks, data_dir: Path) -> None:
    from datetime import timedelta

    from sqlalchemy import update

    from wellbeing_desktop.services import privacy
    from wellbeing_desktop.storage.types import utcnow
    from wellbeing_desktop.ui.settings.security import SecuritySection

    cid = _cid(secure_ctx)
    long_ago = utcnow() - timedelta(days=365 * 3)
    with secure_ctx.store.session() as s:  # a record untouched for three years
        s.execute(update(Client).where(Client.id == cid).values(updated_at=long_ago))
        for table in privacy._client_tables():
            if "updated_at" in table.c:
                s.execute(update(table).where(privacy._match(table, cid))
                          .values(updated_at=long_ago))
    section = SecuritySection()
    qtbot.addWidget(section)
    section.show()
    section.attach(secure_ctx)
    box = section.retention
    assert section.retention_frame.isVisible() and box.years.value() == 20
    qtbot.mouseClick(box.show_button, Qt.MouseButton.LeftButton)
    assert box.table.rowCount() == 0 and "No record is past the 20-year" in box.status.text()
    box.years.setValue(2)
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    assert secure_ctx.settings.section("security")["retention_years"] == 2
    qtbot.mouseClick(box.show_button, Qt.MouseButton.LeftButton)
    assert box.table.rowCount() == 1 and box.table.item(0, 0).text() == str(cid)
    assert "1 record past the 2-year period" in box.status.text()
    # Practitioners do not see it.
    hannah = auth.login(data_dir, "hannah", PASS_HANNAH)
    try:
        other = SecuritySection()
        qtbot.addWidget(other)
        other.show()
        other.attach(hannah)
        assert not other.retention_frame.isVisible()
    finally:
        hannah.close()
