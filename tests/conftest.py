"""Shared fixtures. Qt runs offscreen; every test gets its own data and settings folders."""

from __future__ import annotations

import os
import tempfile

# Before any Qt import (STYLE §16).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HYPOTHESIS_PROFILE", "ci")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test may touch the real user data or settings folders."""
    monkeypatch.setenv("WELLBEING_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WELLBEING_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("WELLBEING_PASSPHRASE", raising=False)
    # Temporary files too: tests that look for leaks in temp files see only their own, even
    # when other test runs share the machine's /tmp.
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(private_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def ctx(data_dir: Path) -> Iterator[object]:
    """An open store with first-run set-up done (a supervisor named Sam Okoye)."""
    from wellbeing_desktop.services import setup
    from wellbeing_desktop.services.app import AppContext

    context = AppContext.open(data_dir)
    setup.complete_first_run(
        context, setup.SetupInput("Test Wellbeing Service", "Sam Okoye", phone="01632 960 100")
    )
    from enrolment_helpers import register

    register(context)
    yield context
    context.close()


@pytest.fixture
def demo_ctx(ctx: object) -> object:
    """`ctx` with the standard demo data set (40 clients, 80 services), fixed date and seed."""
    from datetime import date

    from wellbeing_desktop.services.demo import load_demo

    load_demo(ctx, seed=7, today=date(2026, 11, 24))  # type: ignore[arg-type]
    return ctx


@pytest.fixture
def immediate_tasks() -> Iterator[None]:
    """Worker tasks run at once on the GUI thread (Picard's FakeThreadPool)."""
    from wellbeing_desktop.ui import worker

    worker.use_immediate_pools()
    yield
    worker.use_thread_pools()


class PdfPrinter:
    """The system print dialog, as if the person chose "print to file" and pressed Print (there
    is no printer offscreen): each job's pages are really painted into `target`, a PDF file;
    `jobs` names each job the dialog was asked about (`QPrinter.docName`), `titles` the
    dialog's title."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.jobs: list[str] = []
        self.titles: list[str] = []

    def ask(self, _parent: object, printer: object, title: str) -> bool:
        from PySide6.QtPrintSupport import QPrinter

        assert isinstance(printer, QPrinter)
        self.jobs.append(printer.docName())
        self.titles.append(title)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.target))
        printer.setResolution(72)
        return True


@pytest.fixture
def pdf_printer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PdfPrinter:
    from wellbeing_desktop.ui.print_preview import print_job

    printer = PdfPrinter(tmp_path / "printed.pdf")
    monkeypatch.setattr(print_job, "ask_for_printer", printer.ask)
    return printer
