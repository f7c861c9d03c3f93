"""At start-up, say in the status bar when the computer's clock is behind the records (hazard
log H12): what is due today and the times of new records follow the clock."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wellbeing_desktop.services import integrity
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.operations import Op, read

SHOW_MS = 120_000


def check_clock(window: Any, ctx: AppContext, now: datetime | None = None) -> Op[str | None]:
    def report(problem: str | None) -> None:
        if problem:
            window.statusBar().showMessage(problem, SHOW_MS)

    return read(integrity.clock_problem, ctx, now).on_success(report) \
        .on_error(lambda _exc: None).start()
