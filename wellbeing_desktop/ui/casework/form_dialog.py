"""Base for casework forms: inline errors by field, keeps what was typed, asks before
discarding unsaved changes, saves through the worker and announces the change once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.dialogs.errors import show_error
from wellbeing_desktop.ui.forms import FieldErrors
from wellbeing_desktop.ui.operations import write

W = TypeVar("W", bound=QWidget)

def qdatetime(value: datetime) -> QDateTime:
    """PySide6 converts a datetime (its time zone too); its type stubs do not say so."""
    return QDateTime(value)  # type: ignore[call-overload]


def combo(items: tuple[tuple[Any, str], ...], current: Any = None, *, blank: str = "") -> QComboBox:
    box = QComboBox()
    if blank:
        box.addItem(blank, "")
    for code, label in items:
        box.addItem(label, code)
    if current is not None:
        select(box, current)
    return box


def select(box: QComboBox, code: Any) -> None:
    index = box.findData(code)
    if index >= 0:
        box.setCurrentIndex(index)


def date_edit(value: date | None = None, *, optional: bool = False) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    if optional:
        edit.setMinimumDate(QDate(1900, 1, 1))
        edit.setSpecialValueText("Not set")
    edit.setDate(QDate(value.year, value.month, value.day) if value else
                 (edit.minimumDate() if optional else QDate.currentDate()))
    return edit


def date_of(edit: QDateEdit) -> date | None:
    if edit.specialValueText() and edit.date() == edit.minimumDate():
        return None
    value: date = edit.date().toPython()  # type: ignore[assignment]
    return value


def text_box(value: str = "", *, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit(value)
    box.setTabChangesFocus(True)  # Tab moves on; keyboard users are never trapped
    box.setMinimumHeight(lines * 22)
    return box


class FormDialog(RememberingDialog):
    """Subclasses add rows with `row()`, then implement `save()` (runs on the worker)."""

    save_label = "&Save"

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None,
                 intro: str = "") -> None:
        super().__init__(parent, ctx.settings)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.setObjectName("formDialog")
        self.outer = QVBoxLayout(self)
        if intro:
            label = QLabel(intro)
            label.setWordWrap(True)
            label.setObjectName("muted")
            self.outer.addWidget(label)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.outer.addLayout(self.form)
        self.errors = FieldErrors()
        self.general_error = QLabel("")
        self.general_error.setObjectName("fieldError")
        self.general_error.setWordWrap(True)
        self.general_error.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText(self.save_label)
        save.setObjectName("primary")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.dirty = False
        self.saving = False
        self.result_value: Any = None
        # Tests replace this to answer "discard changes?" without a modal box.
        self.confirm_discard: Callable[[], bool] = self._ask_discard

    def finish_layout(self) -> None:
        self.outer.addWidget(self.general_error)
        self.outer.addWidget(self.buttons)

    def row(self, label: str, field: str, widget: W) -> W:
        self.errors.add_row(self.form, label, field, widget)
        self.watch(widget)
        return widget

    def watch(self, widget: QWidget) -> None:
        def touched(*_a: Any) -> None:
            self.dirty = True

        for signal in ("textChanged", "currentIndexChanged", "dateChanged", "valueChanged",
                       "toggled", "dateTimeChanged"):
            sig = getattr(widget, signal, None)
            if sig is not None and (signal != "toggled" or isinstance(widget, QAbstractButton)):
                try:
                    sig.connect(touched)
                except (RuntimeError, TypeError):
                    pass

    # saving ----------------------------------------------------------------------------
    def save(self) -> Any:
        """Call the service (on the worker). Return what it returned (with `.changed`)."""
        raise NotImplementedError

    def submit(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.errors.clear()
        self.general_error.setVisible(False)
        write(self.save).on_success(self._saved).on_error(self._failed) \
            .on_done(self._done).start()

    def _done(self) -> None:
        self.saving = False

    def _saved(self, result: Any) -> None:
        self.result_value = result
        self.dirty = False
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            orphans = self.errors.show(exc)
            self.general_error.setText("\n".join(orphans))
            self.general_error.setVisible(bool(orphans))
            return
        if self.handle_error(exc):
            return
        show_error(self, exc)

    def handle_error(self, exc: BaseException) -> bool:
        """Subclasses handle their own errors (e.g. possible duplicates); True if handled."""
        return False

    # leaving ---------------------------------------------------------------------------
    def _ask_discard(self) -> bool:
        answer = QMessageBox.question(
            self, "Discard changes?", "You have changes that are not saved. Discard them?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        if self.dirty and not self.confirm_discard():
            return
        super().reject()


def checkbox(text: str, checked: bool = False) -> QCheckBox:
    box = QCheckBox(text)
    box.setChecked(checked)
    return box


def spin(low: int, high: int, value: int, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    if suffix:
        box.setSuffix(suffix)
    return box


def line(value: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(value)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    return edit


ALIGN_TOP = Qt.AlignmentFlag.AlignTop
