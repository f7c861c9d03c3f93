"""Print a PDF through the system print dialog: one job per call (one client per job), pages
rendered by PDFium at the printer's resolution and painted in order."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from wellbeing_desktop.ui.print_preview.pages import page_count, render_pages


def paint_pdf(printer: QPrinter, pdf: bytes) -> int:
    """Paint every page of `pdf` on `printer` as one job; returns the pages printed."""
    dpi = min(printer.resolution(), 300)
    total = page_count(pdf)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started.")
    try:
        for index in range(total):
            if index:
                printer.newPage()
            [image] = render_pages(pdf, dpi, index, index + 1)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)
    finally:
        painter.end()
    return total


def print_with_dialog(parent: QWidget | None, pdf: bytes, job_name: str) -> bool:
    """Ask for a printer and print. True when printed, False when the user cancelled."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(job_name)
    printer.setFullPage(True)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    paint_pdf(printer, pdf)
    return True
