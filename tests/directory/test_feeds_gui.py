"""pytest-qt: two council feeds on the Directory page — clean detail, feeds and data quality."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import council_feeds as cf
from PySide6.QtCore import Qt

from wellbeing_desktop.services import directory


def _import_two(ctx: Any, tmp_path: Path) -> None:
    km = tmp_path / "kingsmere.json"
    km.write_text(json.dumps(cf.oruk3_page("kingsmere", 24)), encoding="utf-8")
    ev = tmp_path / "eastvale.json"
    ev.write_text(json.dumps([cf.hsds3_service("eastvale", n) for n in range(6)]),
                  encoding="utf-8")
    directory.import_feed(ctx, km, feed="Kingsmere Council")
    directory.import_feed(ctx, ev, feed="Eastvale Council")


def test_detail_pane_shows_clean_text_who_for_how_and_cost(
        qtbot: Any, ctx: Any, tmp_path: Path, immediate_tasks: None) -> None:
    from wellbeing_desktop.ui.pages.directory import DirectoryPage

    _import_two(ctx, tmp_path)
    page = DirectoryPage()
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    page.attach(ctx)
    assert page.count.text() == "30 services"
    page.search.setText("bailiffs eastvale")
    page.refresh()
    shown = page.detail.text.toPlainText()
    assert "<p>" not in shown and "&nbsp;" not in shown and "&amp;" not in shown
    assert "• Dealing with bailiffs" in shown
    assert "Who it is for" in shown and "Adults living in the borough." in shown
    assert "How to get help" in shown and "no referral needed" in shown
    assert "Cost" in shown and ("Free" in shown or "Charged: £30" in shown)
    assert "Eastvale Council" in shown
    page.grab().save(str(tmp_path / "directory-feeds.png"))
    # The Free filter: only services whose feed says free.
    page.search.clear()
    page.free.setChecked(True)
    page.refresh()
    frees = {page.model.hit(r).id for r in range(page.model.rowCount())}
    assert frees and all(directory.get_service(ctx, i).cost.state.value == "free"
                         for i in frees)


def test_feeds_dialog_lists_feeds_quality_and_saves_csv(
        qtbot: Any, ctx: Any, tmp_path: Path, immediate_tasks: None,
        monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from wellbeing_desktop.ui.directory.feeds_dialog import FeedsDialog

    _import_two(ctx, tmp_path)
    dialog = FeedsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert names == ["Eastvale Council", "Kingsmere Council"]
    assert dialog.table.item(1, 1).text() == "24"
    text = dialog.quality.toPlainText()
    assert "Kingsmere Council: 24 on offer" in text and "no opening times" in text
    dialog.grab().save(str(tmp_path / "feeds-dialog.png"))
    target = tmp_path / "quality.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    csv_text = target.read_text(encoding="utf-8")
    assert csv_text.startswith("feed,oruk_id,service,no phone,no address")
    assert "Kingsmere Council" in csv_text
    # Remove a feed: its services are withdrawn, the other council's stay.
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.remove, Qt.MouseButton.LeftButton)
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == [
        "Kingsmere Council"]
    assert directory.count(ctx) == 24
