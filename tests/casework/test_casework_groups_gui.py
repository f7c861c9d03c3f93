"""Group sessions through the real widgets: create one from the Clients page, fill its
register by searching, take attendance; it shows on the attendee's record and on Today."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QDateTime

from wellbeing_desktop.services import clients, groups
from wellbeing_desktop.ui.casework.form_dialog import select


def test_group_session_register_and_attendance(qtbot, ctx, client_id, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.pages.clients import ClientsPage

    page = ClientsPage()
    qtbot.addWidget(page)
    page.attach(ctx)
    listing = page.open_groups()
    qtbot.addWidget(listing)
    assert listing.table.rowCount() == 0 and not listing.register_button.isEnabled()
    new = listing.new_group()
    new.submit()  # topic and venue missing: named, nothing saved
    assert new.isVisible() and "topic" in new.errors._labels["topic"].text()
    assert groups.list_groups(ctx) == []
    new.topic.setText("Sleep well: week 1")
    new.venue.setText("Kingsmere Library, Community Room")
    when = datetime.combine(date.today() - timedelta(days=1), datetime.min.time()).replace(
        hour=13, minute=30)
    new.starts_at.setDateTime(QDateTime(when))
    new.capacity.setValue(2)
    new.submit()
    assert not new.isVisible()
    assert [g.topic for g in listing.groups] == ["Sleep well: week 1"]
    register = listing.open_register()
    qtbot.addWidget(register)
    register.add_selected()  # nobody chosen yet
    assert "choose them" in register.message.text()
    register.search.setText("hughes")
    assert register.matches.count() == 1
    register.add_selected()
    assert register.table.rowCount() == 1 and "1 of 2 places" in register.places.text()
    # The same person twice is refused, in words.
    register.search.setText("millie")
    register.add_selected()
    assert "already on the register" in register.message.text()
    select(register.table.cellWidget(0, 1), "attended")
    [mine] = groups.attendance_for_client(ctx, client_id)
    assert mine.topic == "Sleep well: week 1" and mine.attendance == "attended"
    assert "1 attended" in register.places.text()
    with ctx.store.read() as s:
        from wellbeing_desktop.storage.models import Client

        assert s.get(Client, client_id).last_contact_on == when.date()
    register.accept()
    assert listing.table.item(0, 3).text() == "1 of 2 booked · 1 attended"
    assert clients.get_client(ctx, client_id).id == client_id


def test_today_offers_group_sessions(qtbot, ctx, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.pages.today import TodayPage

    page = TodayPage()
    qtbot.addWidget(page)
    page.attach(ctx)
    listing = page.open_groups()  # a child of the page: closed and deleted with it
    assert listing.windowTitle() == "Group sessions"
