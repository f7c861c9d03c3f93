"""`ui/operations.py`: the one line between screens and services."""

from __future__ import annotations

import ast
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFormLayout, QLineEdit, QWidget

from wellbeing_desktop.services.errors import Changed, Entity, FieldProblem, ValidationError
from wellbeing_desktop.ui import operations, worker
from wellbeing_desktop.ui.bus import bus
from wellbeing_desktop.ui.forms import FieldErrors

UI = Path(__file__).resolve().parents[2] / "wellbeing_desktop" / "ui"


def test_screens_use_operations_not_the_worker_directly() -> None:
    offenders = []
    for path in UI.rglob("*.py"):
        if path.name in ("worker.py", "operations.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "wellbeing_desktop.ui.worker" \
                    and any(a.name == "Task" for a in node.names):
                offenders.append(str(path.relative_to(UI)))
    assert offenders == []


class Saved:
    def __init__(self, changed: Changed) -> None:
        self.changed = changed


def test_a_write_announces_its_change_once_before_the_screen_hears_of_it(
        qtbot: Any, immediate_tasks: None) -> None:
    heard: list[object] = []
    bus().data_changed.connect(heard.append)
    try:
        op = operations.write(lambda: Saved(Changed.of(Entity.GOAL, ids=("c1",))))
        op.on_success(lambda saved: heard.append(("success", saved.changed))).start()
        assert heard[0] == Changed.of(Entity.GOAL, ids=("c1",))
        assert heard[1][0] == "success" and len(heard) == 2  # type: ignore[index]
        operations.read(lambda: Changed.of(Entity.CLIENT)).start()  # a read announces nothing
        operations.write(lambda: Changed.of(Entity.CLIENT)).quiet().start()
        assert len(heard) == 2
    finally:
        bus().data_changed.disconnect(heard.append)


def test_validation_errors_go_under_the_fields_and_the_rest_beside(
        qtbot: Any, immediate_tasks: None) -> None:
    box = QWidget()
    qtbot.addWidget(box)
    form = QFormLayout(box)
    name = QLineEdit("typed")
    errors = FieldErrors()
    errors.add_row(form, "&Name", "name", name)
    other: list[str] = []
    failed: list[BaseException] = []

    def bad() -> None:
        raise ValidationError([FieldProblem("name", "Enter a name."),
                               FieldProblem("elsewhere", "Something else.")])

    operations.write(bad).fields(errors, other=other.append).on_error(failed.append).start()
    assert errors._labels["name"].text() == "Enter a name."
    assert other == ["Something else."]
    assert failed == []  # handled by the form
    assert name.text() == "typed"

    def broken() -> None:
        raise OSError("disk gone")

    operations.write(broken).fields(errors).on_error(failed.append).start()
    assert [type(e) for e in failed] == [OSError]
    assert not errors._labels["name"].isVisible()  # cleared when the operation started


def test_progress_cancel_and_the_worker_thread(qtbot: Any) -> None:
    worker.use_thread_pools()
    seen: dict[str, Any] = {}
    started = threading.Event()

    def long(report: Any) -> int:
        seen["thread"] = threading.current_thread()
        report(10, "starting")
        started.set()
        while not report.cancelled:
            threading.Event().wait(0.005)
        raise worker.Cancelled()

    progress: list[int] = []
    outcome: list[str] = []
    op = operations.read(long).on_progress(lambda p, _m: progress.append(p)) \
        .on_error(lambda e: outcome.append(type(e).__name__)).start()
    assert started.wait(5)
    op.cancel()
    qtbot.waitUntil(lambda: outcome == ["Cancelled"], timeout=5000)
    assert seen["thread"] is not threading.main_thread()
    assert progress == [10]


def test_after_shutdown_nothing_reaches_the_screens(qtbot: Any) -> None:
    worker.use_thread_pools()
    release = threading.Event()
    got: list[object] = []

    def slow(report: Any) -> int:
        while not report.cancelled and not release.is_set():
            threading.Event().wait(0.005)
        return 1

    operations.read(slow).on_success(got.append).on_done(lambda: got.append("done")).start()
    assert worker.shutdown(5000)  # cancels the running task and waits for it
    qtbot.wait(50)
    assert got == [] and worker.running() == []
    operations.read(lambda: 2).on_success(got.append).start()  # not even started
    qtbot.wait(50)
    assert got == []
    worker.use_thread_pools()


def test_a_task_is_made_on_the_gui_thread_only(qtbot: Any) -> None:
    errors: list[BaseException] = []

    def make() -> None:
        try:
            operations.read(lambda: 1)
        except RuntimeError as exc:
            errors.append(exc)

    t = threading.Thread(target=make)
    t.start()
    t.join()
    assert errors and "GUI thread" in str(errors[0])


@pytest.mark.parametrize("result", [Changed.of(Entity.SYNC), Saved(Changed.of(Entity.SYNC))])
def test_changed_in_finds_the_change(result: object) -> None:
    assert operations.changed_in(result) == Changed.of(Entity.SYNC)
    assert operations.changed_in(object()) is None


def test_two_long_jobs_never_hold_up_a_read(qtbot: Any) -> None:
    """Two print jobs at once (`operations.job`) run on a pool of their own: a screen's read
    still runs while both are busy (on the read pool's two threads it would wait)."""
    from PySide6.QtCore import QThreadPool

    worker.use_thread_pools()
    reads = QThreadPool.globalInstance()
    threads = reads.maxThreadCount()
    reads.setMaxThreadCount(2)  # as on a two-core machine, whatever this one has
    release = threading.Event()
    busy = threading.Semaphore(0)

    def printing(report: Any) -> str:
        busy.release()
        while not release.is_set() and not report.cancelled:
            threading.Event().wait(0.005)
        return "printed"

    done: list[str] = []
    try:
        for _ in range(2):
            operations.job(printing).on_success(done.append).start()
        assert busy.acquire(timeout=5) and busy.acquire(timeout=5)  # both jobs are running
        operations.read(lambda: "read").on_success(done.append).start()
        qtbot.waitUntil(lambda: done == ["read"], timeout=5000)
    finally:
        release.set()
        worker.wait_for_all(5000)
        reads.setMaxThreadCount(threads)
    qtbot.waitUntil(lambda: done == ["read", "printed", "printed"], timeout=5000)
