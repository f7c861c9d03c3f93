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
    change = page.change  # wellbeing and physical health, first against last
    assert change.rowCount() == max(1, len(report.changes))
    if report.changes:
        first = report.changes[0]
        assert change.item(0, 0).text() == first.label
        assert change.item(0, 1).text() == str(first.people)

    page.period.setCurrentIndex(2)  # all time: counted again
    qtbot.waitUntil(lambda: page.last is not None and page.last.since is None)

    target = tmp_path / "figures.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    page.save.click()
    qtbot.waitUntil(target.exists)
    assert "referrals by source" in target.read_text(encoding="utf-8")


def test_page_chosen_dates_equality_and_pdf(demo_ctx: Any, qtbot: Any, immediate_tasks: None,
                                            tmp_path: Path, monkeypatch: Any) -> None:
    from datetime import date

    from pypdf import PdfReader
    from PySide6.QtCore import QDate

    page = ReportsPage()
    qtbot.addWidget(page)
    page.attach(demo_ctx)
    page.resize(1200, 900)
    page.show()
    qtbot.waitUntil(lambda: page.last is not None)
    page.period.setCurrentIndex(page.period.findData("custom"))
    assert page.since.isVisible() and page.until.isVisible()
    page.since.setDate(QDate(2020, 1, 1))
    page.until.setDate(QDate.currentDate())
    qtbot.waitUntil(lambda: page.last is not None and page.last.since == date(2020, 1, 1))
    assert page.equality.rowCount() > 3
    assert any(page.equality.item(r, 0).text().startswith("Ethnic category: ")
               for r in range(page.equality.rowCount()))
    assert not page.grab().isNull()  # painted (look at it by saving it)
    page.until.setDate(QDate(2019, 1, 1))  # before the first day: said, nothing crashes
    qtbot.waitUntil(lambda: "before the first" in page.scope.text())
    page.until.setDate(QDate.currentDate())
    qtbot.waitUntil(lambda: page.save_pdf.isEnabled())
    target = tmp_path / "figures.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "")))
    page.save_pdf.click()
    qtbot.waitUntil(target.exists)
    text = "".join(p.extract_text() for p in PdfReader(target).pages)
    assert "Team figures" in text and "Referred, by ethnic category" in text


def test_calendar_periods() -> None:
    from datetime import date

    import pytest

    from wellbeing_desktop.services import reports
    from wellbeing_desktop.services.errors import ValidationError

    today = date(2026, 11, 24)
    assert reports.period_span("quarter", today)[1:] == (date(2026, 10, 1), today)
    assert reports.period_span("last_quarter", today)[1:] == (date(2026, 7, 1),
                                                               date(2026, 9, 30))
    assert reports.period_span("financial_year", date(2027, 2, 1))[1] == date(2026, 4, 1)
    assert reports.period_span("last_quarter", date(2026, 2, 3))[1:] == (date(2025, 10, 1),
                                                                        date(2025, 12, 31))
    with pytest.raises(ValidationError):
        reports.period_span("custom", today, date(2026, 5, 1), date(2026, 4, 1))
