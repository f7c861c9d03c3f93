"""Settings → Intake and letters: the rules the waiting list shows and the letterhead and
signature the letters carry, saved to the settings file."""

from __future__ import annotations

import pytest

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.settings import Settings


@pytest.mark.usefixtures("immediate_tasks")
def test_rules_and_letterhead_are_saved_and_used(qtbot: object, ctx: AppContext) -> None:
    from wellbeing_desktop.services import waiting_list
    from wellbeing_desktop.ui.settings import section_classes
    from wellbeing_desktop.ui.settings.intake import IntakeSection

    assert IntakeSection in section_classes()
    section = IntakeSection()
    qtbot.addWidget(section)  # type: ignore[attr-defined]
    section.attach(ctx)
    assert section.attempts.value() == 2 and section.reply_days.value() == 14
    section.attempts.setValue(3)
    section.reply_days.setValue(10)
    section.letterhead.setPlainText("Kingsmere Talking Therapies\n\n1 Mill Street")
    section.role.setText("Wellbeing Practitioner")
    section.save()
    saved = Settings.load(ctx.data_dir)
    assert saved.section("intake")["attempts_before_opt_in"] == 3
    assert saved.section("letters")["letterhead"] == ["Kingsmere Talking Therapies",
                                                      "1 Mill Street"]
    rules = waiting_list.service_rules(ctx)
    assert (rules.attempts_before_opt_in, rules.opt_in_reply_days) == (3, 10)
    assert "3 contact attempts" in section.rules_note.text()
