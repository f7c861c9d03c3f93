"""Change names are an enum: a misspelt name fails at once, and every screen listens for names
that services really announce (the Sync page once listened for "document" while printing
announced "printed_document", so it never refreshed after a print)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from wellbeing_desktop.services.errors import Changed, Entity


def test_changed_accepts_members_and_refuses_unknown_names() -> None:
    changed = Changed.of(Entity.CLIENT, "referral", ids=("1",))
    assert changed.entities == {Entity.CLIENT, Entity.REFERRAL}
    assert "client" in changed.entities  # members are strings
    with pytest.raises(ValueError, match="'document'"):
        Changed.of("document")
    with pytest.raises(ValueError, match="clients"):
        Changed(frozenset({"clients"}))  # type: ignore[arg-type]


def test_a_screen_that_watches_an_unknown_name_fails_when_its_class_is_made(qtbot) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.pages.base import Page

    with pytest.raises(ValueError, match="'documents'"):
        type("Typo", (Page,), {"watches": frozenset({"documents"})})


def _screens() -> list[type]:
    import wellbeing_desktop.ui as ui
    from wellbeing_desktop.ui.pages.base import Page
    from wellbeing_desktop.ui.panels.base import ClientPanel

    for info in pkgutil.walk_packages(ui.__path__, "wellbeing_desktop.ui."):
        if info.name.endswith(("selftest", "__main__")):
            continue
        importlib.import_module(info.name)
    found: list[type] = []
    todo: list[type] = [Page, ClientPanel]
    while todo:
        cls = todo.pop()
        found.extend(cls.__subclasses__())
        todo.extend(cls.__subclasses__())
    # Only the app's screens (a refused class made by another test may linger until collected).
    return [cls for cls in found if cls.__module__.startswith("wellbeing_desktop.")]


def test_every_screen_watches_entities_only(qtbot) -> None:  # type: ignore[no-untyped-def]
    screens = _screens()
    assert len(screens) >= 10
    for cls in screens:
        for name in cls.watches:  # type: ignore[attr-defined]
            assert isinstance(name, Entity), (cls, name)


def test_the_sync_page_refreshes_after_a_print(qtbot, demo_ctx) -> None:  # type: ignore[no-untyped-def]
    from wellbeing_desktop.services import clients, packs
    from wellbeing_desktop.ui.pages.sync import SyncPage

    page = SyncPage()
    qtbot.addWidget(page)
    page.ctx = demo_ctx
    page._stale = False
    cid = clients.list_clients(demo_ctx, limit=1)[0].id
    document = packs.build_document(demo_ctx, cid, packs.DocumentChoice())
    changed = packs.record_printed(demo_ctx, document, "printed")  # what printing announces
    assert page.watches & changed.entities
    page.on_data_changed(changed)
    assert page._stale  # hidden: refreshes when next shown
