"""Courses: the list, each course's sessions and people (who finished), and what can be done
from here: a new course, enrol someone (a waiting list when full), take a session's register,
print the register, the course plan or the certificates (one job per course), and a
signposting handout for the course. The participants' documents (plan, certificates,
handout) print in the language chosen here; the register, for staff, stays English."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.domain import courses as rules
from wellbeing_desktop.domain.needs import NEEDS_DOMAINS
from wellbeing_desktop.services import (
    catalogues,
    clients,
    course_documents,
    course_register,
    courses,
)
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.services.sessions import topic_label
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.dialogs.errors import show_error
from wellbeing_desktop.ui.operations import read, write


def _table(headers: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setAccessibleName(name)
    t.verticalHeader().setVisible(False)
    t.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    t.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(text))


class CoursesDialog(RememberingDialog):
    geometry_key = "courses"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx = ctx
        self.setWindowTitle("Courses")
        outer = QVBoxLayout(self)
        self.courses_table = _table(["Course", "Starts", "Places", "Finishing"], "Courses")
        outer.addWidget(self.courses_table, 1)
        row = QHBoxLayout()
        self.sessions_table = _table(["Session", "When", "Topics", "Here"], "Sessions")
        self.sessions_table.activated.connect(lambda _i: self.take_register())
        self.people_table = _table(["Person", "Place", "Came to", "Finished"], "People")
        row.addWidget(self.sessions_table, 1)
        row.addWidget(self.people_table, 1)
        outer.addLayout(row, 2)
        find = QHBoxLayout()
        label = QLabel("&Enrol a person:")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Name, NHS number or postcode")
        label.setBuddy(self.search)
        self.enrol_button = QPushButton("En&rol")
        find.addWidget(label)
        find.addWidget(self.search, 1)
        find.addWidget(self.enrol_button)
        outer.addLayout(find)
        self.matches = QListWidget()
        self.matches.setAccessibleName("People matching the search")
        self.matches.setMaximumHeight(90)
        outer.addWidget(self.matches)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        outer.addWidget(self.message)
        words = QHBoxLayout()
        self.language = QComboBox()
        self.language.setAccessibleName("Language of the participants' documents")
        self.language.addItem("English", "en")
        self.language.setToolTip("The course plan, certificates and handouts print in this "
                                 "language; the register stays English. A draft translation "
                                 "says so on every page.")
        language_label = QLabel("Participants' lan&guage:")
        language_label.setBuddy(self.language)
        words.addWidget(language_label)
        words.addWidget(self.language)
        words.addStretch(1)
        outer.addLayout(words)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("&New course…")
        self.new_button.setObjectName("primary")
        self.register_button = QPushButton("Take &register…")
        self.print_choice = QComboBox()
        self.print_choice.setAccessibleName("Document to print")
        for kind, text in (("register", "Register and sign-in sheets"),
                           ("course_plan", "Course plan for participants"),
                           ("certificates", "Certificates of completion")):
            self.print_choice.addItem(text, kind)
        self.print_button = QPushButton("&Print…")
        self.handout_need = QComboBox()
        self.handout_need.setAccessibleName("Need for the handout")
        for d in NEEDS_DOMAINS:
            self.handout_need.addItem(d.label, d.code)
        self.handout_button = QPushButton("&Handout…")
        close = QPushButton("&Close")
        for w in (self.new_button, self.register_button, self.print_choice, self.print_button,
                  self.handout_need, self.handout_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        buttons.addWidget(close)
        outer.addLayout(buttons)
        self.new_button.clicked.connect(self.new_course)
        self.register_button.clicked.connect(self.take_register)
        self.print_button.clicked.connect(lambda: self.print_document(
            self.print_choice.currentData()))
        self.handout_button.clicked.connect(lambda: self.handout(self.handout_need.currentData()))
        self.enrol_button.clicked.connect(self.enrol_selected)
        self.search.textChanged.connect(self._find)
        self.search.returnPressed.connect(self.enrol_selected)
        self.courses_table.itemSelectionChanged.connect(self._show_course)
        close.clicked.connect(self.accept)
        self.courses: list[courses.CourseSummary] = []
        self.people: list[courses.Member] = []
        self.last_pdf: bytes | None = None  # what the last print built (tests read it)
        self._loading = False
        self.resize(980, 720)
        self.reload()
        read(catalogues.languages, ctx).on_success(self._languages).start()

    def is_loading(self) -> bool:
        return self._loading

    def reload(self, select_id: uuid.UUID | None = None) -> None:
        self._loading = True
        read(courses.list_courses, self.ctx).on_success(lambda found: self._show(found, select_id)) \
            .on_error(lambda e: show_error(self, e)) \
            .on_done(lambda: setattr(self, "_loading", False)).start()

    def _show(self, found: list[courses.CourseSummary], select_id: uuid.UUID | None) -> None:
        current = self.selected()
        keep = select_id or (current.id if current else None)
        self.courses = found
        _fill(self.courses_table, [
            [c.title, f"{c.first:%a %d %b %Y}" if c.first else "",
             f"{c.enrolled} of {c.capacity}" + (f" · {c.waiting} waiting" if c.waiting else ""),
             c.rule_text] for c in found])
        index = next((i for i, c in enumerate(found) if c.id == keep), 0 if found else -1)
        if index >= 0:
            self.courses_table.selectRow(index)
        self._show_course()

    def selected(self) -> courses.CourseSummary | None:
        row = self.courses_table.currentRow()
        return self.courses[row] if 0 <= row < len(self.courses) else None

    def _show_course(self) -> None:
        course = self.selected()
        if course is None:
            _fill(self.sessions_table, [])
            _fill(self.people_table, [])
            return
        read(self._details, course).on_success(self._show_details).start()

    def _details(self, course: courses.CourseSummary) -> tuple[Any, ...]:
        return (course, courses.members(self.ctx, course.id),
                course_register.progress(self.ctx, course.id))

    def _show_details(self, found: tuple[Any, ...]) -> None:
        course, members, progress = found
        self.people = members
        marks = [p.marks for p in progress]
        _fill(self.sessions_table, [
            [str(s.number), f"{s.starts_at:%a %d %b, %H:%M}",
             ", ".join(topic_label(t) for t in s.topics),
             str(sum(1 for m in marks if i < len(m) and m[i] in rules.PRESENT))]
            for i, s in enumerate(course.sessions)])
        by_client = {p.client_id: p for p in progress}
        _fill(self.people_table, [
            [m.name, "waiting" if m.status == "waiting" else "enrolled",
             str(by_client[m.client_id].attended) if m.client_id in by_client else "",
             "yes" if m.client_id in by_client and by_client[m.client_id].finished else ""]
            for m in members])
        if course.sessions and self.sessions_table.currentRow() < 0:
            self.sessions_table.selectRow(0)

    # -- actions ---------------------------------------------------------------------------
    def new_course(self) -> Any:
        from wellbeing_desktop.ui.courses.course_dialog import CourseDialog

        dlg = CourseDialog(self.ctx, self)
        dlg.accepted.connect(lambda: self.reload(getattr(dlg.result_value, "id", None)))
        dlg.open()
        return dlg

    def take_register(self) -> Any:
        from wellbeing_desktop.ui.courses.register_dialog import CourseRegisterDialog

        course, row = self.selected(), self.sessions_table.currentRow()
        if course is None or not 0 <= row < len(course.sessions):
            return None
        dlg = CourseRegisterDialog(self.ctx, course.sessions[row].id, self)
        dlg.finished.connect(lambda _r: self._show_course())
        dlg.open()
        return dlg

    def _find(self, text: str) -> None:
        if len(text.strip()) < 2:
            self.matches.clear()
            return
        read(clients.list_clients, self.ctx, text, limit=8).on_success(self._matches).start()

    def _matches(self, found: list[clients.ClientSummary]) -> None:
        self.matches.clear()
        for c in found:
            item = QListWidgetItem(f"{c.preferred_name or c.given_name} {c.family_name}")
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.matches.addItem(item)
        if found:
            self.matches.setCurrentRow(0)

    def enrol_selected(self) -> None:
        course, item = self.selected(), self.matches.currentItem()
        if course is None or item is None:
            self.message.setText("Choose a course, then search for the person.")
            return
        (write(courses.enrol, self.ctx, course.id, item.data(Qt.ItemDataRole.UserRole))
         .on_success(self._enrolled).on_error(self._failed).start())

    def _enrolled(self, result: courses.Enrolled) -> None:
        self.search.clear()
        self.matches.clear()
        self.message.setText("Enrolled." if result.status == "enrolled" else
                             f"The course is full: on the waiting list, number "
                             f"{result.position}.")
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.message.setText(" ".join(p.message for p in exc.problems))
            return
        show_error(self, exc)

    def _languages(self, rows: list[catalogues.LanguageRow]) -> None:
        for row in rows:
            if row.code != "en":
                draft = "" if row.status.reviewed else " (draft translation)"
                self.language.addItem(f"{row.name}{draft}", row.code)

    def chosen_language(self) -> str:
        return str(self.language.currentData() or "en")

    def print_document(self, kind: str, *, ask: bool = True) -> None:
        course = self.selected()
        if course is None:
            return
        read(course_documents.build, self.ctx, course.id, kind,
             language=self.chosen_language()) \
            .on_success(lambda doc: self._print(doc, ask)).on_error(self._failed).start()

    def _print(self, doc: course_documents.BuiltCourseDocument, ask: bool) -> None:
        from wellbeing_desktop.ui.print_preview.print_job import start_printing

        self.last_pdf = doc.pdf
        if not ask:
            self._printed(doc)
            return
        # Recorded only once every page has gone to the printer (never after a cancel).
        start_printing(self, [doc.pdf], doc.title, on_printed=lambda _p: self._printed(doc),
                       on_stopped=self.message.setText)

    def _printed(self, doc: course_documents.BuiltCourseDocument) -> None:
        write(course_documents.record_printed, self.ctx, doc).parent(self).start()
        self.message.setText(f"Printed: {doc.title} ({doc.pages} pages).")

    def handout(self, need: str, *, ask: bool = True) -> None:
        from wellbeing_desktop.services import handouts

        course = self.selected()
        read(handouts.build_handout, self.ctx, need, course_id=course.id if course else None,
             language=self.chosen_language()) \
            .on_success(lambda built: self._print_handout(built, ask)) \
            .on_error(self._failed).start()

    def _print_handout(self, built: Any, ask: bool) -> None:
        from wellbeing_desktop.ui.print_preview.print_job import start_printing

        self.last_pdf = built.pdf
        said = f"Handout: {built.title} ({built.services} services)."
        if not ask:
            self.message.setText(said)
            return
        start_printing(self, [built.pdf], built.title,
                       on_printed=lambda _p: self.message.setText(said),
                       on_stopped=self.message.setText)


def open_courses(ctx: AppContext, parent: QWidget | None = None) -> CoursesDialog:
    dlg = CoursesDialog(ctx, parent)
    dlg.open()
    return dlg
