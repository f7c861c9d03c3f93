"""Enrol the person whose record is open on a course (or its waiting list, when full)."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from wellbeing_desktop.services import courses
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.dialogs.errors import show_error
from wellbeing_desktop.ui.operations import read, write


class EnrolDialog(RememberingDialog):
    geometry_key = "course_enrol"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx, self.client_id = ctx, client_id
        self.result_value: courses.Enrolled | None = None
        self.setWindowTitle("Enrol on a course")
        layout = QVBoxLayout(self)
        caption = QLabel("&Course")
        self.course = QComboBox()
        caption.setBuddy(self.course)
        layout.addWidget(caption)
        layout.addWidget(self.course)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.enrol_button = buttons.addButton("&Enrol", QDialogButtonBox.ButtonRole.AcceptRole)
        self.enrol_button.setObjectName("primary")
        buttons.accepted.connect(self.enrol)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(460, 180)
        read(courses.list_courses, ctx).on_success(self._show).start()

    def _show(self, found: list[courses.CourseSummary]) -> None:
        self.course.clear()
        for c in found:
            full = " (full: waiting list)" if c.enrolled >= c.capacity else ""
            first = f", from {c.first:%a %d %b}" if c.first else ""
            self.course.addItem(f"{c.title}{first}{full}", c.id)
        self.enrol_button.setEnabled(bool(found))
        if not found:
            self.message.setText("No courses yet: set one up from Today → Courses.")

    def enrol(self) -> None:
        course_id = self.course.currentData()
        if course_id is None:
            return
        write(courses.enrol, self.ctx, course_id, self.client_id) \
            .on_success(self._done).on_error(self._failed).start()

    def _done(self, result: courses.Enrolled) -> None:
        self.result_value = result
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.message.setText(" ".join(p.message for p in exc.problems))
            return
        show_error(self, exc)
