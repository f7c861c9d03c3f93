"""The client form asks the optional coded questions; an interpreter need shows on Today and
on the client's sessions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import Qt

from wellbeing_desktop.services import clients, sessions, today


def test_client_form_saves_coded_answers(qtbot, ctx, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.dialogs.client_form import ClientDialog
    from wellbeing_desktop.ui.dialogs.coded_fields import CodeChecklist

    dlg = ClientDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.given.setText("Amira")
    dlg.family.setText("Haddad")
    dlg.language.setCurrentIndex(dlg.language.findData("ar"))
    assert dlg.language.currentText() == "Arabic"  # names, never bare codes
    ethnic = dlg.coded["ethnic_category"]
    assert ethnic.currentText() == "Not asked"  # type: ignore[attr-defined]
    ethnic.setCurrentIndex(ethnic.findData("N"))  # type: ignore[attr-defined]
    disability = dlg.coded["disability"]
    assert isinstance(disability, CodeChecklist)
    for i in range(disability.count()):
        if disability.item(i).data(Qt.ItemDataRole.UserRole) in ("02", "09"):
            disability.item(i).setCheckState(Qt.CheckState.Checked)
    assert not dlg.grab().isNull()  # painted (look at it by saving it)
    dlg.submit()
    assert not dlg.isVisible()
    saved = clients.get_client(ctx, dlg.saved_id)
    assert (saved.language, saved.ethnic_category, saved.disability) == ("ar", "N", "02,09")
    assert saved.gender_identity == ""  # not asked


def test_interpreter_need_shows_on_today(ctx) -> None:  # type: ignore[no-untyped-def]
    cid = clients.create_client(ctx, clients.ClientInput(
        "Amira", "Haddad", language="ar", interpreter_needed=True)).id
    on = date.today()
    sessions.save_appointment(ctx, cid, sessions.AppointmentInput(
        starts_at=datetime.combine(on, time(23, 0)), minutes=45, mode="phone"))
    items = today.summary(ctx, on).today
    assert any("interpreter: Arabic" in i.what for i in items)
    assert not any("interpreter" in i.what for i in today.summary(
        ctx, on + timedelta(days=2)).today)
