"""Every form by keyboard (issue 18): Ctrl+Enter saves forms that are not casework forms too
(a settings section, a dialog with a button box), but never presses an erasure; Escape
cancels; Tab goes round a whole form and out of it (no trap); focus never starts on a
consequential button."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from wellbeing_desktop.services import clients
from wellbeing_desktop.ui import keys


@pytest.fixture(autouse=True)
def _keys(qapp: QApplication) -> None:
    keys.install(qapp)


def _ctrl_enter(qtbot, widget) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_ctrl_enter_presses_a_dialogs_save(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = QDialog()
    qtbot.addWidget(dialog)
    column = QVBoxLayout(dialog)
    field = QLineEdit()
    column.addWidget(field)
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                           | QDialogButtonBox.StandardButton.Cancel)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    column.addWidget(box)
    dialog.show()
    # Keys reach the window a person is in: the active one (ui/keys.py gives it Ctrl+Enter).
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    field.setFocus()
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        _ctrl_enter(qtbot, field)


def test_ctrl_enter_saves_a_settings_section(qtbot, ctx, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.settings.general import GeneralSection

    section = GeneralSection()
    qtbot.addWidget(section)
    section.attach(ctx)
    section.show()
    with qtbot.waitActive(section):
        section.activateWindow()
    section.service_name.setText("Kingsmere Talking Therapies")
    _ctrl_enter(qtbot, section.service_name)
    assert ctx.settings.get("service_name") == "Kingsmere Talking Therapies"


def test_ctrl_enter_never_presses_an_erasure(qtbot, ctx, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.dialogs.erase_client import EraseClientDialog

    person = clients.create_client(ctx, clients.ClientInput("Amelia", "Hughes"))
    dialog = EraseClientDialog(ctx, person.id, "Amelia Hughes")
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    assert keys.save_button_for(dialog) is None
    _ctrl_enter(qtbot, dialog)
    assert dialog.isVisible()
    assert clients.count_clients(ctx) == 1
    # Nor does the dialog start with its focus on a button that goes on.
    focus = dialog.focusWidget()
    assert not (isinstance(focus, QPushButton) and focus in (dialog.continue_button,
                                                             dialog.erase_button))


def test_escape_cancels_a_dialog_that_is_not_a_casework_form(qtbot, ctx, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.signposting.signpost_dialog import SignpostDialog

    person = clients.create_client(ctx, clients.ClientInput("Amelia", "Hughes"))
    dialog = SignpostDialog(ctx, person.id)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.rejected, timeout=1000):
        qtbot.keyClick(dialog.search, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_tab_goes_round_new_client_and_reaches_save(qtbot, ctx, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.dialogs.client_form import ClientDialog

    dialog = ClientDialog(ctx)
    dialog.confirm_discard = lambda: True
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    dialog.given.setFocus()
    qtbot.waitUntil(lambda: dialog.given.hasFocus())
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    seen = []
    for _ in range(80):
        widget = QApplication.focusWidget()
        assert widget is not None
        seen.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        if QApplication.focusWidget() is dialog.given:
            break
    else:
        pytest.fail("Tab never came back round to the first field: something holds it")
    assert save in seen
    assert dialog.dob in seen and dialog.address in seen   # the old traps are passed through


def test_the_client_record_opens_on_its_sections(qtbot, ctx, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.client_record import ClientRecord

    person = clients.create_client(ctx, clients.ClientInput("Amelia", "Hughes"))
    record = ClientRecord(ctx, person.id)
    qtbot.addWidget(record)
    record.show()
    qtbot.waitUntil(lambda: not record.is_loading())
    assert record.focusWidget() is not record.risk_button
    # Tabs have no Alt-letters (they clashed with buttons inside them); Alt+number reaches them.
    assert all("&" not in record.tabs.tabText(i) for i in range(record.tabs.count()))
    from PySide6.QtGui import QKeySequence, QShortcut

    [alt3] = [s for s in record.findChildren(QShortcut) if s.key() == QKeySequence("Alt+3")]
    alt3.activated.emit()
    assert record.tabs.currentIndex() == 2
