"""A course's participant documents in another language: wording from the same catalogues,
the draft status on the page, the register (for staff) in English, the language recorded."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from courses_helpers import run_course
from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).parents[1] / "packs"))
from packs_readback import readable_text  # noqa: E402

from wellbeing_desktop.services import course_documents  # noqa: E402
from wellbeing_desktop.services.errors import ValidationError  # noqa: E402
from wellbeing_desktop.storage.models.documents import PrintedDocument  # noqa: E402

text_of = readable_text


@pytest.fixture
def course(ctx: Any) -> Any:
    return run_course(ctx, 2)[0]


def test_a_course_plan_in_a_draft_language_says_so(ctx: Any, course: Any) -> None:
    plan = course_documents.build(ctx, course, "course_plan", language="ar")
    text = text_of(plan.pdf)
    assert "خطة دورتك" in text and "الجلسات" in text           # translated
    assert "Arabic translation: Draft translation" in text       # never silently
    assert "If you cannot come to a session" in text             # untranslated: English, whole
    assert plan.language == "ar"
    course_documents.record_printed(ctx, plan)
    with ctx.store.read() as s:
        langs = set(s.execute(select(PrintedDocument.language)).scalars())
    assert langs == {"ar"}


def test_polish_dates_and_certificates(ctx: Any, course: Any) -> None:
    plan = text_of(course_documents.build(ctx, course, "course_plan", language="pl").pdf)
    assert "Spotkania" in plan and "Spotkanie 6: wtorek, 17 listopada, godz. 13:30" in plan
    # An untranslated sentence is English whole: "Run by A and B", not "Run by A i B".
    assert "Run by Sam Okoye and Priya Shah." in plan
    assert "Draft machine translation" in plan
    certificates = course_documents.build(ctx, course, "certificates", language="pl")
    text = text_of(certificates.pdf)
    assert text.count("Zaświadczenie o ukończeniu kursu") == 2
    assert text.count("Draft machine translation") == 1          # once, not per page


def test_the_register_is_for_staff_and_stays_english(ctx: Any, course: Any) -> None:
    register = course_documents.build(ctx, course, "register", language="ar")
    text = text_of(register.pdf)
    assert "Register:" in text and "translation" not in text and register.language == "en"


def test_a_language_without_text_is_refused(ctx: Any, course: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        course_documents.build(ctx, course, "course_plan", language="ta")
    assert "No printed text in Tamil" in caught.value.problems[0].message


def test_a_course_handout_in_another_language(ctx: Any, course: Any, tmp_path: Path) -> None:
    from wellbeing_desktop.services import handouts

    built = handouts.build_handout(ctx, "sleep", course_id=course, language="ar",
                                   today=date(2026, 10, 1))
    text = text_of(built.pdf)
    assert "الجلسة 6: الثلاثاء 17 نوفمبر، 13:30" in text          # the session lines
    assert "Arabic translation: Draft translation" in text        # never silently
    english = text_of(handouts.build_handout(ctx, "sleep", course_id=course,
                                             today=date(2026, 10, 1)).pdf)
    assert "Session 6: Tuesday 17 November, 13:30" in english and "translation" not in english
    # The command takes the language too, and refuses one without text.
    from wellbeing_desktop.cli import main

    data = str(ctx.store.data_dir)
    ctx.close()
    out = tmp_path / "sleep.pdf"
    assert main(["--data-dir", data, "handout", "--need", "sleep", "--out", str(out),
                 "--language", "pl"]) == 0
    assert "Lepszy sen: usługi, które mogą pomóc" in text_of(out.read_bytes())
    assert main(["--data-dir", data, "handout", "--need", "sleep", "--out", str(out),
                 "--language", "ta"]) == 2


def test_the_courses_dialog_prints_the_participants_documents_in_the_chosen_language(
        ctx: Any, course: Any, qtbot: Any, immediate_tasks: None) -> None:
    from wellbeing_desktop.ui.courses.courses_dialog import CoursesDialog

    screen = CoursesDialog(ctx)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitUntil(lambda: screen.selected() is not None and screen.language.count() > 1)
    polish = screen.language.findData("pl")
    assert polish > 0 and "draft" in screen.language.itemText(polish)   # never silently
    assert screen.language.currentData() == "en"                        # English unless chosen
    screen.language.setCurrentIndex(polish)
    screen.print_document("course_plan", ask=False)
    qtbot.waitUntil(lambda: screen.last_pdf is not None)
    plan = text_of(screen.last_pdf)
    assert "Spotkania" in plan and "Draft machine translation" in plan
    screen.last_pdf = None
    screen.print_document("register", ask=False)                        # for staff: English
    qtbot.waitUntil(lambda: screen.last_pdf is not None)
    assert "Spotkania" not in text_of(screen.last_pdf)
    screen.last_pdf = None
    screen.handout("money_debt", ask=False)
    qtbot.waitUntil(lambda: screen.last_pdf is not None)
    assert "Draft machine translation" in text_of(screen.last_pdf)
