"""Print several documents as one job (the day's letters): each starts on a new page, in the
order given, so a batch comes off the printer as one stack and never interleaves with another
job. The painting is `printing.paint_pdfs` on a worker, shared with single documents."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from wellbeing_desktop.ui.operations import Op
from wellbeing_desktop.ui.print_preview.print_job import Printed, start_printing
from wellbeing_desktop.ui.print_preview.printing import paint_pdfs

__all__ = ["paint_pdfs", "print_batch_with_dialog"]


def print_batch_with_dialog(parent: QWidget | None, pdfs: list[bytes], job_name: str, *,
                            on_printed: Callable[[Printed], object],
                            on_stopped: Callable[[str], object] | None = None
                            ) -> Op[Printed] | None:
    """Ask for a printer and print all of them in one job; `on_printed` once every page has
    gone (never after a cancel). None when the person closed the print dialog."""
    return start_printing(parent, pdfs, job_name, title="Print the letters",
                          on_printed=on_printed, on_stopped=on_stopped)
