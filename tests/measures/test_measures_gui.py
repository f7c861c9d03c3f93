"""pytest-qt: administer with number keys, the score appears when complete, unanswered items
are named, the risk prompt, paper forms with their date, the panel and its chart."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from wellbeing_desktop.services import measures
from wellbeing_desktop.ui.bus import bus
from wellbeing_desktop.ui.measures.administer_dialog import AdministerDialog
from wellbeing_desktop.ui.measures.risk_prompt import RiskPromptDialog
from wellbeing_desktop.ui.panels.measures import MeasuresPanel

TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def _no_blocking_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing a dialog with answers asks first; at teardown the answer is "discard"."""
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)


@pytest.fixture
def dialog(ctx: Any, client_id: uuid.UUID, qtbot: Any, immediate_tasks: None) -> AdministerDialog:
    return shown(qtbot, AdministerDialog(ctx, client_id, measure_id="PHQ-9", today=TODAY))


def shown(qtbot: Any, d: AdministerDialog) -> AdministerDialog:
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return d


def type_keys(qtbot: Any, dialog: AdministerDialog, keys: str) -> None:
    for key in keys:
        focused = QApplication.focusWidget() or dialog
        qtbot.keyClicks(focused, key)


def test_number_keys_answer_and_move_on(dialog: AdministerDialog, qtbot: Any) -> None:
    assert dialog.rows[0].hasFocus() or QApplication.focusWidget() is dialog.rows[0]
    type_keys(qtbot, dialog, "1203")
    assert dialog.answers()[:5] == [1, 2, 0, 3, None]
    assert QApplication.focusWidget() is dialog.rows[4]
    assert "Still to answer: 5 (Appetite), 6 (Feeling bad about yourself)" in dialog.status.text()
    assert "Score" not in dialog.status.text()


def test_score_and_band_appear_when_complete(dialog: AdministerDialog, qtbot: Any) -> None:
    type_keys(qtbot, dialog, "12031021")
    assert dialog.status.text() == "Still to answer: 9 (Thoughts of self-harm)"
    type_keys(qtbot, dialog, "0")
    assert dialog.status.text() == "Score 10 — moderate · at or above caseness (10)"
    assert QApplication.focusWidget() is dialog.save_button


def test_a_key_that_is_not_an_answer_is_explained(dialog: AdministerDialog, qtbot: Any) -> None:
    type_keys(qtbot, dialog, "7")
    assert dialog.answers()[0] is None
    assert dialog.status.text() == "7 is not an answer to item 1; use 0, 1, 2, 3"


def test_up_down_and_clearing(dialog: AdministerDialog, qtbot: Any) -> None:
    type_keys(qtbot, dialog, "22")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)
    assert QApplication.focusWidget() is dialog.rows[1]
    qtbot.keyClick(dialog.rows[1], Qt.Key.Key_Backspace)
    assert dialog.answers()[:2] == [2, None]
    assert "Still to answer: 2 (Feeling down)" in dialog.status.text()


def test_clicking_an_answer_works_too(dialog: AdministerDialog, qtbot: Any) -> None:
    qtbot.mouseClick(dialog.rows[3].group.button(2), Qt.MouseButton.LeftButton)
    assert dialog.answers()[3] == 2


def test_save_records_and_announces(dialog: AdministerDialog, qtbot: Any, ctx: Any,
                                    client_id: uuid.UUID) -> None:
    seen: list[Any] = []
    bus().data_changed.connect(seen.append)
    type_keys(qtbot, dialog, "120310210")
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    assert dialog.recorded is not None and dialog.recorded.administration.total == 10
    assert [a.total for a in measures.administrations(ctx, client_id)] == [10]
    assert seen and "measure" in seen[-1].entities
    bus().data_changed.disconnect(seen.append)


def _answer_with_item9(qtbot: Any, dialog: AdministerDialog) -> None:
    type_keys(qtbot, dialog, "00000000")
    assert not dialog.risk_banner.isVisibleTo(dialog)
    type_keys(qtbot, dialog, "2")
    assert dialog.risk_banner.isVisibleTo(dialog)
    assert "item 9" in dialog.risk_text.text()


