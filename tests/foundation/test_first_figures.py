"""Today's first figures, read from the file before the store is open (start-up speed)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from wellbeing_desktop.services import today
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.first_figures import FirstFigures, read_first_figures
from wellbeing_desktop.storage import paths


def test_the_narrow_read_gives_the_same_figures_as_the_summary(demo_ctx: AppContext,
                                                              data_dir: Path) -> None:
    full = today.summary(demo_ctx)
    first = read_first_figures(data_dir)
    assert first == FirstFigures(full.clients_by_status, full.waiting_first_contact)
    assert sum(first.clients_by_status.values()) > 0


def test_it_stands_aside_when_it_could_be_wrong(ctx: AppContext, data_dir: Path,
                                                tmp_path: Path) -> None:
    assert read_first_figures(tmp_path / "nothing-here") is None
    ctx.close()
    db = paths.database_path(data_dir)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '0000'")  # about to be migrated
    conn.commit()
    conn.close()
    assert read_first_figures(data_dir) is None
    (data_dir / "keyring.json").write_text("{}")  # encrypted: nobody has signed in
    assert read_first_figures(data_dir) is None


def test_the_window_shows_them_on_today_before_the_store_is_open(qtbot: Any,
                                                                 demo_ctx: AppContext,
                                                                 data_dir: Path) -> None:
    from wellbeing_desktop.ui.main_window import MainWindow

    window = MainWindow(demo_ctx.settings)
    qtbot.addWidget(window)
    window.show()
    window.show_first_figures(read_first_figures(data_dir))
    page = window.pages["today"]
    assert window.ctx is None and page.ctx is None
    expected = today.summary(demo_ctx)
    assert page.figures["active"].text() == str(expected.clients_by_status.get("active", 0))
    assert page.figures["waiting"].text() == str(expected.waiting_first_contact)


def test_work_after_the_first_paint_runs_once_and_never_waits_forever(qtbot: Any) -> None:
    from PySide6.QtWidgets import QLabel

    from wellbeing_desktop.ui.first_paint import after_first_paint

    shown, hidden = QLabel("shown"), QLabel("never shown")
    qtbot.addWidget(shown)
    qtbot.addWidget(hidden)
    ran: list[str] = []
    after_first_paint(shown, lambda: ran.append("shown"), fallback_ms=60_000)
    after_first_paint(hidden, lambda: ran.append("hidden"), fallback_ms=100)
    shown.show()
    qtbot.waitUntil(lambda: "shown" in ran, timeout=5000)
    shown.repaint()
    qtbot.waitUntil(lambda: "hidden" in ran, timeout=5000)  # no paint: the fallback ran it
    qtbot.wait(50)
    assert sorted(ran) == ["hidden", "shown"]
