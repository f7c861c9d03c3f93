"""Notes typed before a crash are offered back at start-up, after Today's first data."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from wellbeing_desktop.services import drafts, sessions


@pytest.mark.safety
def test_pending_drafts_are_offered_and_restored(qtbot, ctx, client_id, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.app import after_first_data
    from wellbeing_desktop.ui.casework.drafts_offer import (
        PendingDraftsDialog,
        offer_pending_drafts,
    )
    from wellbeing_desktop.ui.client_record import _open
    from wellbeing_desktop.ui.main_window import MainWindow

    booked = sessions.save_appointment(ctx, client_id, sessions.AppointmentInput(
        datetime.now() + timedelta(hours=1), mode="phone"), now=datetime.now()).id
    drafts.save_draft(ctx, client_id, f"appointment:{booked}", "Talked about sleep and money",
                      {"advice": "Wind-down hour"})
    drafts.save_draft(ctx, client_id, f"appointment:new:{client_id}", "Phoned back; fine")
    window = MainWindow(ctx.settings)
    qtbot.addWidget(window)
    window.show()
    window.attach(ctx)
    after_first_data(window, lambda: offer_pending_drafts(window, ctx))
    qtbot.waitUntil(lambda: window.findChild(PendingDraftsDialog) is not None, timeout=5000)
    offer = window.findChild(PendingDraftsDialog)
    assert window.pages["today"].last is not None  # Today's data came first
    assert offer.list.count() == 2 and "Millie" not in offer.list.item(0).text()
    assert "Amelia Hughes" in offer.list.item(0).text()
    # Discarding asks first; "Cancel" keeps it.
    offer.confirm_discard = lambda _d: False
    offer.list.setCurrentRow(1)
    offer.discard_selected()
    assert len(drafts.pending(ctx)) == 2 and offer.list.count() == 2
    # Open the one for the booked session: the form comes back with what was typed.
    target = next(i for i in range(2)
                  if "sleep and money" in offer.list.item(i).text())
    offer.list.setCurrentRow(target)
    offer.open_selected()
    form = offer.opened
    assert form.notes.toPlainText() == "Talked about sleep and money"
    assert form.advice.toPlainText() == "Wind-down hour" and "Restored" in form.draft_note.text()
    assert offer.list.count() == 1
    form.dirty = False
    form.done(0)
    offer.confirm_discard = lambda _d: True
    offer.discard_selected()
    assert not offer.isVisible()
    assert [d.key for d in drafts.pending(ctx)] == [f"appointment:{booked}"]
    _open[client_id].close()


def test_nothing_is_offered_without_drafts(qtbot, ctx, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.casework.drafts_offer import (
        PendingDraftsDialog,
        offer_pending_drafts,
    )
    from wellbeing_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx.settings)
    qtbot.addWidget(window)
    offer_pending_drafts(window, ctx)
    assert window.findChild(PendingDraftsDialog) is None