@pytest.mark.safety
def test_item9_raises_casework_risk_concern(dialog: AdministerDialog, qtbot: Any, ctx: Any,
                                            client_id: uuid.UUID) -> None:
    from wellbeing_desktop.services import risk
    from wellbeing_desktop.ui.dialogs.risk_concern import RiskConcernDialog

    _answer_with_item9(qtbot, dialog)
    seen: dict[str, Any] = {}

    def record_concern() -> None:
        concern = QApplication.activeModalWidget()
        assert isinstance(concern, RiskConcernDialog)
        seen["source"] = concern.source
        seen["detail"] = concern.detail.toPlainText()
        seen["contacts"] = "116 123" in concern.contacts.text()
        concern.action.setPlainText("Asked directly; no plans; safety plan reviewed")
        concern.submit()

    QTimer.singleShot(0, record_concern)
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    assert seen["source"] == "measure:PHQ-9" and seen["contacts"]
    assert seen["detail"].startswith("PHQ-9 item 9 (Thoughts that you would be better off dead")
    assert "answered 2 (More than half the days)" in seen["detail"]
    concerns = risk.open_concerns(ctx, client_id)
    assert [c.source for c in concerns] == ["measure:PHQ-9"]
    assert concerns[0].action_taken.startswith("Asked directly")
    assert not dialog.isVisible()


@pytest.mark.safety
def test_cancelled_concern_still_needs_acknowledging(dialog: AdministerDialog, qtbot: Any,
                                                     ctx: Any) -> None:
    from wellbeing_desktop.ui.dialogs.risk_concern import RiskConcernDialog

    _answer_with_item9(qtbot, dialog)
    seen: dict[str, Any] = {}

    def cancel_concern() -> None:
        concern = QApplication.activeModalWidget()
        assert isinstance(concern, RiskConcernDialog)
        QTimer.singleShot(0, acknowledge)
        concern.reject()  # the autouse fixture answers "discard"

    def acknowledge() -> None:
        prompt = QApplication.activeModalWidget()
        assert isinstance(prompt, RiskPromptDialog)
        prompt.reject()  # Escape: must not close it
        seen["still_open"] = prompt.isVisible()
        seen["continue_enabled"] = prompt.continue_button.isEnabled()
        prompt.confirm.setChecked(True)
        qtbot.mouseClick(prompt.continue_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, cancel_concern)
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    assert seen == {"still_open": True, "continue_enabled": False}
    from sqlalchemy import select

    from wellbeing_desktop.storage.models import AuditEvent

    with ctx.store.read() as s:
        actions = set(s.execute(select(AuditEvent.action)).scalars())
    assert {"measures.risk_item", "measures.risk_prompt_acknowledged"} <= actions


@pytest.mark.safety
def test_paper_form_keeps_its_date(ctx: Any, client_id: uuid.UUID, qtbot: Any,
                                   immediate_tasks: None) -> None:
    d = shown(qtbot, AdministerDialog(ctx, client_id, measure_id="GAD-7", paper=True, today=TODAY))
    assert d.date_caption.text() == "Date on the &form"
    assert d.date_caption.buddy() is d.taken_on
    assert QApplication.focusWidget() is d.taken_on
    d.taken_on.setDate(d.taken_on.date().addDays(-30))
    for _ in range(3):  # Tab steps through day, month and year, then on to the questions
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is d.rows[0]
    type_keys(qtbot, d, "3333333")
    assert d.status.text() == "Score 21 — severe · at or above caseness (8)"
    d.save()
    saved = measures.administrations(ctx, client_id)[0]
    assert saved.taken_on == date(2026, 10, 25) and saved.entered_from_paper


def test_ons4_two_digit_answers(ctx: Any, client_id: uuid.UUID, qtbot: Any) -> None:
    d = shown(qtbot, AdministerDialog(ctx, client_id, measure_id="ONS4", today=TODAY))
    type_keys(qtbot, d, "10" "7" "1" "5")  # 10, 7, then 1 followed by 5: 1 and 5
    assert d.answers() == [10, 7, 1, 5]
    assert "Life satisfaction 10 (very high)" in d.status.text()
    assert "Anxiety 5 (medium)" in d.status.text()


def test_wsas_not_applicable_with_n(ctx: Any, client_id: uuid.UUID, qtbot: Any) -> None:
    d = shown(qtbot, AdministerDialog(ctx, client_id, measure_id="WSAS", today=TODAY))
    type_keys(qtbot, d, "n4444")
    assert d.answers() == ["NA", 4, 4, 4, 4]
    assert "Score 20 — significant functional impairment" in d.status.text()
    assert "prorated" in d.status.text()


def test_goals_count_changes_the_rows_and_keeps_ratings(ctx: Any, client_id: uuid.UUID,
                                                        qtbot: Any) -> None:
    d = shown(qtbot, AdministerDialog(ctx, client_id, measure_id="GBO", today=TODAY))
    assert len(d.rows) == 1 and d.goals.isVisibleTo(d)
    type_keys(qtbot, d, "4")
    d.goals.setValue(3)
    assert len(d.rows) == 3 and d.answers() == [4, None, None]


