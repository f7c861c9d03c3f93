"""The app shell, driven through real widgets with pytest-qt."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressBar

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, ValidationError
from wellbeing_desktop.ui import worker
from wellbeing_desktop.ui.bus import bus
from wellbeing_desktop.ui.dialogs.first_run import FirstRunDialog
from wellbeing_desktop.ui.main_window import MainWindow
from wellbeing_desktop.ui.worker import Task


@pytest.mark.safety
def test_window_paints_before_the_store_opens_then_loads(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.services.settings import Settings
    from wellbeing_desktop.ui.app import open_in_window

    settings = Settings.load(data_dir)
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show()
    assert window.ctx is None
    assert not window.grab().isNull()  # painted with no data at all
    assert "Opening" in window.service_label.text()
    open_in_window(window, str(data_dir), settings)
    qtbot.waitUntil(lambda: window.ctx is not None, timeout=20_000)
    # First run: the set-up dialog is offered.
    qtbot.waitUntil(lambda: window.findChild(FirstRunDialog) is not None, timeout=5_000)
    dialog = window.findChild(FirstRunDialog)
    dialog.service_name.setText("Kingsmere Wellbeing")
    dialog.practitioner_name.setText("Hannah Price")
    dialog.username.setText("hprice")
    dialog.passphrase.setText("kingsmere lighthouse")
    dialog.confirm.setText("kingsmere lighthouse")
    dialog.accept()  # set-up (with the Argon2id key derivation) runs on the write pool
    qtbot.waitUntil(lambda: "Kingsmere Wellbeing" in window.service_label.text(), timeout=60_000)
    assert window.ctx is not None
    window.ctx.close()


def test_navigation_by_click_and_keyboard(qtbot, ctx: AppContext, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx.settings)
    qtbot.addWidget(window)
    window.show()
    window.attach(ctx)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["Today", "Clients", "Waiting list", "Directory", "Reports", "Sync",
                      "Settings"]
    window.nav.setCurrentRow(1)
    assert window.current_page().key == "clients"
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().key == "settings"
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.current_page().key == "today"


def test_first_run_dialog_names_the_field_and_keeps_what_was_typed(  # type: ignore[no-untyped-def]
        qtbot, data_dir: Path, immediate_tasks) -> None:
    context = AppContext.open(data_dir)
    dialog = FirstRunDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.service_name.setText("Kingsmere Wellbeing")
    dialog.accept()  # practitioner name missing
    assert dialog.isVisible()
    assert dialog.service_name.text() == "Kingsmere Wellbeing"
    errors = [w.text() for w in dialog.findChildren(type(dialog.general_error), "fieldError")
              if w.isVisible()]
    assert "Enter your name." in errors
    assert context.settings.get("first_run_complete") is False
    dialog.practitioner_name.setText("Hannah Price")
    dialog.accept()  # no username or passphrase yet: both are named
    assert dialog.isVisible()
    errors = [w.text() for w in dialog.findChildren(type(dialog.general_error), "fieldError")
              if w.isVisible()]
    assert "Enter a username." in errors
    dialog.username.setText("hprice")
    dialog.passphrase.setText("kingsmere lighthouse")
    dialog.confirm.setText("kingsmere lighthouse")
    dialog.accept()
    assert context.settings.get("first_run_complete") is True
    assert context.store.key is not None and dialog.recovery_key
    assert context.actor.name == "Hannah Price"
    context.close()


def test_data_changed_reaches_pages_once(qtbot, ctx: AppContext, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ctx.settings)
    qtbot.addWidget(window)
    window.show()
    window.attach(ctx)
    ctx.settings.set("service_name", "Renamed Service")
    with qtbot.waitSignal(bus().data_changed, timeout=1000) as blocker:
        bus().announce(Changed.of("settings"))
    assert blocker.args[0].entities == frozenset({"settings"})
    assert "Renamed Service" in window.service_label.text()


def test_worker_runs_off_the_gui_thread_with_progress_and_errors(qtbot) -> None:  # type: ignore[no-untyped-def]
    worker.use_thread_pools()
    main_thread = threading.get_ident()
    seen: dict[str, object] = {}
    bar = QProgressBar()
    qtbot.addWidget(bar)

    def job(n: int, report) -> int:  # type: ignore[no-untyped-def]
        seen["thread"] = threading.get_ident()
        for i in range(n):
            report(int(100 * (i + 1) / n), "counting")
        return n * 2

    results: list[int] = []
    progress: list[int] = []
    task = Task(job, 4).on_success(results.append).on_progress(lambda p, _m: progress.append(p))
    task.with_progress(bar)
    task.start()
    qtbot.waitUntil(lambda: results == [8], timeout=5000)
    assert seen["thread"] != main_thread
    assert progress[-1] == 100

    errors: list[BaseException] = []

    def bad() -> None:
        raise ValidationError("nope")

    Task(bad).on_error(errors.append).start()
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=5000)
    assert str(errors[0]) == "nope"


def test_worker_cancel(qtbot) -> None:  # type: ignore[no-untyped-def]
    worker.use_thread_pools()
    started = threading.Event()
    outcome: list[str] = []

    def long(report) -> str:  # type: ignore[no-untyped-def]
        started.set()
        while not report.cancelled:
            threading.Event().wait(0.005)
        raise worker.Cancelled()

    task = Task(long).on_success(lambda _r: outcome.append("done")) \
        .on_error(lambda e: outcome.append(type(e).__name__))
    task.start()
    assert started.wait(5)
    task.cancel()
    qtbot.waitUntil(lambda: outcome == ["Cancelled"], timeout=5000)


def test_writes_are_serialised_on_one_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    worker.use_thread_pools()
    active = {"now": 0, "max": 0}
    lock = threading.Lock()
    done: list[int] = []

    def write(i: int) -> int:
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        threading.Event().wait(0.01)
        with lock:
            active["now"] -= 1
        return i

    for i in range(6):
        Task(write, i, writes=True).on_success(done.append).start()
    qtbot.waitUntil(lambda: len(done) == 6, timeout=10_000)
    assert active["max"] == 1
    assert done == list(range(6))


def test_about_dialog_shows_version_and_licences(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel, QTextBrowser

    from wellbeing_desktop import __version__
    from wellbeing_desktop.ui.dialogs.about import AboutDialog

    dialog = AboutDialog(None, str(ctx.data_dir), ctx.settings)
    qtbot.addWidget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert __version__ in text
    licences = dialog.findChild(QTextBrowser).toPlainText()
    assert "LGPL" in licences and "reportlab" in licences


@pytest.mark.parametrize("scheme_dark", [False, True])
def test_theme_builds_for_light_and_dark(scheme_dark: bool) -> None:
    from wellbeing_desktop.ui import theme

    css = theme.stylesheet(theme.DARK if scheme_dark else theme.LIGHT, 12.0)
    assert "QListWidget#navigation" in css
    assert "20.4pt" in css  # sizes scale with the system font (1.7 × 12 pt)
    assert QApplication.instance() is not None or True


def test_status_bar_progress_and_cancel_button(qtbot, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    worker.use_thread_pools()
    window = MainWindow(ctx.settings)
    qtbot.addWidget(window)
    window.show()
    started = threading.Event()
    outcome: list[str] = []

    def long(report) -> None:  # type: ignore[no-untyped-def]
        report(10, "Working")
        started.set()
        while not report.cancelled:
            threading.Event().wait(0.005)
        raise worker.Cancelled()

    task = Task(long).on_error(lambda e: outcome.append(type(e).__name__))
    window.run_with_progress(task)
    assert started.wait(5)
    qtbot.waitUntil(window.progress.isVisible, timeout=2000)
    assert window.cancel_button.isVisible()
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: outcome == ["Cancelled"], timeout=5000)
    qtbot.waitUntil(lambda: not window.cancel_button.isVisible(), timeout=2000)
    assert not window.progress.isVisible()
