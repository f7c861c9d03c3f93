"""The waiting list (longest wait first, last attempt, opt-in deadline, next action by the
service's rules, never applied by itself) and contact attempts."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from wellbeing_desktop.domain import intake
from wellbeing_desktop.services import contact_attempts, referral_import, referrals, waiting_list
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 12, 4)


@pytest.fixture
def imported(ctx: AppContext) -> AppContext:
    p = referral_import.preview(ctx, DATA / "riverside.xlsx", source="gp", today=TODAY)
    referral_import.commit(ctx, p)
    return ctx


def test_rules_give_the_next_action_in_words() -> None:
    rules = intake.Rules()
    w = intake.Waiting("received", date(2026, 11, 1))
    assert intake.next_action(w, rules, TODAY) == "Try to contact them (attempt 1 of 2)"
    w2 = intake.Waiting("received", date(2026, 11, 1), attempts=2)
    assert "send the opt-in letter (reply by 18 Dec)" in intake.next_action(w2, rules, TODAY)
    w3 = intake.Waiting("received", date(2026, 11, 1), attempts=2, opt_in_by=date(2026, 12, 1))
    assert "offer discharge back to the referrer" in intake.next_action(w3, rules, TODAY)
    w4 = intake.Waiting("received", date(2026, 11, 1), attempts=1, reached=True)
    assert intake.next_action(w4, rules, TODAY) == "Book the assessment"
    assert "2 missed" in intake.next_action(
        intake.Waiting("contacted", date(2026, 11, 1), missed=2), rules, TODAY)
    three = intake.Rules.from_settings({"attempts_before_opt_in": "3", "opt_in_reply_days": 999})
    assert three.attempts_before_opt_in == 3 and three.opt_in_reply_days == 60


def test_waiting_list_orders_by_days_waited(imported: AppContext) -> None:
    rows = waiting_list.waiting_list(imported, today=TODAY)
    # Equal waits: by family name.
    assert [r.name for r in rows] == ["Zoë Nowak", "Grace Okafor", "Amina Begum"]
    assert [r.days_waited for r in rows] == [3, 3, 2]
    assert all(r.next_action.startswith("Try to contact") for r in rows)
    assert waiting_list.waiting_list(imported, waiting_list.WaitingFilter(need="benefits"),
                                     today=TODAY)[0].name == "Amina Begum"
    assert waiting_list.waiting_list(imported, waiting_list.WaitingFilter(source="self"),
                                     today=TODAY) == []


def test_two_attempts_then_the_opt_in_letter_is_the_next_action(imported: AppContext) -> None:
    grace = waiting_list.waiting_list(imported, today=TODAY)[1]
    for day, outcome in ((2, "no_answer"), (3, "left_message")):
        contact_attempts.record(imported, grace.client_id, contact_attempts.AttemptInput(
            "phone", outcome, "mobile", date(2026, 12, day)), today=TODAY)
    row = next(r for r in waiting_list.waiting_list(imported, today=TODAY)
               if r.client_id == grace.client_id)
    assert row.attempts == 2 and row.last_attempt == "Phone call: left a message"
    assert row.last_attempt_on == date(2026, 12, 3)
    assert "send the opt-in letter" in row.next_action
    # Shown, never applied: the referral is still waiting for first contact.
    assert referrals.list_for_client(imported, grace.client_id)[0].status == "received"


def test_reaching_them_is_first_contact(imported: AppContext) -> None:
    zoe = waiting_list.waiting_list(imported, today=TODAY)[0]
    contact_attempts.record(imported, zoe.client_id, contact_attempts.AttemptInput(
        "phone", "spoke", "with interpreter line", TODAY), today=TODAY)
    [ref] = referrals.list_for_client(imported, zoe.client_id)
    assert ref.status == "contacted" and ref.first_contact_on == TODAY
    row = next(r for r in waiting_list.waiting_list(imported, today=TODAY)
               if r.client_id == zoe.client_id)
    assert row.next_action == "Book the assessment"


def test_bad_attempts_and_no_messages_when_not_allowed(imported: AppContext) -> None:
    amina = waiting_list.waiting_list(imported, today=TODAY)[2]
    with pytest.raises(ValidationError) as info:
        contact_attempts.record(imported, amina.client_id, contact_attempts.AttemptInput(
            "pigeon", "", attempted_on=TODAY + timedelta(days=1)), today=TODAY)
    assert {p.field for p in info.value.problems} == {"method", "outcome", "attempted_on"}
    contact_attempts.set_contact_preferences(imported, amina.client_id, post_allowed=False,
                                             message_allowed=False)
    with pytest.raises(ValidationError, match="not to leave messages"):
        contact_attempts.record(imported, amina.client_id, contact_attempts.AttemptInput(
            "phone", "left_message"), today=TODAY)
    assert contact_attempts.list_for_client(imported, amina.client_id) == []
    assert contact_attempts.contact_preferences(imported, amina.client_id) == (False, False)


def test_report_figures_opt_in_and_dna_rates(imported: AppContext) -> None:
    from datetime import datetime

    from wellbeing_desktop.services import intake_reports, packs, sessions

    rows = {r.name.split()[0]: r.client_id for r in waiting_list.waiting_list(imported)}
    for person in ("Grace", "Amina"):
        for outcome in ("no_answer", "no_answer"):
            contact_attempts.record(imported, rows[person], contact_attempts.AttemptInput(
                "phone", outcome))
        doc = packs.build_document(imported, rows[person], packs.DocumentChoice(kind="optin"))
        packs.record_printed(imported, doc)
    contact_attempts.record(imported, rows["Grace"], contact_attempts.AttemptInput(
        "phone", "spoke", "rang back after the letter"))
    past = datetime.combine(date.today() - timedelta(days=1), datetime.min.time()).replace(
        hour=10)
    for outcome in ("attended", "did_not_attend", "attended", "attended"):
        sessions.save_appointment(imported, rows["Zoë"], sessions.AppointmentInput(
            past, mode="phone", outcome=outcome))
    f = intake_reports.intake_figures(imported, "365d")
    assert (f.referrals, f.attempts, f.reached, f.opt_in_sent, f.opted_in) == (3, 5, 2, 2, 1)
    assert f.opt_in_rate == 0.5 and f.dna_rate == 0.25
