"""Discharge checks: open goals, a signposting follow-up due, no paired outcome scores are
said, and discharge goes ahead only with the practitioner's reason (kept in the history)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from wellbeing_desktop.domain.goals import GoalDraft
from wellbeing_desktop.services import clients, discharge, goals, referrals
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.discharge_checks import checks
from wellbeing_desktop.services.errors import ValidationError

PLAN = ("Keep going to the walking group", "Your GP or NHS 111", "Refer yourself again")


@pytest.fixture
def person(ctx: AppContext) -> object:
    cid = clients.create_client(ctx, clients.ClientInput("Tola", "Adeyemi")).id
    referrals.create_referral(ctx, cid, referrals.ReferralInput(
        date.today() - timedelta(days=30), "gp", "Dr Patel", "Loneliness"))
    goals.save_goal(ctx, cid, GoalDraft("Go to the walking group", "To meet people",
                                        "Ask about times", "Went twice",
                                        date.today() + timedelta(days=20), "social"))
    return cid


def test_checks_are_said_and_a_reason_is_asked_for(ctx: AppContext, person: object) -> None:
    found = checks(ctx, person)  # type: ignore[arg-type]
    assert any("goal is still open" in c for c in found)
    assert any("no paired outcome scores" in c for c in found)
    with pytest.raises(ValidationError) as info:
        discharge.discharge(ctx, person, discharge.DischargeInput("client_choice", *PLAN))  # type: ignore[arg-type]
    message = info.value.for_field("checks_reason") or ""
    assert "goal is still open" in message and "Say why" in message
    assert referrals.list_for_client(ctx, person)[0].status == "received"  # type: ignore[arg-type]
    discharge.discharge(ctx, person, discharge.DischargeInput(  # type: ignore[arg-type]
        "client_choice", *PLAN, checks_reason="Moving away next week"))
    [ref] = referrals.list_for_client(ctx, person)  # type: ignore[arg-type]
    assert ref.status == "discharged"
    assert "Because: Moving away next week" in ref.history[-1].reason
    assert "goal is still open" in ref.history[-1].reason
