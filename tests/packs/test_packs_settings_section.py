"""Printed documents settings: crisis contacts edited, saved and printed on the next document."""

from __future__ import annotations

import pytest
from packs_readback import read_pdf

from wellbeing_desktop.services import packs
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import list_clients
from wellbeing_desktop.services.settings import Settings


@pytest.mark.safety
def test_edited_crisis_contact_is_saved_and_printed(qtbot: object, demo_ctx: AppContext,
                                                    immediate_tasks: None) -> None:
    from wellbeing_desktop.ui.settings.packs import PacksSection

    section = PacksSection()
    qtbot.addWidget(section)  # type: ignore[attr-defined]
    section.attach(demo_ctx)
    assert section.contacts.rowCount() == 3
    section._add("Kingsmere Crisis Café, evenings", "01632 960 999")
    section.default_variant.setCurrentIndex(section.default_variant.findData("large-print"))
    section.save_button.click()
    saved = Settings.load(demo_ctx.data_dir).section("packs")
    assert saved["crisis_contacts"][-1] == {"name": "Kingsmere Crisis Café, evenings",
                                            "phone": "01632 960 999"}
    assert saved["default_variant"] == "large-print"
    cid = list_clients(demo_ctx, limit=1)[0].id
    text = read_pdf(packs.build_document(demo_ctx, cid, packs.DocumentChoice()).pdf).text
    # The number first, then who answers (the crisis box is a two-column list).
    assert "01632 960 999\nKingsmere Crisis Café, evenings" in text.replace("\u00a0", " ")


@pytest.mark.parametrize("phone", [""])
@pytest.mark.safety
def test_a_contact_without_a_phone_is_not_saved(qtbot: object, demo_ctx: AppContext,
                                                phone: str, immediate_tasks: None) -> None:
    from wellbeing_desktop.ui.settings.packs import PacksSection

    section = PacksSection()
    qtbot.addWidget(section)  # type: ignore[attr-defined]
    section.attach(demo_ctx)
    section._add("Somebody", phone)
    section.save_button.click()
    assert "needs who it is and a phone number" in section.saved.text()
    assert len(Settings.load(demo_ctx.data_dir).section("packs")["crisis_contacts"]) == 3
