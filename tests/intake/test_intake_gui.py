"""The waiting list page, the two-keystroke contact attempt, the import preview and the
letters-due batch, driven as a user would (pytest-qt, offscreen)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from wellbeing_desktop.services import (
    clients,
    contact_attempts,
    packs,
    referral_import,
    sessions,
    waiting_list,
)
from wellbeing_desktop.services.app import AppContext

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.usefixtures("immediate_tasks")


@pytest.fixture
def imported(ctx: AppContext) -> AppContext:
    p = referral_import.preview(ctx, DATA / "riverside.xlsx", source="gp", today=date.today())
    referral_import.commit(ctx, p)
    return ctx


@pytest.fixture
def page(qtbot: object, imported: AppContext) -> object:
    from wellbeing_desktop.ui.pages.waiting import WaitingListPage

    widget = WaitingListPage()
    qtbot.addWidget(widget)  # type: ignore[attr-defined]
    widget.resize(1240, 700)
    widget.show()
    widget.attach(imported)
    from wellbeing_desktop.ui.bus import bus

    bus().data_changed.connect(widget.on_data_changed)  # as the main window does
    qtbot.waitUntil(lambda: widget.model.rowCount() == 3, timeout=10_000)  # type: ignore
    return widget


def cell(page: object, row: int, column: int) -> str:
    """The text the waiting list shows in a cell (its model makes it as the row is shown)."""
    return str(page.model.index(row, column).data())  # type: ignore[attr-defined]


def _dialog(kind: type) -> object:
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind)
                and w.isVisible())


def test_waiting_list_shows_each_person_with_the_next_action(page: object,
                                                             tmp_path: Path) -> None:
    names = [cell(page, r, 0) for r in range(3)]
    assert names == ["Zoë Nowak", "Grace Okafor", "Amina Begum"]
    assert all(cell(page, r, 5).startswith("Try to contact") for r in range(3))
    tip = page.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)  # type: ignore[attr-defined]
    assert tip.startswith("Referred ")
    assert "2 contact attempts" in page.rules.text()  # type: ignore[attr-defined]
    page.grab().save(str(tmp_path / "waiting.png"))  # type: ignore[attr-defined]


def test_the_waiting_list_model_passes_qt_checks(page: object, qtmodeltester: object) -> None:
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]


def test_two_keystrokes_record_an_attempt(page: object, qtbot: object,
                                          imported: AppContext) -> None:
    from wellbeing_desktop.ui.intake.attempt_dialog import AttemptDialog

    table = page.table  # type: ignore[attr-defined]
    table.setFocus()
    table.selectRow(1)                                            # Grace
    qtbot.keyClick(table, Qt.Key.Key_A)  # type: ignore[attr-defined]
    dialog = _dialog(AttemptDialog)
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)  # type: ignore
    grace = page.rows[1].client_id  # type: ignore[attr-defined]
    [attempt] = contact_attempts.list_for_client(imported, grace)
    assert (attempt.method, attempt.outcome, attempt.attempted_on) == (
        "phone", "no_answer", date.today())
    qtbot.waitUntil(lambda: "Phone call: no answer" in cell(page, 1, 3),  # type: ignore
                    timeout=5000)
    assert page.selected().client_id == grace  # type: ignore[attr-defined]  # kept selected
    # A second attempt: A, then a digit picks the outcome and saves (2 = left a message).
    table.selectRow(1)
    qtbot.keyClick(table, Qt.Key.Key_A)  # type: ignore[attr-defined]
    dialog = _dialog(AttemptDialog)
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_2)  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)  # type: ignore
    assert [a.outcome for a in contact_attempts.list_for_client(imported, grace)] == [
        "left_message", "no_answer"]
    qtbot.waitUntil(lambda: "opt-in letter" in cell(page, 1, 5), timeout=5000)  # type: ignore


def test_import_preview_names_bad_rows_and_imports_nothing(qtbot: object, ctx: AppContext,
                                                           tmp_path: Path) -> None:
    from wellbeing_desktop.ui.intake.import_dialog import ImportDialog

    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    dialog.set_file(DATA / "riverside-with-bad-rows.csv")
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)  # type: ignore
    problems = [dialog.problems.item(i).text() for i in range(dialog.problems.count())]
    assert "row 8, D.O.B.: “31/02/1980” is not a real date" in problems
    assert not dialog.import_button.isEnabled()
    assert "nothing will be imported" in dialog.status.text()
    dialog.grab().save(str(tmp_path / "import-bad.png"))
    assert clients.count_clients(ctx, exact=True) == 0


def test_import_with_a_corrected_column_and_a_duplicate_decision(qtbot: object, ctx: AppContext,
                                                                 tmp_path: Path) -> None:
    from wellbeing_desktop.ui.intake.import_dialog import ImportDialog

    existing = clients.create_client(ctx, clients.ClientInput(
        "Grace", "Okafor", date_of_birth=date(1985, 11, 3))).id
    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    dialog.set_file(DATA / "riverside-utf8-bom.csv")
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=10_000)  # type: ignore
    # "GP Surgery" is guessed; the user says "Referred by" is not imported after all.
    row = dialog.preview.headings.index("Referred by")
    combo = dialog.columns.cellWidget(row, 2)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(""))
    dialog.recheck.click()
    qtbot.waitUntil(lambda: dialog.preview.mapping["Referred by"] == "", timeout=10_000)  # type: ignore
    assert not dialog.import_button.isEnabled()        # the duplicate is undecided
    choice = dialog.duplicates.cellWidget(0, 2)
    choice.setCurrentIndex(choice.findData(str(existing)))
    assert dialog.import_button.isEnabled()
    dialog.remember.setText("Riverside PCN")
    dialog.grab().save(str(tmp_path / "import-ready.png"))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.imported is not None, timeout=10_000)
    assert dialog.imported.matched == (existing,) and len(dialog.imported.created) == 2
    assert "Riverside PCN" in referral_import.saved_mappings(ctx)
    assert all(r.referrer == "" for r in waiting_list.waiting_list(ctx))


def test_letters_due_print_in_one_job_and_are_marked_done(qtbot: object, imported: AppContext,
                                                          pdf_printer: Any,
                                                          tmp_path: Path) -> None:
    from wellbeing_desktop.ui.intake.letters_dialog import LettersDueDialog

    people = {r.name.split()[0]: r.client_id for r in waiting_list.waiting_list(imported)}
    when = datetime.combine(date.today() + timedelta(days=2), datetime.min.time()).replace(
        hour=11)
    sessions.save_appointment(imported, people["Zoë"], sessions.AppointmentInput(
        when, venue="Kingsmere Health Centre"))
    from pypdf import PdfReader

    dialog = LettersDueDialog(imported)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 7, timeout=10_000)  # type: ignore
    dialog.grab().save(str(tmp_path / "letters-due.png"))
    assert "7 letters in one job" in dialog.print_button.text()
    dialog.print_button.click()
    qtbot.waitUntil(lambda: "marked them done" in dialog.status.text(), timeout=30_000)  # type: ignore
    assert pdf_printer.jobs == ["Letters due (7)"]                # one job, seven letters
    assert len(dialog.printed) == 7
    assert len(PdfReader(pdf_printer.target).pages) == sum(d.pages for d in dialog.printed)
    assert dialog.table.rowCount() == 0
    assert {r.kind for r in packs.history(imported, people["Zoë"])} == {"acknowledgement",
                                                                         "appointment"}


def test_letters_cancelled_mid_job_stay_due(qtbot: object, imported: AppContext,
                                            monkeypatch: pytest.MonkeyPatch,
                                            pdf_printer: Any) -> None:
    """Cancel pressed while page 2 prints: nothing is marked done or recorded as printed."""
    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from wellbeing_desktop.ui.intake.letters_dialog import LettersDueDialog
    from wellbeing_desktop.ui.print_preview import print_job, printing

    target = pdf_printer.target
    dialog = LettersDueDialog(imported)
    real, calls = printing.render_pages, []

    def render(*args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 2:  # the person presses Cancel in the progress dialog
            [progress] = dialog.findChildren(QProgressDialog)
            [cancel] = progress.findChildren(QPushButton)
            cancel.click()
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(printing, "render_pages", render)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.is_loading(), timeout=10_000)  # type: ignore
    due = dialog.table.rowCount()
    assert due >= 2
    dialog.print_button.click()
    qtbot.waitUntil(lambda: "stopped" in dialog.status.text(), timeout=30_000)  # type: ignore
    assert len(calls) == 2 and dialog.status.text() == print_job.STOPPED
    assert dialog.printed == [] and dialog.print_button.isEnabled()
    assert all(packs.history(imported, r.client_id) == []
               for r in waiting_list.waiting_list(imported))
    dialog.load()
    qtbot.waitUntil(lambda: not dialog.is_loading(), timeout=10_000)  # type: ignore
    assert dialog.table.rowCount() == due and not target.exists()


def test_batch_paints_every_letter_in_one_job(qtbot: object, imported: AppContext,
                                              tmp_path: Path) -> None:
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from wellbeing_desktop.services import letters_due
    from wellbeing_desktop.ui.print_preview.batch import paint_pdfs

    docs = letters_due.build_batch(imported, letters_due.due(imported))
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "job.pdf"
    printer.setOutputFileName(str(out))
    pages = paint_pdfs(printer, [d.pdf for d in docs])
    assert pages == sum(d.pages for d in docs) and len(PdfReader(out).pages) == pages



def test_documents_tab_records_contact_preferences_and_says_why(qtbot: object,
                                                               imported: AppContext) -> None:
    from wellbeing_desktop.ui.bus import bus
    from wellbeing_desktop.ui.panels.documents import DocumentsPanel

    amina = next(r.client_id for r in waiting_list.waiting_list(imported)
                 if r.name.startswith("Amina"))
    panel = DocumentsPanel()
    qtbot.addWidget(panel)  # type: ignore[attr-defined]
    bus().data_changed.connect(panel.on_data_changed)
    panel.resize(1200, 800)
    panel.show()
    panel.set_client(imported, amina)
    qtbot.waitUntil(lambda: panel.options is not None, timeout=10_000)  # type: ignore
    panel.kind.setCurrentIndex(panel.kind.findData("acknowledgement"))
    assert panel.recipient.isVisibleTo(panel) and not panel.refused.isVisibleTo(panel)
    panel.post_ok.setChecked(False)
    qtbot.waitUntil(lambda: panel.refused.isVisibleTo(panel), timeout=10_000)  # type: ignore
    assert "not safe to send post" in panel.refused.text()
    assert not panel.print_button.isEnabled()
    assert contact_attempts.contact_preferences(imported, amina) == (False, True)
    panel.recipient.setCurrentIndex(panel.recipient.findData("referrer"))
    assert not panel.refused.isVisibleTo(panel) and panel.print_button.isEnabled()


def test_an_attempt_from_the_client_record(qtbot: object, imported: AppContext) -> None:
    from wellbeing_desktop.ui.client_record import ClientRecord
    from wellbeing_desktop.ui.intake.attempt_dialog import AttemptDialog

    zoe = waiting_list.waiting_list(imported)[0].client_id
    record = ClientRecord(imported, zoe)
    qtbot.addWidget(record)  # type: ignore[attr-defined]
    record.show()
    qtbot.waitUntil(lambda: record.data is not None, timeout=10_000)  # type: ignore
    dialog = record.contact_attempt()
    assert isinstance(dialog, AttemptDialog) and "Zoë" in dialog.windowTitle()
    dialog.method.setCurrentIndex(dialog.method.findData("text"))
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_3)  # type: ignore[attr-defined]  # 3: spoke
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)  # type: ignore
    [attempt] = contact_attempts.list_for_client(imported, zoe)
    assert (attempt.method, attempt.outcome) == ("text", "spoke")
