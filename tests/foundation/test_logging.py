"""The log holds identifiers only: an error carrying a client's name never reaches it."""

from __future__ import annotations

import logging
from pathlib import Path

from wellbeing_desktop.services import logs


def test_worker_and_dialog_errors_log_type_and_place_not_message(qtbot, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                 immediate_tasks) -> None:
    from wellbeing_desktop.ui.dialogs.errors import show_error
    from wellbeing_desktop.ui.worker import Task

    log_path = logs.configure(tmp_path)

    def fails() -> None:
        raise RuntimeError("client Zebedee Quillfeather, 12 Mill Lane")

    seen: list[BaseException] = []
    Task(fails).on_error(seen.append).start()
    assert seen
    show_error(None, seen[0])
    for handler in logging.getLogger("wellbeing_desktop").handlers:
        handler.flush()
    text = log_path.read_text()
    assert "RuntimeError" in text
    assert "test_logging.py" in text
    assert "Quillfeather" not in text and "Mill Lane" not in text
