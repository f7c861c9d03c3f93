"""Course documents and handouts print through the same background job as plans: a course
document is recorded only when every page went out, never when Cancel was pressed."""

from __future__ import annotations

from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QProgressDialog, QPushButton

from wellbeing_desktop.services import audit
from wellbeing_desktop.ui.courses.courses_dialog import CoursesDialog
from wellbeing_desktop.ui.print_preview import print_job, printing


def register_prints(ctx: Any) -> list[Any]:
    return audit.list_events(ctx, audit.AuditFilter(action="course.register.printed"))


def test_a_register_is_recorded_only_when_it_printed(
        demo_ctx: Any, qtbot: Any, immediate_tasks: None, pdf_printer: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    target = pdf_printer.target
    screen = CoursesDialog(demo_ctx)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.selected() is not None, timeout=20_000)
    before = len(register_prints(demo_ctx))
    real, calls, cancel_at = printing.render_pages, [], [2]

    def render(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == cancel_at[0]:  # Cancel pressed in the progress dialog
            [progress] = [d for d in screen.findChildren(QProgressDialog) if d.isVisible()
                          or not d.wasCanceled()]
            [button] = progress.findChildren(QPushButton)
            button.click()
        return real(*args, **kwargs)

    monkeypatch.setattr(printing, "render_pages", render)
    screen.print_document("register")
    qtbot.waitUntil(lambda: "stopped" in screen.message.text(), timeout=30_000)
    assert screen.message.text() == print_job.STOPPED and len(calls) == 2
    assert len(register_prints(demo_ctx)) == before and not target.exists()

    calls.clear()
    cancel_at[0] = 0                                 # this time nobody presses Cancel
    screen.print_document("register")
    qtbot.waitUntil(lambda: screen.message.text().startswith("Printed:"), timeout=30_000)
    assert len(register_prints(demo_ctx)) == before + 1
    assert len(PdfReader(target).pages) == len(calls) >= 2
