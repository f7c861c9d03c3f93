"""Plain-language error dialogs. The details (identifiers only) go to the log file."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from wellbeing_desktop.services.errors import as_user_problem

log = logging.getLogger(__name__)


def message_for(exc: BaseException) -> str:
    problem = as_user_problem(exc)  # a busy store or a full disk: the user can fix it
    if problem is not None:
        return str(problem)
    if isinstance(exc, OSError):
        return f"The file could not be used: {exc.strerror or exc}."
    return ("Something went wrong and the action was not completed. Nothing has been lost; "
            "the details are in the log file for your support team.")


def show_error(parent: QWidget | None, exc: BaseException, title: str = "Could not finish") -> None:
    if as_user_problem(exc) is None:
        from wellbeing_desktop.ui.crash import describe

        # The message may hold what the user typed; log only the type and where it happened.
        log.error("unexpected error shown to user: %s", describe(type(exc), exc.__traceback__))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(message_for(exc))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.setObjectName("errorDialog")
    box.open()
