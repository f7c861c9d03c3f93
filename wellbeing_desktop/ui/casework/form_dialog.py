"""Base for casework forms: inline errors by field, keeps what was typed, asks before
discarding unsaved changes, saves through the worker and announces the change once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from PySide6.QtCore import QDate, QDateTime, QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
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


DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %b %Y",
                "%d %B %Y", "%d%m%Y")


class OptionalDate(QLineEdit):
    """A date that may be left empty, typed as 14/03/1988 (or 14 Mar 1988, 1988-03-14).

    A QDateEdit showing "Not set" trapped Tab in its day, month and year sections and ignored
    typed dates; a line edit takes what people type, and Tab always moves on."""

    def __init__(self, value: date | None = None) -> None:
        super().__init__()
        self.setPlaceholderText("dd/mm/yyyy, or leave empty")
        self.setToolTip("Type the date as day/month/year, for example 14/03/1988")
        if value:
            self.setDate(value)

    def setDate(self, value: date | QDate | None) -> None:  # noqa: N802 (QDateEdit's name)
        if isinstance(value, QDate):
            value = value.toPython()  # type: ignore[assignment]
        self.setText(value.strftime("%d/%m/%Y") if isinstance(value, date) else "")

    def value(self) -> date | None:
        """The date typed, None when empty; ValueError with plain words when not a date."""
        from datetime import datetime

        text = " ".join(self.text().split())
        if not text:
            return None
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError(f"“{text}” is not a date: type it as day/month/year, e.g. 14/03/1988")


def date_edit(value: date | None = None, *, optional: bool = False) -> QDateEdit | OptionalDate:
    if optional:
        return OptionalDate(value)
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setDate(QDate(value.year, value.month, value.day) if value else QDate.currentDate())
    return edit


def date_of(edit: QDateEdit | OptionalDate) -> date | None:
    if isinstance(edit, OptionalDate):
        try:
            return edit.value()
        except ValueError as exc:
            from wellbeing_desktop.services.errors import FieldProblem

            field = str(edit.property("field") or "date")
            raise ValidationError([FieldProblem(field, str(exc))]) from None
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
    handles_ctrl_enter = True   # its own filter below; ui/keys.py covers every other form

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
        # The fields scroll; the buttons stay below them, so Save is always on screen (a
        # 1024×700 laptop at 150 % text cut New client, Needs check and Session off).
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        fields = QWidget()
        fields.setLayout(self.form)
        self.fields_scroll = QScrollArea()
        self.fields_scroll.setWidget(fields)
        self.fields_scroll.setWidgetResizable(True)
        self.fields_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.fields_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Not a Tab stop: it showed no focus and took the first Tab (New course opened on it);
        # a focused field scrolls itself into view.
        self.fields_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.outer.addWidget(self.fields_scroll, 1)
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
        # Ctrl+Enter saves from any field (Enter in a text box makes a new line); Escape
        # cancels (QDialog), asking first when something was typed. A line edit takes the
        # key before a QShortcut sees it, so each field's keys are watched (`eventFilter`).
        self._watched: set[int] = set()
        self.dirty = False
        self.saving = False
        self.result_value: Any = None
        # Tests replace this to answer "discard changes?" without a modal box.
        self.confirm_discard: Callable[[], bool] = self._ask_discard

    def finish_layout(self) -> None:
        self.outer.addWidget(self.general_error)
        self.outer.addWidget(self.buttons)

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        for child in [self, *self.findChildren(QWidget)]:
            if id(child) not in self._watched:
                child.installEventFilter(self)
                self._watched.add(id(child))

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 (Qt's name)
        if (event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.submit()
            return True
        return False

    def resize(self, *size: Any) -> None:
        """Never taller or wider than the screen: the fields scroll instead."""
        super().resize(*size)
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            super().resize(min(self.width(), screen.width() - 40),
                           min(self.height(), screen.height() - 60))

    def row(self, label: str, field: str, widget: W) -> W:
        widget.setProperty("field", field)
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
