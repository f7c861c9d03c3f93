"""Start-up order (DESIGN §9): after the first paint, Today's first figures are read from the
file while Today's page is built, and the store (SQLAlchemy, the models, migrations) opens only
once they are shown. A figure read that fails or is slow never holds the opening up.

The real app runs in a child process with its real thread pools; the only change to it is a
record of the order in which its own steps happen (and, for two cases, a figure read made to
fail or to be slow)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = r'''
import json, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from wellbeing_desktop.services import first_figures as narrow
from wellbeing_desktop.ui import app as ui_app
from wellbeing_desktop.ui.main_window import MainWindow

events = []
mode = sys.argv[2]
real_read = narrow.read_first_figures

def read(data_dir):
    if mode == "failing":
        raise OSError("the disk went away")
    if mode == "slow":
        time.sleep(3)
    figures = real_read(data_dir)
    events.append("figures read" if figures is not None else "figures stood aside")
    return figures

narrow.read_first_figures = read
real_build, real_show, real_open = (MainWindow.build_first_page, MainWindow.show_first_figures,
                                    ui_app.open_in_window)

def build(self):
    built = "today" in self.pages
    real_build(self)
    if not built and "today" in self.pages:
        events.append("page built")

def show(self, figures):
    shown = real_show(self, figures)
    if shown is not None:
        events.append("figures shown" + (" (store closed)" if self.ctx is None else ""))
    return shown

def open_store(*args, **kwargs):
    events.append("store opening")
    return real_open(*args, **kwargs)

MainWindow.build_first_page, MainWindow.show_first_figures = build, show
ui_app.open_in_window = open_store
window = ui_app.launch(sys.argv[1], ["test"])
app = QApplication.instance()
started = time.monotonic()

def poll():
    today = window.pages.get("today")
    if window.ctx is not None and today is not None and today.last is not None:
        events.append("summary shown")
        figures = {key: label.text() for key, label in today.figures.items()}
        print("RESULT " + json.dumps({"events": events, "figures": figures}))
        app.quit()
    elif time.monotonic() - started > 120:
        print("RESULT " + json.dumps({"events": events, "figures": {}}))
        app.quit()
    else:
        QTimer.singleShot(20, poll)

QTimer.singleShot(0, poll)
app.exec()
'''


@pytest.fixture
def demo_store(demo_ctx: object, data_dir: Path) -> Path:
    demo_ctx.close()  # type: ignore[attr-defined]
    return data_dir


def _run(data_dir: Path, mode: str) -> dict[str, object]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", CHILD, str(data_dir), mode],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    [line] = [x for x in result.stdout.splitlines() if x.startswith("RESULT ")]
    got: dict[str, object] = json.loads(line[len("RESULT "):])
    return got


def test_first_figures_are_shown_before_the_store_opens(demo_store: Path) -> None:
    from wellbeing_desktop.services import today
    from wellbeing_desktop.services.app import AppContext

    got = _run(demo_store, "normal")
    events = got["events"]
    assert isinstance(events, list)
    # The page is built on the GUI thread while a worker reads: either may finish first.
    assert sorted(events[:2]) == ["figures read", "page built"]
    assert events[2:] == ["figures shown (store closed)", "store opening", "summary shown"]
    ctx = AppContext.open(demo_store)
    try:
        expected = today.summary(ctx)
    finally:
        ctx.close()
    figures = got["figures"]
    assert isinstance(figures, dict)
    assert figures["active"] == str(expected.clients_by_status.get("active", 0))
    assert figures["waiting"] == str(expected.waiting_first_contact)


def test_a_failing_figure_read_never_holds_the_opening_up(demo_store: Path) -> None:
    got = _run(demo_store, "failing")
    assert got["events"] == ["page built", "store opening", "summary shown"]


def test_a_slow_figure_read_never_holds_the_opening_up(demo_store: Path) -> None:
    events = _run(demo_store, "slow")["events"]
    assert isinstance(events, list)
    assert events[:2] == ["page built", "store opening"]  # the read was still asleep
    assert "summary shown" in events
