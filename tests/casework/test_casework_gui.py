"""The real widgets, driven like a practitioner: referral → assessment → session → goal
review → discharge, plus the list model, the risk banner and draft recovery."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDateTime, Qt

from wellbeing_desktop.domain import casework as rules
from wellbeing_desktop.services import clients, drafts, goals, referrals, risk, sessions
from wellbeing_desktop.ui.casework.form_dialog import select


@pytest.fixture
def record(qtbot, ctx, client_id, immediate_tasks):  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.client_record import open_client

    rec = open_client(ctx, client_id)
    qtbot.addWidget(rec)
    return rec


def test_client_list_model_is_sound_and_sorts_in_sql(qtbot, qtmodeltester, demo_ctx,  # type: ignore[no-untyped-def]
                                                     immediate_tasks) -> None:
    from wellbeing_desktop.ui.pages.clients import ClientsPage

    page = ClientsPage()
    qtbot.addWidget(page)
    page.attach(demo_ctx)
    page.refresh()
    assert page.model.rowCount() == 40 and page.count.text() == "40 clients"
    qtmodeltester.check(page.model)
    page.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    births = [r.date_of_birth for r in page.model.rows if r.date_of_birth]
    assert births == sorted(births, reverse=True)
    select(page.status, "discharged")
    assert page.model.rows and all(r.status == "discharged" for r in page.model.rows)
    select(page.status, "")
    page.search.setText(page.model.rows[0].family_name[:4])
    page.refresh()
    assert 0 < page.model.rowCount() < 40


def test_referral_to_discharge_through_the_widgets(record, ctx, client_id, qtbot) -> None:  # type: ignore[no-untyped-def]
    rec = record
    assert "Millie Hughes" in rec.heading.text()
    # assessment: suitability (keeps what was typed when the checklist is incomplete)
    dlg = rec.suitability()
    dlg.reasons.setPlainText("Wants practical help with debt and sleep")
    select(dlg.mode, "phone")
    dlg.submit()
    assert dlg.isVisible() and "expectation" in dlg.errors._labels["expectations"].text()
    assert dlg.reasons.toPlainText() == "Wants practical help with debt and sleep"
    for box in dlg.expectations.values():
        box.setChecked(True)
    dlg.submit()
    assert not dlg.isVisible()
    assert referrals.list_for_client(ctx, client_id)[0].status == "assessed"
    # needs check
    needs_dlg = rec.needs_check()
    level, prio, note = needs_dlg.rows["money_debt"]
    select(level, "2")
    select(prio, "2")
    note.setText("Rent arrears")
    needs_dlg.submit()
    assert not needs_dlg.isVisible()
    assert "Money and debt" in rec.own_tabs[1].body.text()
    # a session with topics
    s_dlg = rec.new_session()
    s_dlg.when.setDateTime(QDateTime(datetime.now() - timedelta(hours=1)))
    select(s_dlg.mode, "phone")
    sleep = next(s_dlg.topics.item(i) for i in range(s_dlg.topics.count())
                 if s_dlg.topics.item(i).data(Qt.ItemDataRole.UserRole) == "sleep")
    sleep.setCheckState(Qt.CheckState.Checked)
    assert s_dlg.outcome.currentData() == "attended"  # picking a topic means it happened
    assert "wind-down" in s_dlg.advice.toPlainText()
    s_dlg.notes.setPlainText("Talked about sleep and the letters from the council.")
    s_dlg.submit()
    assert not s_dlg.isVisible()
    assert rec.own_tabs[2].table.rowCount() == 1
    assert "Sleep" in rec.own_tabs[2].table.item(0, 3).text()
    # goal then review
    g_dlg = rec.new_goal()
    g_dlg.what.setText("Go to bed by 11pm on weeknights")
    g_dlg.submit()
    assert g_dlg.errors._labels["measure_of_success"].isVisibleTo(g_dlg)
    g_dlg.success.setText("In bed by 11 on four nights a week")
    g_dlg.submit()
    assert not g_dlg.isVisible()
    [goal] = goals.list_for_client(ctx, client_id)
    r_dlg = rec.review_goal(goal)
    r_dlg.rating.setValue(6)
    r_dlg.comment.setPlainText("Four nights out of five")
    r_dlg.submit()
    assert goals.list_for_client(ctx, client_id)[0].latest_rating == 6
    # discharge with the continued-care plan
    d_dlg = rec.discharge()
    d_dlg.what_next.setPlainText("Keep the bedtime routine")
    d_dlg.who.setPlainText("Your GP")
    d_dlg.back.setPlainText("Ring us on 01632 960 100")
    # Discharge checks (intake): the open goal and the missing paired scores are said, and
    # discharge waits for the reason.
    assert "goal is still open" in d_dlg.checks_reason.placeholderText()
    d_dlg.submit()
    assert d_dlg.isVisible() and d_dlg.errors._labels["checks_reason"].isVisibleTo(d_dlg)
    d_dlg.checks_reason.setPlainText("Goal met in all but name; scores declined")
    d_dlg.submit()
    assert not d_dlg.isVisible()
    assert referrals.list_for_client(ctx, client_id)[0].status == "discharged"
    assert "Keep the bedtime routine" in rec.own_tabs[4].body.text()
    assert not rec.own_tabs[4].discharge_button.isEnabled()


@pytest.mark.safety
def test_unsaved_changes_are_not_discarded_without_asking(record) -> None:  # type: ignore[no-untyped-def]
    dlg = record.new_goal()
    dlg.what.setText("Walk more")
    asked = []
    dlg.confirm_discard = lambda: asked.append(1) or False
    dlg.reject()
    assert asked and dlg.isVisible() and dlg.what.text() == "Walk more"
    dlg.confirm_discard = lambda: True
    dlg.reject()
    assert not dlg.isVisible()


@pytest.mark.safety
def test_risk_dialog_records_and_banner_persists(qtbot, ctx, client_id, record) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.dialogs.risk_concern import RiskConcernDialog

    assert record.banner.isHidden()
    dlg = RiskConcernDialog(ctx, client_id, source="measure:PHQ-9",
                            detail="PHQ-9 item 9 answered 2")
    qtbot.addWidget(dlg)
    assert "116 123" in dlg.contacts.text()
    dlg.submit()  # a measure's concern may be recorded before anyone acted
    assert not dlg.isVisible()
    assert not record.banner.isHidden()
    assert "No action recorded yet" in record.banner.text.text()
    action = record.record_action()
    action.text.setPlainText("Phoned; safety plan agreed")
    action.submit()
    assert "safety plan" in record.banner.text.text()
    resolve = record.resolve_concern()
    resolve.text.setPlainText("Reviewed; no current risk")
    resolve.submit()
    assert record.banner.isHidden() and risk.open_concerns(ctx, client_id) == []


@pytest.mark.safety
def test_practitioner_concern_needs_action(qtbot, ctx, client_id, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.dialogs.risk_concern import RiskConcernDialog

    dlg = RiskConcernDialog(ctx, client_id, source="practitioner")
    qtbot.addWidget(dlg)
    dlg.confirm_discard = lambda: True  # teardown closes it without a modal question
    dlg.show()
    dlg.detail.setPlainText("Talked about not wanting to be here")
    dlg.submit()
    assert dlg.isVisible() and dlg.errors._labels["action_taken"].text()
    assert risk.open_concerns(ctx, client_id) == []


@pytest.mark.safety
def test_session_note_draft_comes_back_after_a_crash(qtbot, ctx, client_id, record) -> None:  # type: ignore[no-untyped-def]
    dlg = record.new_session()
    dlg.notes.setPlainText("Half-written note before the power cut")
    dlg.save_draft()
    dlg.autosave.stop()
    dlg.hide()  # the window vanishes without saving or discarding (a crash)
    again = record.new_session()
    assert again.notes.toPlainText() == "Half-written note before the power cut"
    assert "Restored" in again.draft_note.text()
    assert [d.text for d in drafts.pending(ctx)] == ["Half-written note before the power cut"]


@pytest.mark.safety
def test_new_client_dialog_shows_duplicates_first(qtbot, ctx, client_id, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.dialogs.client_form import ClientDialog

    dlg = ClientDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.given.setText("amelia")
    dlg.family.setText("HUGHES")
    dlg.dob.setDate(date(1988, 3, 14))
    dlg.nhs.setText("123")
    dlg.submit()
    assert "10 digits" in dlg.errors._labels["nhs_number"].text()
    dlg.nhs.setText("")
    dlg.submit()
    assert dlg.isVisible() and dlg.duplicates.count() == 1
    assert "Millie Hughes" in dlg.duplicates.item(0).text()
    before = clients.count_clients(ctx)
    dlg.submit()  # saving again after seeing the candidates adds a new record
    assert not dlg.isVisible() and clients.count_clients(ctx) == before + 1


def test_today_page_rows_open_the_record(qtbot, ctx, client_id, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui import client_record
    from wellbeing_desktop.ui.pages.today import TodayPage

    sessions.save_appointment(ctx, client_id, sessions.AppointmentInput(
        datetime.combine(date.today(), datetime.max.time()).replace(microsecond=0,
                                                                   second=0), mode="phone"))
    page = TodayPage()
    qtbot.addWidget(page)
    page.attach(ctx)
    page.refresh()
    listing = page.lists["today"]
    assert listing.count() == 1 and "Millie Hughes" in listing.item(0).text()
    page._open(listing.item(0))
    assert client_id in client_record._open
    client_record._open[client_id].close()
    assert rules.label(rules.MODES, "phone") in listing.item(0).text()
