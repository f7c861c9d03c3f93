"""A print job from a screen: the system print dialog on the GUI thread, then the pages
rendered and painted on a worker (`printing.paint_pdfs`, through `operations.job`: a pool
of its own, so a long print never holds up the screens' reads)
while a progress dialog says "Page n of N" and offers Cancel.

    start_printing(self, [pdf], "Plan for Amina", on_printed=self._record,
                   on_stopped=self.status.setText)

`on_printed(Printed)` runs only when every page reached the printer: that is when a screen
records the print (the printed-document record, its audit event, the "printed_document"
announcement). A job cancelled, failed or cut short by quitting never calls it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QProgressDialog, QWidget

from wellbeing_desktop.ui.operations import Cancelled, Op, job
from wellbeing_desktop.ui.print_preview.printing import Progress, paint_pdfs

__all__ = ["PrintProgress", "Printed", "ask_for_printer", "print_on", "start_printing"]

STOPPED = "Printing stopped: nothing was recorded as printed."


@dataclass(frozen=True)
class Printed:
    job_name: str
    pages: int


def ask_for_printer(parent: QWidget | None, printer: QPrinter, title: str) -> bool:
    """The system print dialog (modal, GUI thread). True when the person pressed Print."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()  # it points at the printer; do not keep it as the parent's child


class PrintProgress(QProgressDialog):
    """"Page 3 of 12" and Cancel, for one job. Window-modal: the window that started the job
    waits (it cannot start the same job twice or close under it); the rest of the app, and
    this window's painting, carry on."""

    def __init__(self, parent: QWidget | None, job_name: str) -> None:
        super().__init__(f"Getting {job_name} ready…", "&Cancel", 0, 100, parent)
        self.job_name = job_name
        self.setWindowTitle("Printing")
        self.setAccessibleName(f"Printing {job_name}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(0)
        self.setMinimumWidth(380)
        self.setValue(0)

    def show_page(self, percent: int, message: str) -> None:
        with contextlib.suppress(RuntimeError):  # gone with a window closed meanwhile
            if not self.wasCanceled():
                self.setValue(percent)
                self.setLabelText(f"Printing {self.job_name}\n{message}")

    def finish(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.reset()
            self.hide()
            self.deleteLater()


def start_printing(parent: QWidget | None, pdfs: list[bytes], job_name: str, *,
                   on_printed: Callable[[Printed], object],
                   on_stopped: Callable[[str], object] | None = None,
                   title: str = "Print") -> Op[Printed] | None:
    """Ask for a printer, then print all of `pdfs` as one job on a worker. Returns the running
    job, or None when the person closed the dialog (`on_stopped("Not printed.")`)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(job_name)
    printer.setFullPage(True)
    if not ask_for_printer(parent, printer, title):
        if on_stopped is not None:
            on_stopped("Not printed.")
        return None
    return print_on(parent, printer, pdfs, job_name, on_printed=on_printed,
                    on_stopped=on_stopped)


def print_on(parent: QWidget | None, printer: QPrinter, pdfs: list[bytes], job_name: str, *,
             on_printed: Callable[[Printed], object],
             on_stopped: Callable[[str], object] | None = None) -> Op[Printed]:
    """Print on a printer already chosen. The printer belongs to the job until it ends."""
    progress = PrintProgress(parent, job_name)

    def printed(result: Printed) -> None:
        progress.finish()
        on_printed(result)

    def failed(exc: BaseException) -> None:
        progress.finish()
        if not isinstance(exc, Cancelled):
            from wellbeing_desktop.ui.dialogs.errors import show_error

            show_error(parent, exc, "Could not print")
        if on_stopped is not None:
            on_stopped(STOPPED if isinstance(exc, Cancelled) else "Not printed.")

    task = (job(_print_job, printer, list(pdfs), job_name)
            .on_progress(progress.show_page)
            .on_success(printed)
            .on_error(failed)
            .on_done(progress.finish)
            .parent(parent))
    progress.canceled.connect(task.cancel)
    progress.show()  # at once: window-modal before a second Print press can start a second job
    return task.start()


def _print_job(printer: QPrinter, pdfs: list[bytes], job_name: str,
               report: Progress | None = None) -> Printed:
    """On the worker."""
    return Printed(job_name, paint_pdfs(printer, pdfs, report))
