"""A new course: title, who it is for, where (or video), facilitators, places, the completion
rule, and its weekly sessions with a topic from the topics library for each."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QTableWidget, QWidget

from wellbeing_desktop.domain import courses as rules
from wellbeing_desktop.services import courses
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.sessions import topic_library
from wellbeing_desktop.ui.casework.form_dialog import (
    FormDialog,
    checkbox,
    combo,
    line,
    qdatetime,
    spin,
)


class CourseDialog(FormDialog):
    geometry_key = "course_new"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "New course", parent,
                         intro="A course of weekly group sessions. Enrol people afterwards, "
                               "from the course or from their record.")
        self.title_box = self.row("&Title", "title", line(placeholder="e.g. Sleep well"))
        self.audience = self.row("&Who it is for", "audience",
                                 line(placeholder="e.g. Adults whose sleep affects their day"))
        self.mode = self.row("&Delivered", "mode", combo(rules.MODES, "in_person"))
        self.venue = self.row("&Venue", "venue", line(placeholder="e.g. Kingsmere Library"))
        self.facilitators = self.row("&Facilitators", "facilitators",
                                     line(placeholder="Names, separated by commas"))
        self.capacity = self.row("&Places", "capacity", spin(2, 60, 12))
        start = datetime.combine(datetime.now().date() + timedelta(days=7), time(13, 30))
        self.first = QDateTimeEdit(qdatetime(start))
        self.first.setCalendarPopup(True)
        self.first.setDisplayFormat("d MMM yyyy, HH:mm")
        self.row("First &session", "sessions", self.first)
        self.weeks = self.row("&Weekly sessions", "weeks", spin(1, 20, 6))
        self.minutes = self.row("&Length", "minutes", spin(15, 300, 90, " minutes"))
        self.complete_after = self.row("&Finished after", "complete_after",
                                       spin(1, 20, 4, " sessions attended"))
        self.names = self.row("&Names on the register", "register_names",
                              combo(rules.REGISTER_NAMES, "first_initial"))
        self.certificate = self.row("", "certificate",
                                    checkbox("Print certificates of completion", True))
        self.topics = QTableWidget(0, 1)
        self.topics.setHorizontalHeaderLabels(["Topic"])
        self.topics.horizontalHeader().setStretchLastSection(True)
        self.topics.setAccessibleName("Topic of each session")
        # Tab goes through the week's topics and on to Save: the table's own Tab moved from
        # the last week back to the first, for ever (a keyboard trap).
        self.topics.setTabKeyNavigation(False)
        self.row("&Topics", "topics", self.topics)
        self.weeks.valueChanged.connect(self._sessions)
        self._sessions()
        self.finish_layout()
        self.resize(560, 720)

    def _sessions(self) -> None:
        library = topic_library()
        keep = self.session_topics()
        self.topics.setRowCount(self.weeks.value())
        for r in range(self.weeks.value()):
            box = QComboBox()
            for t in library:
                box.addItem(t.label, t.code)
            box.setAccessibleName(f"Topic of session {r + 1}")
            if r < len(keep):
                box.setCurrentIndex(max(0, box.findData(keep[r])))
            self.topics.setCellWidget(r, 0, box)
        self.topics.setVerticalHeaderLabels([f"Week {r + 1}" for r in range(self.weeks.value())])

    def session_topics(self) -> list[str]:
        boxes = [self.topics.cellWidget(r, 0) for r in range(self.topics.rowCount())]
        return [box.currentData() for box in boxes if isinstance(box, QComboBox)]

    def save(self) -> Any:
        first: datetime = self.first.dateTime().toPython()  # type: ignore[assignment]
        plan = tuple(courses.SessionPlan(first + timedelta(weeks=n), (code,),
                                         self.minutes.value())
                     for n, code in enumerate(self.session_topics()))
        return courses.create_course(self.ctx, courses.CourseInput(
            title=self.title_box.text(), sessions=plan, capacity=self.capacity.value(),
            complete_after=self.complete_after.value(), audience=self.audience.text(),
            mode=self.mode.currentData(), venue=self.venue.text(),
            facilitators=tuple(self.facilitators.text().split(",")),
            register_names=self.names.currentData(),
            certificate=self.certificate.isChecked()))
