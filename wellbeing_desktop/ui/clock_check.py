"""At start-up, say in the status bar when the computer's clock is behind the records (hazard
log H12): what is due today and the times of new records follow the clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wellbeing_desktop.services import integrity
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.worker import Task

SHOW_MS = 120_000


def check_clock(window: Any, ctx: AppContext, now: datetime | None = None) -> Task:
    def report(problem: str | None) -> None:
        if problem:
            window.statusBar().showMessage(problem, SHOW_MS)

    return Task(integrity.clock_problem, ctx, now).on_success(report) \
        .on_error(lambda _exc: None).start()
