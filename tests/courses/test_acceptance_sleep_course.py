"""Issue 16, "done means": a practitioner sets up a 6-week sleep course, enrols eight people,
prints the register, takes it each week, hands out a sleep handout, and at the end sees who
finished, how their sleep and measures changed, and the same figures in Reports and in the
central bundle. Real store, real widgets (pytest-qt), real PDFs read back, a real bundle
merged into a central SQLite store."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path
from typing import Any

from courses_helpers import people
from enrolment_helpers import merge_enrolled
from pypdf import PdfReader
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import create_engine, text

from wellbeing_desktop.services import course_register, courses, measures, reports, sync
from wellbeing_desktop.ui.courses.courses_dialog import CoursesDialog
from wellbeing_desktop.ui.courses.register_dialog import CourseRegisterDialog

TODAY = date(2026, 11, 24)
# Marks per week for the eight people (A attended, L late, E left early, D did not attend).
WEEKS = ["AAAAAAAA", "ALAADAAD", "AAEADDAD", "AAAADADD", "ALAAADAD", "AAAAADAD"]


def _pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join((p.extract_text() or "").split())
                    for p in PdfReader(io.BytesIO(pdf)).pages)


def test_six_week_sleep_course_from_set_up_to_the_central_bundle(
        demo_ctx: Any, qtbot: Any, immediate_tasks: None, tmp_path: Path) -> None:
    ctx = demo_ctx
    group = people(ctx, 8)
    # The demo town runs courses of its own: the figures below are what this course adds.
    before = reports.team_report(ctx, "365d", today=TODAY)
    assert before.courses is not None

    # 1. Set up the course from the Courses screen.
    screen = CoursesDialog(ctx)
    qtbot.addWidget(screen)
    screen.show()
    form = screen.new_course()
    form.title_box.setText("Sleep well")
    form.audience.setText("Adults whose sleep is affecting their day")
    form.venue.setText("Kingsmere Library, Room 2")
    form.facilitators.setText("Sam Okoye, Priya Shah")
    form.capacity.setValue(8)
    form.first.setDateTime(QDateTime(datetime(2026, 10, 13, 13, 30)))
    form.weeks.setValue(6)
    form.complete_after.setValue(4)
    assert form.topics.rowCount() == 6
    form.submit()
    qtbot.waitUntil(lambda: bool(screen.courses))
    course = screen.selected()
    assert course is not None and course.title == "Sleep well" and len(course.sessions) == 6
    assert course.rule_text == "attended at least 4 of 6"

    # 2. Enrol eight people by searching for them; a ninth goes on the waiting list.
    for n in range(8):
        screen.search.setText(f"Sleeper{chr(65 + n)}")
        qtbot.waitUntil(lambda: screen.matches.count() == 1)
        screen.enrol_selected()
    assert courses.get_course(ctx, course.id).enrolled == 8
    (extra,) = people(ctx, 1)
    assert courses.enrol(ctx, course.id, extra).status == "waiting"

    # 3. Print the register: first name and initial only, a sign-in sheet per session.
    screen.print_document("register", ask=False)
    register_text = _pdf_text(screen.last_pdf or b"")
    assert "PersonA S." in register_text and "SleeperA" not in register_text
    assert register_text.count("Sign-in: session") == 6

    # 4. Take the register each week, by keyboard.
    for week, session in enumerate(course.sessions):
        dialog = CourseRegisterDialog(ctx, session.id)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda d=dialog: d.table.rowCount() == 8
                        and QApplication.focusWidget() is d.table)
        for key in WEEKS[week]:
            qtbot.keyClick(dialog.table, key)
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda d=dialog: d.saved)

    # 5. A sleep handout for the group, from the directory, with the course's dates.
    screen.handout("sleep", ask=False)
    handout = _pdf_text(screen.last_pdf or b"")
    assert "Sleep well" in handout and "Sleep Well Programme" in handout
    assert "Session 6: Tuesday 17 November" in handout

    # Sleep measured at the start and the end for each person.
    for n, cid in enumerate(group):
        for on, answers in ((date(2026, 10, 13), (5.0 + n * 0.1, 3)),
                            (date(2026, 11, 17), (7.0 + n * 0.1, 1 if n % 2 else 2))):
            measures.record(ctx, measures.MeasureInput(cid, "Sleep", answers, on), today=TODAY)

    # 6. Who finished (attended at least 4 of 6), on the screen and from the service.
    screen.reload()
    qtbot.waitUntil(lambda: screen.people_table.rowCount() == 9)
    finished = {p.client_id for p in course_register.progress(ctx, course.id) if p.finished}
    expected = {group[i] for i in range(8) if sum(w[i] != "D" for w in WEEKS) >= 4}
    assert finished == expected and len(finished) == 5
    shown = [screen.people_table.item(r, 3).text() for r in range(8)]
    assert shown.count("yes") == 5
    screen.print_document("certificates", ask=False)
    certificates = _pdf_text(screen.last_pdf or b"")
    assert certificates.count("Certificate of completion") == 5
    # How their sleep changed over the episode.
    change = {c.key: c for c in measures.changes(ctx, group[0])}
    assert change["hours"].direction == "better" and change["hours"].last_text.startswith("7 hours")

    # 7. The same figures in Reports.
    figures = reports.team_report(ctx, "365d", today=TODAY)
    assert figures.courses is not None
    assert (figures.courses.ended_places - before.courses.ended_places,
            figures.courses.finished - before.courses.finished) == (8, 5)
    attended = sum(w.count("A") + w.count("L") + w.count("E") for w in WEEKS)
    assert figures.courses.group_contacts - before.courses.group_contacts == attended

    def group_mode(r: reports.TeamReport) -> int:
        return next(c.count for c in r.appointments_by_mode if c.code == "group")

    assert group_mode(figures) - group_mode(before) == 6 * 8
    rows = dict(((s, f), v) for s, f, v in reports.as_rows(figures))
    assert rows[("courses", "finished a course")] == str(before.courses.finished + 5)

    # 8. ... and in the central bundle: group contacts and sleep measures merged centrally.
    keys = sync.keygen(tmp_path / "central-keys")
    bundle = tmp_path / "bundle.wbx"
    sync.export(ctx, bundle, full=True, recipient=keys.public_text)
    central = f"sqlite:///{tmp_path / 'central.sqlite3'}"
    outcome = merge_enrolled([bundle], central, Path(keys.private_key))
    assert outcome[0].error == ""
    engine = create_engine(central)
    ids = ", ".join(f"'{c.hex}'" for c in group)
    with engine.connect() as conn:
        contacts = conn.execute(text(
            f"SELECT count(*) FROM appointments WHERE mode = 'group' AND outcome = 'attended' "
            f"AND client_id IN ({ids})")).scalar()
        sleep = conn.execute(text(
            f"SELECT count(*) FROM measure_administrations WHERE measure_id = 'Sleep' "
            f"AND client_id IN ({ids})")).scalar()
        places = conn.execute(text("SELECT count(*) FROM course_enrolments WHERE course_id = "
                                   f"'{course.id.hex}'")).scalar()
    engine.dispose()
    assert contacts == attended and sleep == 16 and places == 9
    assert QApplication.instance() is not None
