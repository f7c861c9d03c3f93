"""Screens by keyboard and on a small screen: no keyboard trap in the date of birth, Tab
leaves lists, focus never starts on a consequential button, Ctrl+Enter saves, Escape
cancels, and a form's Save is on screen however tall the form."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialogButtonBox

from wellbeing_desktop.services import clients


@pytest.fixture
def client_id(ctx):  # type: ignore[no-untyped-def]
    saved = clients.create_client(ctx, clients.ClientInput(
        "Amelia", "Hughes", date_of_birth=date(1988, 3, 14), postcode="km1 4ab"))
    return saved.id


def test_date_of_birth_takes_typed_dates_and_tab_moves_on(qtbot, ctx, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.dialogs.client_form import ClientDialog

    dlg = ClientDialog(ctx)
    dlg.confirm_discard = lambda: True      # no modal question when the test closes it
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.dob.setFocus()
    assert dlg.dob.text() == ""                     # empty, not "Not set" holding Tab
    qtbot.keyClicks(dlg.dob, "14/03/1988")
    qtbot.keyClick(dlg.dob, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not dlg.dob   # Tab left the field
    assert dlg.dob.value() == date(1988, 3, 14)
    dlg.dob.setText("31/02/1988")
    dlg.given.setText("Amelia")
    dlg.family.setText("Hughes")
    dlg.submit()
    assert dlg.isVisible()
    assert "not a date" in dlg.errors._labels["date_of_birth"].text()
    assert dlg.dob.text() == "31/02/1988"           # what was typed is kept


def test_ctrl_enter_saves_and_escape_cancels(qtbot, ctx, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.dialogs.client_form import ClientDialog

    before = clients.count_clients(ctx)
    dlg = ClientDialog(ctx)
    dlg.confirm_discard = lambda: True      # no modal question when the test closes it
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.given.setText("Rhys")
    dlg.family.setText("Morgan")
    dlg.activateWindow()
    qtbot.waitActive(dlg)
    dlg.given.setFocus()
    qtbot.keyClick(dlg.given, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dlg.isVisible() and clients.count_clients(ctx) == before + 1
    other = ClientDialog(ctx)
    asked: list[bool] = []
    other.confirm_discard = lambda: asked.append(True) or True
    qtbot.addWidget(other)
    other.show()
    other.given.setText("Half typed")
    qtbot.keyClick(other.given, Qt.Key.Key_Escape)
    assert asked and not other.isVisible()          # asked before discarding, then closed


def test_save_is_on_screen_however_tall_the_form(qtbot, ctx, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.dialogs.client_form import ClientDialog

    dlg = ClientDialog(ctx)
    dlg.confirm_discard = lambda: True      # no modal question when the test closes it
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.resize(760, 5000)
    screen = dlg.screen().availableGeometry()
    assert dlg.height() <= screen.height()
    save = dlg.buttons.button(QDialogButtonBox.StandardButton.Save)
    bottom = save.mapTo(dlg, save.rect().bottomLeft()).y()
    assert save.isVisible() and bottom <= dlg.height()
    assert dlg.fields_scroll.widget().isAncestorOf(dlg.given)   # the fields scroll, not the buttons


def test_focus_starts_on_the_record_not_the_risk_button(qtbot, ctx, client_id, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.client_record import open_client

    record = open_client(ctx, client_id)
    qtbot.addWidget(record)
    record.show()
    qtbot.waitExposed(record)
    assert record.focusWidget() is not record.risk_button
    assert not record.risk_button.autoDefault()


def test_tab_leaves_the_client_list(qtbot, ctx, client_id, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.pages.clients import ClientsPage

    page = ClientsPage()
    qtbot.addWidget(page)
    views = page.findChildren(QAbstractItemView)
    assert views and not any(v.tabKeyNavigation() for v in views)
