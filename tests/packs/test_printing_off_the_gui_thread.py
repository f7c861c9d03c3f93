"""Printing renders and paints on a worker, with "Page n of N" and Cancel, while the window
keeps processing events; a print is recorded only when every page went out.

The system print dialog is the one part replaced (there is no printer offscreen): the person
"chooses" a real QPrinter writing a PDF file, read back with pypdf. The job itself is the
real one: real plans from the packs code, PDFium under its lock, the real thread pool.
A few tests hold the job at a page (a wrapper around the real `render_pages` that waits for
the test) so that a cancel or a quit lands mid-job whatever the machine's speed.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QThread, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton, QWidget

from wellbeing_desktop.services import audit, packs
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import list_clients
from wellbeing_desktop.ui import worker
from wellbeing_desktop.ui.print_preview import print_job, printing

DAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _thread_pools() -> Iterator[None]:
    worker.use_thread_pools()
    yield
    worker.wait_for_all()
    worker.use_thread_pools()


@pytest.fixture
def plan(demo_ctx: AppContext) -> tuple[uuid.UUID, packs.BuiltDocument]:
    cid = list_clients(demo_ctx, limit=1)[0].id
    doc = packs.build_document(demo_ctx, cid, packs.DocumentChoice(variant="easy-read"),
                               today=DAY)
    assert doc.pages >= 2
    return cid, doc


def pdf_printer(target: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setResolution(72)  # small page images: the test is about threads, not ink
    return printer


class Painted:
    """Which threads painted pages (a wrapper calling the real `_paint_page`)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.on_gui: list[bool] = []
        real = printing._paint_page

        def paint(painter: Any, image: Any) -> None:
            app = QApplication.instance()
            assert app is not None
            self.on_gui.append(QThread.currentThread() is app.thread()
                               or threading.current_thread() is threading.main_thread())
            real(painter, image)

        monkeypatch.setattr(printing, "_paint_page", paint)


