"""Merging duplicate records from the client record: the candidates are listed, the dialog
says which record is kept and what moves, and nothing happens until it is confirmed."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from wellbeing_desktop.services import clients, sessions


@pytest.mark.safety
def test_merge_from_the_record(qtbot, ctx, client_id, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.client_record import _open, open_client

    other = clients.create_client(ctx, clients.ClientInput(
        "Amelia", "Hughes", date_of_birth=date(1988, 3, 14), phone="07700 900456",
        email="amelia@example.org"), allow_duplicates=True).id
    sessions.save_appointment(ctx, other, sessions.AppointmentInput(
        datetime.now() - timedelta(days=3), mode="phone", outcome="attended"))
    rec = open_client(ctx, client_id)  # deletes itself on close: not handed to qtbot
    dlg = rec.merge_duplicate()
    assert dlg.candidates.count() == 1 and "similar name" in dlg.candidates.item(0).text()
    assert dlg.preview is not None and dlg.preview.keep.id == client_id
    assert "1 appointments" in dlg.summary.text() and "Kept:" in dlg.summary.text()
    assert not dlg.merge_button.isEnabled()  # not until confirmed
    dlg.merge()
    assert clients.get_client(ctx, other).id == other  # nothing happened
    # Keep the other record instead: the preview and the button follow.
    dlg.keep_other.setChecked(True)
    assert dlg.preview.keep.id == other and not dlg.confirm.isChecked()
    dlg.confirm.setChecked(True)
    assert dlg.merge_button.isEnabled() and "Merge into Amelia Hughes" in dlg.merge_button.text()
    dlg.merge_button.click()
    kept = clients.get_client(ctx, other)
    assert kept.nhs_number == "9434765919" and kept.phone == "07700 900456"
    assert [a.outcome for a in sessions.list_for_client(ctx, other)] == ["attended"]
    # This record was the one closed: its window gives way to the kept record's.
    assert client_id not in _open and other in _open
    _open[other].close()


@pytest.mark.safety
def test_merge_refuses_different_nhs_numbers(qtbot, ctx, client_id, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.casework.merge_dialog import MergeDialog

    other = clients.create_client(ctx, clients.ClientInput(
        "Millie", "Hughes", nhs_number="4010232137")).id
    dlg = MergeDialog(ctx, client_id, other_id=other)
    qtbot.addWidget(dlg)
    dlg.search.setText("millie")  # any record can be found by search
    item = next(dlg.candidates.item(i) for i in range(dlg.candidates.count()))
    dlg.candidates.setCurrentItem(item)
    assert dlg.preview is not None and "different NHS numbers" in dlg.error.text()
    dlg.confirm.setChecked(True)
    assert not dlg.merge_button.isEnabled()
