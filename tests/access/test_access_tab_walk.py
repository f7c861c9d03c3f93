"""Issue 18, "no keyboard traps": every dialog and settings section reachable from a store
is walked by Tab. Focus must reach every enabled control (one button of an exclusive group),
come back to where it started, and never land on nothing or stay put."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from wellbeing_desktop.ui.selftest_tabwalk import walk


def _client(ctx: Any) -> Any:
    from wellbeing_desktop.services import clients

    return clients.create_client(ctx, clients.ClientInput(
        "Amelia", "Hughes", date_of_birth=date(1988, 3, 14), postcode="km1 4ab")).id


def _new_client(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.dialogs.client_form import ClientDialog
    return ClientDialog(ctx)


def _needs(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.casework.assessment_dialog import NeedsDialog
    return NeedsDialog(ctx, cid)


def _suitability(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.casework.assessment_dialog import SuitabilityDialog
    return SuitabilityDialog(ctx, cid)


def _session(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.casework.session_dialog import SessionDialog
    return SessionDialog(ctx, cid)


def _signpost(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.signposting.signpost_dialog import SignpostDialog
    return SignpostDialog(ctx, cid)


def _goal(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.casework.goal_dialog import GoalDialog
    return GoalDialog(ctx, cid)


def _referral(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.casework.referral_dialogs import ReferralDialog
    return ReferralDialog(ctx, cid)


def _discharge(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.casework.referral_dialogs import DischargeDialog
    return DischargeDialog(ctx, cid)


def _risk(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.dialogs.risk_concern import RiskConcernDialog
    return RiskConcernDialog(ctx, cid)


def _course(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.courses.course_dialog import CourseDialog
    return CourseDialog(ctx)


def _measure(measure_id: str, paper: bool = False) -> Callable[[Any, Any], QWidget]:
    def make(ctx: Any, cid: Any) -> QWidget:
        from wellbeing_desktop.ui.measures.administer_dialog import AdministerDialog
        return AdministerDialog(ctx, cid, measure_id=measure_id, paper=paper)
    return make


def _group(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.casework.group_dialogs import GroupDialog
    return GroupDialog(ctx)


def _courses(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.courses.courses_dialog import CoursesDialog
    return CoursesDialog(ctx)


def _erase(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.dialogs.erase_client import EraseClientDialog
    return EraseClientDialog(ctx, cid, "Hughes")


def _login(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.dialogs.login import LoginDialog
    return LoginDialog(ctx.data_dir, ctx.settings)


def _recover(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.dialogs.recover import RecoverDialog
    return RecoverDialog(ctx.data_dir, ctx.settings)


def _audit(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.dialogs.audit_viewer import AuditViewerDialog
    return AuditViewerDialog(ctx)


def _feeds(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.directory.feeds_dialog import FeedsDialog
    return FeedsDialog(ctx)


def _import(ctx: Any, cid: Any) -> QWidget:
    from wellbeing_desktop.ui.directory.import_wizard import ImportWizard
    return ImportWizard(ctx)


DIALOGS: dict[str, Callable[[Any, Any], QWidget]] = {
    "new client": _new_client, "needs check": _needs, "suitability": _suitability,
    "session": _session, "signpost": _signpost, "goal": _goal, "referral": _referral,
    "discharge": _discharge, "risk concern": _risk, "course": _course,
    "measure PHQ-9": _measure("PHQ9"), "measure ONS4 paper": _measure("ONS4", paper=True),
    "group session": _group, "courses": _courses, "erase": _erase, "sign-in": _login,
    "recover": _recover, "audit": _audit, "directory feeds": _feeds,
    "directory import": _import,
}


def _show(qtbot: Any, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    if hasattr(widget, "confirm_discard"):
        widget.confirm_discard = lambda: True   # no modal question when the test closes it
    widget.show()
    widget.activateWindow()
    qtbot.waitActive(widget)
    QApplication.processEvents()


@pytest.mark.parametrize("name", list(DIALOGS))
def test_tab_walks_every_dialog_without_a_trap(qtbot: Any, ctx: Any, immediate_tasks: None,
                                               name: str) -> None:
    cid = _client(ctx)
    dialog = DIALOGS[name](ctx, cid)
    _show(qtbot, dialog)
    result = walk(dialog)
    assert not result.problems, (name, result.problems)
    assert len(result.visited) >= 3, name


def test_tab_walks_every_settings_section(qtbot: Any, ctx: Any, immediate_tasks: None) -> None:
    from wellbeing_desktop.ui.pages.settings import SettingsPage

    page = SettingsPage()
    page.attach(ctx)
    _show(qtbot, page)
    for index in range(page.tabs.count()):
        if not page.tabs.isTabVisible(index):
            continue
        page.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        page.tabs.tabBar().setFocus()
        result = walk(page)
        assert not result.problems, (page.tabs.tabText(index), result.problems)


def test_tab_walks_the_record_and_the_directory_dialogs(qtbot: Any, demo_ctx: Any,
                                                       immediate_tasks: None) -> None:
    from wellbeing_desktop.services import clients, directory
    from wellbeing_desktop.ui.client_record import ClientRecord
    from wellbeing_desktop.ui.directory.notes_dialog import LocalDetailsDialog
    from wellbeing_desktop.ui.directory.report_wrong_dialog import ReportWrongDialog

    detail = directory.get_service(demo_ctx, directory.search(demo_ctx, "", limit=1)[0].id)
    person = clients.list_clients(demo_ctx)[0].id
    for name, make in (("service notes", lambda: LocalDetailsDialog(demo_ctx, detail)),
                       ("report wrong", lambda: ReportWrongDialog(demo_ctx, detail)),
                       ("client record", lambda: ClientRecord(demo_ctx, person))):
        window = make()
        _show(qtbot, window)
        result = walk(window)
        assert not result.problems, (name, result.problems)
        window.close()



def test_the_walk_finds_the_traps_it_was_written_for(qtbot: Any) -> None:
    from PySide6.QtWidgets import (
        QComboBox,
        QDialog,
        QLineEdit,
        QPlainTextEdit,
        QPushButton,
        QTableWidget,
        QVBoxLayout,
    )

    dialog = QDialog()
    column = QVBoxLayout(dialog)
    first, notes, table = QLineEdit(), QPlainTextEdit(), QTableWidget(3, 1)
    for r in range(3):
        table.setCellWidget(r, 0, QComboBox())
    for w in (first, notes, table, QPushButton("OK")):
        column.addWidget(w)
    _show(qtbot, dialog)
    first.setFocus()
    assert any("keyboard trap" in p for p in walk(dialog).problems)   # Tab typed a tab
    notes.setTabChangesFocus(True)
    first.setFocus()
    problems = walk(dialog).problems        # the cells' Tab went round them for ever
    assert any("never came back" in p for p in problems), problems
    table.setTabKeyNavigation(False)
    first.setFocus()
    assert walk(dialog).problems == []
