"""The settings service: validated, permission-checked and audited; the settings pages use it."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from wellbeing_desktop.services import audit, configuration
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.context import ROLE_PRACTITIONER, Actor
from wellbeing_desktop.services.errors import Entity, PermissionDenied, ValidationError
from wellbeing_desktop.services.settings import Settings


def _changes(ctx: AppContext) -> list[Any]:
    return audit.list_events(ctx, audit.AuditFilter(action="settings.change"))


def test_retention_is_validated_audited_and_saved(ctx: AppContext) -> None:
    with pytest.raises(ValidationError) as bad:
        configuration.set_retention_years(ctx, 0)
    assert bad.value.for_field("retention_years")
    assert _changes(ctx) == []
    changed = configuration.set_retention_years(ctx, 8)
    assert changed.entities == {Entity.SETTINGS}
    assert Settings.load(ctx.data_dir).section("security")["retention_years"] == 8
    [event] = _changes(ctx)
    assert event.entity_id == "security.retention_years" and "-> 8" in event.detail
    configuration.set_retention_years(ctx, 8)  # no change, no event
    assert len(_changes(ctx)) == 1


def test_a_practitioner_may_shorten_the_lock_but_not_lengthen_it_or_change_retention(
        ctx: AppContext) -> None:
    ctx.actor = Actor(uuid.uuid4(), "Pat Practitioner", ROLE_PRACTITIONER)
    with pytest.raises(PermissionDenied):
        configuration.set_retention_years(ctx, 5)
    with pytest.raises(PermissionDenied):
        configuration.set_idle_lock(ctx, 30)
    with pytest.raises(PermissionDenied):
        configuration.set_service_details(ctx, "Renamed", "")
    configuration.set_idle_lock(ctx, 5)
    assert configuration.security_options(ctx).idle_lock_minutes == 5
    assert Settings.load(ctx.data_dir).section("security").get("retention_years") is None


def test_bad_service_details_and_pack_options_name_their_fields(ctx: AppContext,
                                                               tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as bad:
        configuration.set_service_details(ctx, "  ", "call us!")
    assert bad.value.for_field("service_name") and bad.value.for_field("service_phone")
    with pytest.raises(ValidationError) as bad:
        configuration.set_pack_options(
            ctx, [configuration.ContactEntry("Somebody", "")], "tiny-print",
            str(tmp_path / "missing"))
    assert {p.field for p in bad.value.problems} == {"crisis_contacts", "default_variant",
                                                    "content_dir"}
    assert len(configuration.pack_options(ctx).crisis_contacts) == 3  # nothing written
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(ValidationError):
        configuration.set_backup_folder(ctx, str(tmp_path / "a-file"))
    configuration.set_backup_folder(ctx, str(tmp_path / "usb-not-plugged-in"))
    assert configuration.security_options(ctx).backup_folder.endswith("usb-not-plugged-in")


def test_the_settings_pages_write_through_the_service(qtbot: Any, ctx: AppContext,
                                                      immediate_tasks: None) -> None:
    from wellbeing_desktop.ui.settings.general import GeneralSection
    from wellbeing_desktop.ui.settings.retention import RetentionBox

    general = GeneralSection()
    qtbot.addWidget(general)
    general.attach(ctx)
    general.service_name.setText("Kingsmere Wellbeing")
    general.save_button.click()
    assert general.saved.text() == "Saved."
    box = RetentionBox()
    qtbot.addWidget(box)
    box.set_context(ctx)
    box.years.setValue(12)
    box.save_button.click()
    assert "12 years" in box.status.text()
    names = {e.entity_id for e in _changes(ctx)}
    assert names == {"service_name", "security.retention_years"}
    general.service_name.setText("")
    general.save_button.click()
    assert "Enter the service's name" in general.saved.text()
    assert Settings.load(ctx.data_dir).get("service_name") == "Kingsmere Wellbeing"
