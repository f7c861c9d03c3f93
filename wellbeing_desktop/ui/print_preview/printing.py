"""Paint PDFs on a printer: one job per call (one client per job, or one batch of letters),
pages rendered by PDFium (under its lock, in `pages`, one page at a time so a preview can
render between two printed pages) at the printer's resolution and painted in order.

This runs on a worker thread (`print_job.start_printing` puts it there): Qt lets a QPainter
paint on a QPrinter from a non-GUI thread, and nothing here makes a widget. The GUI thread
must leave the printer alone until the task has finished.
"""

from __future__ import annotations

import contextlib
import os
from typing import Protocol

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from wellbeing_desktop.ui.operations import Cancelled
from wellbeing_desktop.ui.print_preview.pages import page_count, render_pages

__all__ = ["Progress", "paint_pdf", "paint_pdfs"]


class Progress(Protocol):
    """What `operations` hands a task as `report` (also fine for a test's own)."""

    def __call__(self, percent: int, message: str = "") -> None: ...

    @property
    def cancelled(self) -> bool: ...


def paint_pdfs(printer: QPrinter, pdfs: list[bytes], report: Progress | None = None) -> int:
    """Paint every page of every PDF on `printer` as one job, each document starting on a new
    page in the order given; returns the pages printed. `report` hears "Page n of N" before
    each page; when it is cancelled the job stops between two pages and is aborted
    (`Cancelled` is raised), so nothing half-printed counts as printed."""
    counts = [page_count(pdf) for pdf in pdfs]
    total = sum(counts)
    dpi = min(printer.resolution(), 300)
    if report is not None and report.cancelled:  # e.g. quitting before the job began:
        raise Cancelled()                         # the printer is never started
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started.")
    printed = 0
    try:
        for pdf, count in zip(pdfs, counts, strict=True):
            for index in range(count):
                if report is not None:
                    if report.cancelled:
                        raise Cancelled()
                    report(printed * 100 // max(total, 1), f"Page {printed + 1} of {total}")
                if printed:
                    printer.newPage()
                [image] = render_pages(pdf, dpi, index, index + 1)
                _paint_page(painter, image)
                printed += 1
    except BaseException:
        _abort(printer, painter)  # cancelled, or a page failed: the job is not finished
        raise
    if not painter.end():  # the spooler refused the finished job: it did not print
        raise OSError("The printer did not take the job.")
    if report is not None:
        report(100, f"Printed {printed} page{'s' if printed != 1 else ''}")
    return printed


def paint_pdf(printer: QPrinter, pdf: bytes, report: Progress | None = None) -> int:
    """Paint every page of one PDF on `printer` as one job; returns the pages printed."""
    return paint_pdfs(printer, [pdf], report)


def _paint_page(painter: QPainter, image: QImage) -> None:
    """One rendered page, scaled to the printable area (keeping its shape)."""
    area = painter.viewport()
    size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)


def _abort(printer: QPrinter, painter: QPainter) -> None:
    """Stop a job part-way. A system spooler that can (Windows) drops the job; Qt's PDF-based
    engines cannot abort (`abort()` is False), so a "print to file" has its part-written file
    removed, and a CUPS queue receives the pages painted so far when the painter ends (Qt
    offers no way to withdraw it: docs/ui-core.md, Printing)."""
    aborted = printer.abort()
    painter.end()
    target = printer.outputFileName()
    if not aborted and target:
        with contextlib.suppress(OSError):
            os.remove(target)
