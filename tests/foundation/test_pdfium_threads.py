"""PDFium is not thread-safe: every call goes through one module and one lock
(`ui/print_preview/pages.py`). Without the lock, this stress aborts or segfaults the process in
most runs, so it runs in a child process: a crash is a failed test, not a lost test session.
Printing runs on worker threads too: the stress prints from plain threads (two jobs painting at
once) and through the app's own print job on the worker pool while a preview renders and
zooms on it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

STRESS = r'''
import hashlib, io, os, sys, threading, time
from pathlib import Path
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from wellbeing_desktop.ui.print_preview.pages import page_count, render_pages
from wellbeing_desktop.ui.print_preview.preview import PdfPreview
from wellbeing_desktop.ui.print_preview.print_job import print_on
from wellbeing_desktop.ui.print_preview.printing import paint_pdf

app = QApplication([])
out = Path(sys.argv[1])
buf = io.BytesIO()
c = canvas.Canvas(buf, pagesize=A4)
for n in range(5):
    c.setFont("Helvetica", 14)
    for line in range(40):
        c.drawString(60, 780 - line * 18, f"Page {n + 1}, line {line}: my plan for the week")
    c.rect(50, 50, 480, 700)
    c.showPage()
c.save()
pdf = buf.getvalue()
digests, errors, printed = {}, [], []
lock = threading.Lock()

def pixels(image):         # the used bytes of each row (the row padding is not initialised)
    raw, step, used = bytes(image.constBits()), image.bytesPerLine(), image.width() * 3
    return b"".join(raw[y * step:y * step + used] for y in range(image.height()))

def preview(dpi):          # the preview, and zoom starting another render at once
    for _ in range(6):
        images = render_pages(pdf, dpi)
        assert len(images) == page_count(pdf) == 5
        d = hashlib.sha256(b"".join(pixels(i) for i in images)).hexdigest()
        with lock:
            digests.setdefault(dpi, set()).add(d)

def a_printer(target):      # a real QPrinter writing a PDF file
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(target))
    printer.setResolution(72)
    return printer

def print_job(k):          # printing from plain threads, two jobs painting at once
    for r in range(2):
        target = out / f"printed-{k}-{r}.pdf"
        n = paint_pdf(a_printer(target), pdf)
        with lock:
            printed.append((target, n))

def guard(fn, arg):
    try:
        fn(arg)
    except BaseException as exc:
        errors.append(repr(exc))

threads = [threading.Thread(target=guard, args=(preview, dpi)) for dpi in (48, 48, 72, 96)]
threads += [threading.Thread(target=guard, args=(print_job, k)) for k in range(3)]
# And as the app prints: two jobs on the worker pool (print_job.print_on), while a preview
# widget renders and zooms on the same pool and the threads above render and print.
window = PdfPreview()
done, stopped = [], []
for k in range(2):
    target = out / f"app-{k}.pdf"
    print_on(None, a_printer(target), [pdf, pdf], f"job {k}",
             on_printed=lambda r, t=target: done.append((t, r.pages)), on_stopped=stopped.append)
window.set_pdf(pdf)
for t in threads:
    t.start()
zooms = 0
while len(done) + len(stopped) < 2 or window.is_loading() or any(t.is_alive() for t in threads):
    app.processEvents()
    if not window.is_loading() and zooms < 4:
        window.step_zoom(1 if zooms % 2 == 0 else -1)
        zooms += 1
    time.sleep(0.005)
for t in threads:
    t.join()
app.processEvents()
assert stopped == [], stopped
assert zooms == 4 and len(window.images) == 5, (zooms, len(window.images))
printed += done
assert not errors, errors
assert all(len(v) == 1 for v in digests.values()), digests   # same pages, whichever thread
print("PRINTED", ";".join(f"{p}={n}" for p, n in printed))
print("OK")
'''


def test_render_zoom_and_print_from_several_threads_at_once(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", STRESS, str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300,
                            env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, (result.returncode, result.stderr[-3000:])
    assert result.stdout.strip().endswith("OK")
    from pypdf import PdfReader

    [line] = [x for x in result.stdout.splitlines() if x.startswith("PRINTED")]
    jobs = [part.split("=") for part in line.split(" ", 1)[1].split(";")]
    assert len(jobs) == 8
    for path, pages in jobs:
        expected = 10 if Path(path).name.startswith("app-") else 5
        assert int(pages) == expected
        assert len(PdfReader(path).pages) == expected


def test_only_one_module_touches_pdfium() -> None:
    import ast

    def imports_pdfium(path: Path) -> bool:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "pypdfium2" for n in names):
                return True
        return False

    users = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "wellbeing_desktop").rglob("*.py")
                   if imports_pdfium(p))
    assert users == ["wellbeing_desktop/ui/print_preview/pages.py"]
