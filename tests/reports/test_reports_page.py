"""The Reports page shows the service's figures and saves them as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog

from wellbeing_desktop.ui.pages.reports import ReportsPage


def test_page_shows_demo_figures_and_saves_csv(demo_ctx: Any, qtbot: Any, immediate_tasks: None,
                                               tmp_path: Path, monkeypatch: Any) -> None:
    page = ReportsPage()
    qtbot.addWidget(page)
    page.attach(demo_ctx)
    page.show()
    qtbot.waitUntil(lambda: page.last is not None)
    report = page.last
    assert report is not None
    referrals = page.referrals
    last_row = referrals.rowCount() - 1
    assert referrals.item(last_row, 0).text() == "All referrals"
    assert referrals.item(last_row, 1).text() == str(report.referrals_received)
    assert report.referrals_received > 0
    assert page.services.item(0, 0).text() == report.services[0].name
    assert "whole team" in page.scope.text()

    page.period.setCurrentIndex(2)  # all time: counted again
    qtbot.waitUntil(lambda: page.last is not None and page.last.since is None)

    target = tmp_path / "figures.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    page.save.click()
    qtbot.waitUntil(target.exists)
    assert "referrals by source" in target.read_text(encoding="utf-8")
