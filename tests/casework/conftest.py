"""Casework fixtures: a client with a referral, on a real store."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from wellbeing_desktop.services import clients, referrals


@pytest.fixture
def client_id(ctx):  # type: ignore[no-untyped-def]
    saved = clients.create_client(ctx, clients.ClientInput(
        "Amelia", "Hughes", preferred_name="Millie", date_of_birth=date(1988, 3, 14),
        nhs_number="943 476 5919", postcode="km1 4ab", phone="07700 900123"))
    referrals.create_referral(ctx, saved.id, referrals.ReferralInput(
        date.today() - timedelta(days=20), "gp", "Dr A. Shah", "Low mood and debt worries."))
    return saved.id
