"""The real app, run in a child process with real thread pools: no widget is ever made off the
GUI thread (error paths of tasks included), no store connection is ever taken on the GUI thread
while it shows its screens, and quitting waits for running tasks (a print job among them)
before the store closes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = r'''
import json, sys, threading, time
sys.path.insert(0, sys.argv[2])
from thread_guard import StoreGuard, WidgetGuard

widgets, stores = WidgetGuard().install(), StoreGuard().install()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.app import launch
from wellbeing_desktop.ui.main_window import PAGE_SPECS
from wellbeing_desktop.ui.worker import Task

events = []
from wellbeing_desktop.services import drafts
original_save_draft = drafts.save_draft

def save_draft(*args, **kwargs):
    original_save_draft(*args, **kwargs)
    events.append("draft saved")

drafts.save_draft = save_draft
original_close = AppContext.close

def close(self):
    events.append("store closed")
    original_close(self)

AppContext.close = close
window = launch(sys.argv[1], ["test"])
app = QApplication.instance()
steps = [key for key, *_ in PAGE_SPECS] + ["record", "scroll", "tasks"]
visited = []

def slow_failure(report):
    deadline = time.monotonic() + 5
    while not report.cancelled and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)
    events.append("failing task ended")
    raise RuntimeError("the store went away")   # no on_error: the default would show a box

def slow_success():
    time.sleep(0.6)
    events.append("slow task ended")
    return 1

def start_print():
    import io
    from pathlib import Path
    from PySide6.QtPrintSupport import QPrinter
    from reportlab.pdfgen import canvas
    from wellbeing_desktop.ui.print_preview import print_job, printing
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for n in range(40):
        c.drawString(72, 720, f"Page {n + 1}")
        c.showPage()
    c.save()
    real = print_job.paint_pdfs

    def paint_pdfs(*args, **kwargs):
        try:
            pages = real(*args, **kwargs)
            events.append(f"print finished {pages}")
            return pages
        except BaseException as exc:
            events.append(f"print ended: {type(exc).__name__}")
            raise

    print_job.paint_pdfs = paint_pdfs
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(Path(sys.argv[1]) / "quit-print.pdf"))
    print_job.print_on(window, printer, [buf.getvalue()], "Letters",
                       on_printed=lambda _r: events.append("print recorded"))

def settled():
    if window.ctx is None:
        return False
    today = window.pages.get("today")
    if today is None or getattr(today, "last", None) is None:
        return False
    return all(not page.is_loading() for page in window.pages.values())

def step():
    try:
        _step()
    except BaseException:
        import traceback
        traceback.print_exc()
        app.exit(3)

def _step():
    if not settled():
        QTimer.singleShot(20, step)
        return
    key = steps.pop(0)
    visited.append(key)
    if key == "record":
        from wellbeing_desktop.ui.client_record import open_client
        first = window.pages["clients"].model.row_at(0)
        record = open_client(window.ctx, first.id, window)
        for tab in range(record.tabs.count()):   # every tab and panel of the record
            record.tabs.setCurrentIndex(tab)
            app.processEvents()
        session = record.new_session()           # a note typed and autosaved as a draft
        session.notes.setPlainText("Talked about sleep")
        session.dirty = True
        session.save_draft()
        session.dirty = False                    # (else closing it asks about the note)
        QTimer.singleShot(1500, step)
        return
    elif key == "scroll":                        # the client list fetches its next page
        model = window.pages["clients"].model
        model.total = len(model.rows) + 1
        model.fetchMore()
    elif key == "tasks":
        Task(slow_failure).start()
        start_print()                            # a 40-page print job, cut short by the quit
        Task(slow_success).on_success(lambda _r: QMessageBox(window).open()).start()
        QTimer.singleShot(50, app.quit)
        return
    else:
        window.show_page(key)
    QTimer.singleShot(200, step)

QTimer.singleShot(0, step)
code = app.exec()
events.append("event loop ended")
if code:
    sys.exit(code)
print("RESULT " + json.dumps({"widgets": widgets.problems, "gui_store": stores.on_gui_thread,
                              "worker_store": stores.elsewhere, "events": events,
                              "visited": visited}))
'''


@pytest.fixture
def demo_store(demo_ctx: object, data_dir: Path) -> Path:
    demo_ctx.close()  # type: ignore[attr-defined]
    return data_dir


def _run(data_dir: Path) -> tuple[dict[str, object], str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", CHILD, str(data_dir), str(Path(__file__).parent)],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    [line] = [x for x in result.stdout.splitlines() if x.startswith("RESULT ")]
    return json.loads(line[len("RESULT "):]), result.stderr


def test_the_app_shows_every_screen_and_quits_with_tasks_running(demo_store: Path) -> None:
    got, stderr = _run(demo_store)
    from wellbeing_desktop.ui.main_window import PAGE_SPECS

    assert got["visited"] == [key for key, *_ in PAGE_SPECS] + ["record", "scroll", "tasks"]
    # No widget off the GUI thread: not from a task's error path, not at quit.
    assert got["widgets"] == [], got["widgets"]
    assert "QWidget" not in stderr
    # Quitting asked the running tasks to stop and waited for them before the store closed.
    events = got["events"]
    assert events.index("failing task ended") < events.index("store closed")
    assert events.index("slow task ended") < events.index("store closed")
    assert events.index("store closed") < events.index("event loop ended")
    # A print job running at quit is cancelled at its next page, aborted and waited for.
    assert events.index("print ended: Cancelled") < events.index("store closed")
    assert "print recorded" not in events and not (demo_store / "quit-print.pdf").exists()
    # A clean quit is recorded, so the next start may skip the start-up quick_check.
    assert (demo_store / ".clean-shutdown").exists()
    # Quitting anchors the audit chain outside the database, as a command's end does.
    anchors = json.loads((demo_store / "audit-anchors.json").read_text())
    assert "local" in json.dumps(anchors), anchors
    # The screens read through workers: the guard saw connections, none on the GUI thread.
    assert got["worker_store"] > 0
    assert got["gui_store"] == [], "\n".join(got["gui_store"])  # type: ignore[arg-type]
    assert "draft saved" in got["events"]


def test_the_start_up_check_is_skipped_only_after_a_clean_quit(demo_store: Path) -> None:
    from wellbeing_desktop.services import integrity
    from wellbeing_desktop.services.app import AppContext

    crashed = AppContext.open(demo_store, check="defer")  # no marker: the last run crashed
    assert crashed.integrity is not None
    crashed.confirm_integrity()
    crashed.close()  # (a command-line style close writes no marker)
    again = AppContext.open(demo_store, check="defer")
    assert again.integrity is not None
    again.close()
    integrity.mark_clean_shutdown(demo_store)
    clean = AppContext.open(demo_store, check="defer")
    assert clean.integrity is None
    assert not (demo_store / integrity.CLEAN_SHUTDOWN).exists()  # consumed: a crash now...
    clean.close()
    after_crash = AppContext.open(demo_store, check="defer")  # ...means a check next time
    assert after_crash.integrity is not None
    after_crash.close()