def test_cancel_with_answers_asks_first(dialog: AdministerDialog, qtbot: Any,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    type_keys(qtbot, dialog, "1")
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Cancel)
    dialog.reject()
    assert dialog.isVisible() and dialog.answers()[0] == 1
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)
    dialog.reject()
    assert not dialog.isVisible()


def test_every_input_has_a_buddy_or_name(dialog: AdministerDialog) -> None:
    assert dialog.taken_on.accessibleName() == "Date"
    for row in dialog.rows:
        assert row.accessibleName().startswith(f"Item {row.number} of 9:")


def test_panel_shows_table_chart_and_outcome(ctx: Any, client_id: uuid.UUID, qtbot: Any,
                                             qtmodeltester: Any, immediate_tasks: None) -> None:
    from measures_helpers import answers_for

    for on, phq, gad in ((date(2026, 9, 10), 16, 12), (date(2026, 10, 20), 6, 5)):
        measures.record(ctx, measures.MeasureInput(client_id, "PHQ-9",
                        tuple(answers_for("PHQ-9", phq)), on), today=TODAY)
        measures.record(ctx, measures.MeasureInput(client_id, "GAD-7",
                        tuple(answers_for("GAD-7", gad)), on), today=TODAY)
    panel = MeasuresPanel()
    qtbot.addWidget(panel)
    panel.set_client(ctx, client_id)
    panel.resize(800, 600)
    panel.show()
    assert panel.model.rowCount() == 4
    qtmodeltester.check(panel.model)
    assert "reliable recovery" in panel.outcome.text()
    assert [s.measure_id for s in panel.chart.series] == ["PHQ-9", "GAD-7"]
    assert "PHQ-9: 10 Sep 16, 20 Oct 6; caseness at 10" in panel.chart.accessibleDescription()
    image = panel.grab()
    assert not image.isNull()
    measures.record(ctx, measures.MeasureInput(client_id, "WSAS", (2, 2, 2, 2, 2),
                    date(2026, 10, 20)), today=TODAY)
    from wellbeing_desktop.services.errors import Changed

    panel.on_data_changed(Changed.of("measure"))
    assert panel.model.rowCount() == 5
    panel.show_choice.setCurrentIndex(panel.show_choice.findData("WSAS"))
    assert [s.measure_id for s in panel.chart.series] == ["WSAS"]


def test_panel_removes_a_measure_entered_in_error(ctx: Any, client_id: uuid.UUID, qtbot: Any,
                                                  immediate_tasks: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    measures.record(ctx, measures.MeasureInput(client_id, "GAD-7", (1,) * 7, date(2026, 10, 1)),
                    today=TODAY)
    panel = MeasuresPanel()
    qtbot.addWidget(panel)
    panel.set_client(ctx, client_id)
    bus().data_changed.connect(panel.on_data_changed)
    assert not panel.remove.isEnabled()
    assert "answers in item order: 1, 1, 1" in panel.model.data(panel.model.index(0, 2),
                                                                 Qt.ItemDataRole.ToolTipRole)
    panel.table.selectRow(0)
    assert panel.remove.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.remove_selected()
    bus().data_changed.disconnect(panel.on_data_changed)
    assert panel.model.rowCount() == 0 and not panel.remove.isEnabled()
    assert measures.administrations(ctx, client_id) == []


def test_goal_ratings_are_named_after_the_clients_goals(ctx: Any, client_id: uuid.UUID,
                                                        qtbot: Any, immediate_tasks: None) -> None:
    from wellbeing_desktop.domain.needs import DOMAIN_CODES
    from wellbeing_desktop.services import goals

    domain = sorted(DOMAIN_CODES)[0]
    for what in ("Walk to the park three times a week", "Phone the debt advice line"):
        goals.save_goal(ctx, client_id, goals.GoalInput(
            what=what, why="To feel better", steps="Start on Monday",
            measure_of_success="Done it for two weeks", by_when=date(2026, 12, 20),
            domain=domain), today=TODAY)
    d = shown(qtbot, AdministerDialog(ctx, client_id, measure_id="GBO", today=TODAY))
    assert d.goals.value() == 2 and len(d.rows) == 2
    assert d.rows[0].item.text.startswith("Walk to the park three times a week — ")
    type_keys(qtbot, d, "4")
    assert "Still to answer: 2 (Goal 2: Phone the debt advice line)" in d.status.text()
