"""The Sync page and the Sync settings section, driven through real widgets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from enrolment_helpers import merge_enrolled
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from sync_helpers import Keys, add_client

from wellbeing_desktop.services import sync
from wellbeing_desktop.ui.bus import bus
from wellbeing_desktop.ui.pages.sync import SyncPage
from wellbeing_desktop.ui.settings.sync import SyncSection


def _page(qtbot: Any, ctx: Any) -> SyncPage:
    page = SyncPage()
    qtbot.addWidget(page)
    page.show()
    page.attach(ctx)
    # As the main window does: the app-wide signal reaches the page.
    bus().data_changed.connect(page.on_data_changed)
    page.destroyed.connect(lambda *_: None)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=10_000)
    return page


@pytest.mark.safety
def test_page_shows_pending_and_exports_then_acknowledges(
        qtbot: Any, demo_ctx: Any, immediate_tasks: None, keys: Keys, tmp_path: Path,
        monkeypatch: Any, qtmodeltester: Any) -> None:
    page = _page(qtbot, demo_ctx)
    assert not page.export_button.isEnabled()  # no central key yet
    assert "Not set" in page.key_label.text()
    sync.set_central_key(demo_ctx, keys.public)
    page.refresh()
    status = sync.status(demo_ctx)
    assert page.pending_figure.text() == f"{status.pending_total:,}"
    assert "measure administrations" in page.pending_detail.text()
    assert page.export_button.isEnabled() and "fingerprint" in page.key_label.text()

    # The demo town has two earlier exports, the older acknowledged.
    assert page.model.rowCount() == 2
    assert page.model.index(0, 5).data() == "Waiting for acknowledgement"
    assert page.model.index(1, 5).data().startswith("Received")
    assert page.waiting_figure.text() == "1"

    target = tmp_path / "to-centre"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    bundle = target.with_name("to-centre.wbsync")
    assert bundle.exists()
    assert "Exported" in page.message.text() and str(bundle) in page.message.text()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5_000)
    qtmodeltester.check(page.model)
    assert page.model.index(0, 5).data() == "Waiting for acknowledgement"
    assert page.waiting_figure.text() == "2"

    # The centre never saw the demo's invented earlier exports: send everything first.
    page.full_box.setChecked(True)
    page.export_to(tmp_path / "everything.wbsync")
    assert page.full_box.isChecked() and "Exported" in page.message.text()
    [out] = merge_enrolled([tmp_path / "everything.wbsync"],
                               str(tmp_path / "central.sqlite3"), keys.private)
    assert out.ok, out.error
    monkeypatch.setattr(QFileDialog, "getOpenFileNames",
                        staticmethod(lambda *a, **k: ([str(out.ack)], "")))
    qtbot.mouseClick(page.ack_button, Qt.MouseButton.LeftButton)
    assert page.message.text().startswith("1 export acknowledged")
    qtbot.waitUntil(lambda: page.waiting_figure.text() == "0", timeout=5_000)
    assert page.model.index(0, 5).data().startswith("Received")
    # The exports it covered are no longer waiting.
    assert [page.model.index(r, 5).data() for r in (1, 2)] == ["Covered by a later export"] * 2
    assert page.pending_figure.text() == "0"
    assert page.pending_detail.text() == "Everything has been sent and acknowledged."
    assert page.waiting_detail.text() == "The centre has confirmed every export."
    page.grab().save(str(tmp_path / "sync-page.png"))


def test_a_bad_acknowledgement_is_explained(qtbot: Any, ctx: Any, immediate_tasks: None,
                                            tmp_path: Path) -> None:
    page = _page(qtbot, ctx)
    junk = tmp_path / "junk.ack.json"
    junk.write_text("{}")
    page.import_acks([junk])
    assert page.message.text().startswith("Acknowledgement not recorded")
    assert page.message.objectName() == "fieldError"


def test_export_failure_leaves_nothing_and_says_so(qtbot: Any, ctx: Any, immediate_tasks: None,
                                                   keys: Keys, tmp_path: Path) -> None:
    sync.set_central_key(ctx, keys.public)
    add_client(ctx)
    page = _page(qtbot, ctx)
    page.export_to(tmp_path / "missing-folder" / "x.wbsync")
    assert "Export failed" in page.message.text() and "does not exist" in page.message.text()
    assert sync.history(ctx) == []
    assert page.export_button.isEnabled() and not page.progress.isVisible()


def test_settings_section_validates_inline_and_keeps_what_was_typed(
        qtbot: Any, ctx: Any, keys: Keys, immediate_tasks: None) -> None:
    section = SyncSection()
    qtbot.addWidget(section)
    section.show()
    section.attach(ctx)
    assert "No key set" in section.fingerprint.text()
    section.key.setText("not-a-key")
    section.save()
    assert section.saved.text() != "Saved."
    assert section.key.text() == "not-a-key"
    assert section.errors._labels["central_public_key"].isVisible()
    assert sync.central_key_text(ctx) == ""
    section.key.setText(keys.public.split(":", 1)[1])  # the bare form is accepted too
    qtbot.mouseClick(section.save_button, Qt.MouseButton.LeftButton)
    assert section.saved.text() == "Saved."
    assert sync.central_key_text(ctx) == keys.public
    assert section.fingerprint.text().startswith("Fingerprint: ")
    assert section.key.accessibleName() == "Central public key"


def test_a_key_set_in_one_settings_file_does_not_leak_into_defaults(ctx: Any, keys: Keys) -> None:
    from wellbeing_desktop.services.settings import DEFAULTS

    sync.set_central_key(ctx, keys.public)
    assert DEFAULTS["sync"]["central_public_key"] == ""


def test_counts_read_as_words_with_plurals() -> None:
    from wellbeing_desktop.services import sync

    assert sync.entity_label("practitioners", 1) == "1 practitioner"
    assert sync.entity_label("practitioners", 2) == "2 practitioners"
    assert sync.entity_label("signposting_follow_ups", 1) == "1 signposting follow-up"
    assert sync.entity_label("dir_taxonomies", 1) == "1 directory taxonomy"
    assert sync.entity_label("dir_addresses", 1) == "1 directory address"
    assert sync.entity_label("referral_status_changes", 1_611) == "1,611 referral status changes"
    assert sync.entity_label("dir_accessibility", 1) == "1 directory accessibility record"
    text, every = sync.pending_summary({"clients": 1, "practitioners": 1, "referrals": 5,
                                        "goals": 2, "appointments": 3})
    assert text == "5 referrals, 3 appointments, 2 goals and 2 other kinds of record."
    assert every.splitlines()[-2:] == ["1 client", "1 practitioner"]
    assert sync.pending_summary({})[0] == "Everything has been sent and acknowledged."


def test_page_shows_the_fingerprint_and_writes_the_enrolment_file(
        qtbot: Any, ctx: Any, immediate_tasks: None, tmp_path: Path, monkeypatch: Any) -> None:
    page = _page(qtbot, ctx)
    fingerprint = sync.this_device(ctx).fingerprint
    assert fingerprint.replace(" ", "\u00a0") in page.device_label.text()
    target = tmp_path / "clinic.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    qtbot.mouseClick(page.enrol_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: target.exists(), timeout=5_000)
    assert fingerprint in page.message.text() and str(target) in page.message.text()
    # What the centre reads from it is this computer.
    entry, new = sync.central_enrol(target, str(tmp_path / "central.sqlite3"), by="tests")
    assert new and (entry.device_id, entry.fingerprint) == (ctx.store.device_id, fingerprint)