def hold_page(monkeypatch: pytest.MonkeyPatch, page: int,
              until: Callable[[], bool]) -> threading.Event:
    """Before rendering printed page `page` (1-based), wait on the worker until `until()`;
    the event returned is set once the job reached that page. Never waits for ever."""
    reached = threading.Event()
    calls = [0]
    real = printing.render_pages

    def render(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        if calls[0] == page:
            reached.set()
            for _ in range(3000):  # 30 s at most, so a broken test cannot hang the run
                if until():
                    break
                threading.Event().wait(0.01)
        return real(*args, **kwargs)

    monkeypatch.setattr(printing, "render_pages", render)
    return reached


def printed_events(ctx: AppContext, cid: uuid.UUID) -> list[Any]:
    return audit.list_events(ctx, audit.AuditFilter(action="document.printed",
                                                    client_id=str(cid)), limit=50)


def test_pages_are_painted_on_a_worker_with_progress_for_each(
        qtbot: Any, plan: tuple[uuid.UUID, packs.BuiltDocument], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    _cid, doc = plan
    painted = Painted(monkeypatch)
    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "job.pdf"
    results: list[print_job.Printed] = []
    progress: list[str] = []
    job = print_job.print_on(parent, pdf_printer(target), [doc.pdf, doc.pdf], "Plan for A",
                             on_printed=results.append)
    job.on_progress(lambda _pc, message: progress.append(message))
    qtbot.waitUntil(lambda: bool(results), timeout=60_000)
    total = 2 * doc.pages
    assert results == [print_job.Printed("Plan for A", total)]
    assert painted.on_gui == [False] * total                  # every page, on a worker
    assert progress == [f"Page {n} of {total}" for n in range(1, total + 1)] + [
        f"Printed {total} pages"]
    assert len(PdfReader(target).pages) == total               # one job, both copies
    assert not any(d.isVisible() for d in parent.findChildren(QProgressDialog))


def test_the_window_keeps_processing_events_while_30_pages_print(
        qtbot: Any, plan: tuple[uuid.UUID, packs.BuiltDocument], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Before each page the worker waits for a tick of a GUI-thread timer that happened
    after the previous page: if the job ran on the GUI thread no tick could come, the waits
    would give up, and the test fails."""
    _cid, doc = plan
    copies = -(-30 // doc.pages)
    pdfs = [doc.pdf] * copies
    total = copies * doc.pages
    ticks = [0]
    timer = QTimer()
    timer.setInterval(0)
    timer.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    timer.start()
    starved: list[int] = []
    real = printing.render_pages

    def render(*args: Any, **kwargs: Any) -> Any:
        seen = ticks[0]
        for _ in range(500):  # 5 s at most
            if ticks[0] > seen:
                break
            threading.Event().wait(0.01)
        else:
            starved.append(seen)
        return real(*args, **kwargs)

    monkeypatch.setattr(printing, "render_pages", render)
    parent = QWidget()
    qtbot.addWidget(parent)
    results: list[print_job.Printed] = []
    target = tmp_path / "long.pdf"
    print_job.print_on(parent, pdf_printer(target), pdfs, "Letters", on_printed=results.append)
    assert not results                              # start() returned with the job running
    qtbot.waitUntil(lambda: bool(results) or len(starved) > 2, timeout=120_000)
    timer.stop()
    assert starved == []
    assert results[0].pages == total >= 30 and len(PdfReader(target).pages) == total


@pytest.mark.safety
def test_cancel_mid_job_stops_between_pages_and_records_nothing(
        qtbot: Any, demo_ctx: AppContext, plan: tuple[uuid.UUID, packs.BuiltDocument],
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pdf_printer: Any) -> None:
    """From the Documents tab: Print, the job reaches page 2, Cancel in the progress dialog.
    No printed-document record, no audit event, no "printed_document" announcement; the
    part-written print file is removed (Qt cannot abort a PDF job)."""
    from wellbeing_desktop.ui.bus import bus
    from wellbeing_desktop.ui.panels.documents import DocumentsPanel

    cid, _doc = plan
    target = pdf_printer.target
    painted = Painted(monkeypatch)
    cancelled = threading.Event()
    reached = hold_page(monkeypatch, 2, cancelled.is_set)
    announced: list[Any] = []
    bus().data_changed.connect(lambda changed: announced.append(changed))
    panel = DocumentsPanel()
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    panel.set_client(demo_ctx, cid)
    qtbot.waitUntil(lambda: panel.document is not None and not panel.is_loading(),
                    timeout=30_000)
    pages = panel.document.pages
    panel.print_button.click()
    qtbot.waitUntil(reached.is_set, timeout=30_000)
    [dialog] = [d for d in panel.findChildren(QProgressDialog) if not d.wasCanceled()]
    qtbot.waitUntil(lambda: "Page 2 of" in dialog.labelText(), timeout=10_000)
    assert dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.WindowModal
    assert not dialog.grab().isNull()
    [cancel] = dialog.findChildren(QPushButton)
    assert cancel.text() == "&Cancel"
    cancel.click()
    cancelled.set()
    qtbot.waitUntil(lambda: "stopped" in panel.status.text(), timeout=30_000)
    worker.wait_for_all()
    qtbot.wait(50)
    assert len(painted.on_gui) == 2 < pages                    # stopped between pages
    assert painted.on_gui == [False, False]
    assert panel.status.text() == print_job.STOPPED
    assert packs.history(demo_ctx, cid) == []
    assert printed_events(demo_ctx, cid) == []
    assert not [c for c in announced if "printed_document" in getattr(c, "entities", ())]
    assert not target.exists()
    try:
        assert not dialog.isVisible()                                 # closed,
    except RuntimeError:
        pass                                                          # or already deleted


@pytest.mark.safety
def test_a_print_that_completes_is_recorded_once(
        qtbot: Any, demo_ctx: AppContext, plan: tuple[uuid.UUID, packs.BuiltDocument],
        monkeypatch: pytest.MonkeyPatch, pdf_printer: Any) -> None:
    cid, _doc = plan
    target, asked = pdf_printer.target, pdf_printer.titles
    painted = Painted(monkeypatch)
    from wellbeing_desktop.ui.panels.documents import DocumentsPanel

    panel = DocumentsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_client(demo_ctx, cid)
    qtbot.waitUntil(lambda: panel.document is not None and not panel.is_loading(),
                    timeout=30_000)
    panel.print_button.click()
    qtbot.waitUntil(lambda: panel.status.text() == "Printed and recorded.", timeout=60_000)
    assert asked == ["Print"] and painted.on_gui and not any(painted.on_gui)
    assert len(PdfReader(target).pages) == panel.document.pages
    assert len(packs.history(demo_ctx, cid)) == 1
    assert len(printed_events(demo_ctx, cid)) == 1


def test_quitting_mid_job_cancels_it_and_waits_for_it(
        qtbot: Any, plan: tuple[uuid.UUID, packs.BuiltDocument], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """`close_down` calls `worker.shutdown()`: the print job sees the cancel at its next
    page, aborts the printer and ends before the store would close; nothing is recorded."""
    _cid, doc = plan
    painted = Painted(monkeypatch)
    jobs: list[Any] = []
    reached = hold_page(monkeypatch, 3, lambda: bool(jobs) and jobs[0].reporter.cancelled)
    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "quit.pdf"
    results: list[Any] = []
    stopped: list[str] = []
    jobs.append(print_job.print_on(parent, pdf_printer(target), [doc.pdf] * 10, "Plans",
                                   on_printed=results.append, on_stopped=stopped.append))
    qtbot.waitUntil(reached.is_set, timeout=30_000)
    assert worker.shutdown(30_000)                 # cancels, and returns once the job ended
    assert worker.running() == []
    qtbot.wait(50)                                  # anything queued is dropped while closing
    assert len(painted.on_gui) == 3 < 10 * doc.pages
    assert results == [] and stopped == []
    assert not target.exists()


def test_the_progress_dialog_says_which_page(qtbot: Any, tmp_path: Path) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(900, 600)
    parent.show()
    progress = print_job.PrintProgress(parent, "Letters due (7)")
    progress.show_page(16, "Page 3 of 12")
    progress.show()
    qtbot.waitExposed(progress)
    assert progress.labelText() == "Printing Letters due (7)\nPage 3 of 12"
    assert progress.value() == 16
    assert progress.windowModality() == Qt.WindowModality.WindowModal  # this window only
    progress.grab().save(str(tmp_path / "print-progress.png"))
    assert not progress.grab().isNull()  # painted (look at it by saving it)
    progress.finish()
    assert not progress.isVisible()


def test_a_printer_that_will_not_start_says_so_and_prints_nothing(
        qtbot: Any, plan: tuple[uuid.UUID, packs.BuiltDocument], tmp_path: Path) -> None:
    from PySide6.QtWidgets import QMessageBox

    _cid, doc = plan
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    results: list[Any] = []
    stopped: list[str] = []
    target = tmp_path / "no such folder" / "job.pdf"
    print_job.print_on(parent, pdf_printer(target), [doc.pdf], "Plan",
                       on_printed=results.append, on_stopped=stopped.append)
    qtbot.waitUntil(lambda: bool(stopped), timeout=30_000)
    assert results == [] and stopped == ["Not printed."]
    [box] = parent.findChildren(QMessageBox, "errorDialog")
    assert box.windowTitle() == "Could not print" and "printer" in box.text().lower()
    assert not target.exists()


def test_a_job_cancelled_before_it_began_never_starts_the_printer(
        qtbot: Any, plan: tuple[uuid.UUID, packs.BuiltDocument], tmp_path: Path) -> None:
    class Stopped:
        cancelled = True

        def __call__(self, percent: int, message: str = "") -> None:
            raise AssertionError("no page is announced")

    target = tmp_path / "never.pdf"
    target.write_bytes(b"the file the person chose, from before")
    with pytest.raises(worker.Cancelled):
        printing.paint_pdfs(pdf_printer(target), [plan[1].pdf], Stopped())
    assert target.read_bytes() == b"the file the person chose, from before"  # never opened
