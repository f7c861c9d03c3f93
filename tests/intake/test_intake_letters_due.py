"""Letters due: the day's acknowledgements and appointment letters, built for one print job,
then marked done by recording them; a letter the stage rule refuses is listed with why."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from wellbeing_desktop.services import (
    contact_attempts,
    letters_due,
    packs,
    referral_import,
    sessions,
    waiting_list,
)
from wellbeing_desktop.services.app import AppContext

DATA = Path(__file__).parent / "data"


@pytest.mark.safety
def test_the_days_letters_print_together_and_drop_off(ctx: AppContext) -> None:
    p = referral_import.preview(ctx, DATA / "riverside.xlsx", source="gp", today=date.today())
    referral_import.commit(ctx, p)
    people = {r.name.split()[0]: r.client_id for r in waiting_list.waiting_list(ctx)}
    contact_attempts.set_contact_preferences(ctx, people["Amina"], post_allowed=False,
                                             message_allowed=True)
    when = datetime.combine(date.today() + timedelta(days=3), datetime.min.time()).replace(
        hour=10)
    sessions.save_appointment(ctx, people["Zoë"], sessions.AppointmentInput(when, mode="phone"))
    due = letters_due.due(ctx)
    kinds = sorted((d.name.split()[0], d.kind, d.recipient) for d in due)
    assert kinds == [("Amina", "acknowledgement", "person"),
                     ("Amina", "acknowledgement", "referrer"),
                     ("Grace", "acknowledgement", "person"),
                     ("Grace", "acknowledgement", "referrer"),
                     ("Zoë", "acknowledgement", "person"),
                     ("Zoë", "acknowledgement", "referrer"),
                     ("Zoë", "appointment", "person")]
    [blocked] = [d for d in due if d.blocked]
    assert blocked.name == "Amina Begum" and blocked.recipient == "person"
    assert "not safe to send post" in blocked.blocked
    batch = letters_due.build_batch(ctx, due)
    assert len(batch) == 6 and all(d.pdf.startswith(b"%PDF") for d in batch)
    letters_due.mark_printed(ctx, batch)
    left = letters_due.due(ctx)
    assert [(d.name, d.kind) for d in left] == [("Amina Begum", "acknowledgement")]
    assert {r.kind for r in packs.history(ctx, people["Zoë"])} == {"acknowledgement",
                                                                    "appointment"}
    # Moving the appointment makes its letter due again.
    [appt] = sessions.list_for_client(ctx, people["Zoë"])
    sessions.save_appointment(ctx, people["Zoë"], sessions.AppointmentInput(
        when + timedelta(hours=2), mode="phone"), appt.id)
    assert ("Zoë Nowak", "appointment") in [(d.name, d.kind) for d in letters_due.due(ctx)]
