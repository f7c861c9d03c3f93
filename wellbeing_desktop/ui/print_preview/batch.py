"""Print several documents as one job (the day's letters): each starts on a new page, in the
order given, so a batch comes off the printer as one stack and never interleaves with another
job. The painting is `printing.paint_pdfs`, shared with single documents."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from wellbeing_desktop.ui.print_preview.printing import paint_pdfs, print_pdfs_with_dialog

__all__ = ["paint_pdfs", "print_batch_with_dialog"]


def print_batch_with_dialog(parent: QWidget | None, pdfs: list[bytes], job_name: str) -> bool:
    """Ask for a printer and print all of them in one job. False when the user cancelled."""
    return print_pdfs_with_dialog(parent, pdfs, job_name, "Print the letters")
