"""Print PDFs through the system print dialog: one job per call (one client per job, or one
batch of letters), pages rendered by PDFium (under its lock, in `pages`) at the printer's
resolution and painted in order."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from wellbeing_desktop.ui.print_preview.pages import page_count, render_pages


def paint_pdfs(printer: QPrinter, pdfs: list[bytes]) -> int:
    """Paint every page of every PDF on `printer` as one job, each document starting on a new
    page in the order given; returns the pages printed."""
    dpi = min(printer.resolution(), 300)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started.")
    printed = 0
    try:
        for pdf in pdfs:
            for index in range(page_count(pdf)):
                if printed:
                    printer.newPage()
                [image] = render_pages(pdf, dpi, index, index + 1)
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)
                printed += 1
    finally:
        painter.end()
    return printed


def paint_pdf(printer: QPrinter, pdf: bytes) -> int:
    """Paint every page of one PDF on `printer` as one job; returns the pages printed."""
    return paint_pdfs(printer, [pdf])


def print_pdfs_with_dialog(parent: QWidget | None, pdfs: list[bytes], job_name: str,
                           title: str = "Print") -> bool:
    """Ask for a printer and print all of `pdfs` in one job. False when the user cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(job_name)
    printer.setFullPage(True)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    paint_pdfs(printer, pdfs)
    return True


def print_with_dialog(parent: QWidget | None, pdf: bytes, job_name: str) -> bool:
    """Ask for a printer and print one PDF. True when printed, False when the user cancelled."""
    return print_pdfs_with_dialog(parent, [pdf], job_name)
