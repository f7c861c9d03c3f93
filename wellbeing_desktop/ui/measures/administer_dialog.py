"""Administer a measure item by item, or enter a paper form with its date.

Keyboard: number keys answer the current item and move on (on a 0–10 item, "1" then "0" is
10); N answers "not applicable" where allowed; - or Backspace clears; Up and Down move. The
score and band appear as soon as the form is complete; until then the unanswered items are
named. PHQ-9 item 9 above 0 shows a risk banner at once and the risk prompt on saving.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.domain.measures import Answer, MeasureDefinition, Score
from wellbeing_desktop.services import measures
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.measures.after_save import AfterSaveMixin
from wellbeing_desktop.ui.measures.answer_keys import AnswerKeysMixin
from wellbeing_desktop.ui.measures.item_row import ItemRow
from wellbeing_desktop.ui.operations import read, write


class AdministerDialog(AnswerKeysMixin, AfterSaveMixin, RememberingDialog):
    geometry_key = "measures_administer"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID, *, measure_id: str | None = None,
                 paper: bool = False, parent: QWidget | None = None,
                 today: date | None = None,
                 answers: dict[str, Answer] | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.follow_up: AdministerDialog | None = None  # the longer measure, when offered
        self._applying = False
        self.ctx = ctx
        self.client_id = client_id
        self.paper = paper
        self.today = today or date.today()
        self.rows: list[ItemRow] = []
        self._pending: ItemRow | None = None  # a 0–10 item that got "1" and may get "0"
        self.recorded: measures.RecordResult | None = None
        self.goal_titles: list[str] | None = None  # the client's goals, once loaded
        self.saving = False
        self.definitions = measures.definitions()
        self.setObjectName("administerDialog")
        self.setWindowTitle(self.tr("Enter a paper form") if paper else
                            self.tr("Administer a measure"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.measure = QComboBox()
        for d in self.definitions:
            self.measure.addItem(d.title, d.id)
        caption = QLabel(self.tr("&Measure"))
        caption.setBuddy(self.measure)
        form.addRow(caption, self.measure)
        self.taken_on = QDateEdit(QDate(self.today.year, self.today.month, self.today.day))
        self.taken_on.setCalendarPopup(True)
        self.taken_on.setDisplayFormat("d MMMM yyyy")
        self.taken_on.setMaximumDate(QDate(self.today.year, self.today.month, self.today.day))
        self.date_caption = QLabel(self.tr("Date on the &form") if paper else self.tr("&Date"))
        self.date_caption.setBuddy(self.taken_on)
        self.taken_on.setAccessibleName(self.date_caption.text().replace("&", ""))
        form.addRow(self.date_caption, self.taken_on)
        self.date_error = QLabel("")
        self.date_error.setObjectName("fieldError")
        self.date_error.setVisible(False)
        form.addRow("", self.date_error)
        self.goals = QSpinBox()
        self.goals.setRange(1, 5)
        self.goals_caption = QLabel(self.tr("Number of &goals"))
        self.goals_caption.setBuddy(self.goals)
        form.addRow(self.goals_caption, self.goals)
        layout.addLayout(form)
        self.instructions = QLabel("")
        self.instructions.setWordWrap(True)
        self.instructions.setObjectName("muted")
        layout.addWidget(self.instructions)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(self.scroll_area, 1)
        self.risk_banner = QFrame()
        self.risk_banner.setObjectName("riskBanner")
        banner_layout = QVBoxLayout(self.risk_banner)
        self.risk_text = QLabel("")
        self.risk_text.setWordWrap(True)
        banner_layout.addWidget(self.risk_text)
        self.risk_banner.setVisible(False)
        self.risk_banner.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.risk_text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        # A word-wrapped label in a stretched layout may get one line: reserve three.
        self.risk_text.setMinimumHeight(self.risk_text.fontMetrics().lineSpacing() * 3)
        # The current question is ringed (QFrame#itemRow:focus in the theme), so it is obvious
        # to someone using only the keyboard.
        layout.addWidget(self.risk_banner)
        self.status = QLabel("")
        self.status.setObjectName("scoreStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("Score"))
        layout.addWidget(self.status)
        self.general_error = QLabel("")
        self.general_error.setObjectName("fieldError")
        self.general_error.setWordWrap(True)
        self.general_error.setVisible(False)
        layout.addWidget(self.general_error)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(self.tr("&Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("primary")
        self.save_button.setAutoDefault(False)
        self.cancel_button = cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.measure.currentIndexChanged.connect(self._build_items)
        self.goals.valueChanged.connect(self._build_items)
        if measure_id is not None:
            found = measures.get_definition(measure_id)
            self.measure.setCurrentIndex(self.measure.findData(found.id))
        self._build_items()
        if answers:  # carried over from a screen (AUDIT-C into the full AUDIT), by item key
            for row in self.rows:
                if row.item.key in answers:
                    row.set_value(answers[row.item.key])
        self.resize(720, 640)

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[arg-type]
        # A paper form starts with its date; in session, with the first question.
        if self.paper:
            self.taken_on.setFocus()
        elif self.rows:
            first = next((r for r in self.rows if r.value() is None and r.isEnabled()),
                         self.rows[0])
            first.setFocus()

    # -- building ------------------------------------------------------------------------
    @property
    def definition(self) -> MeasureDefinition:
        return self.definitions[max(0, self.measure.currentIndex())]

    def _build_items(self) -> None:
        d = self.definition
        if d.repeats and self.goal_titles is None:
            self._load_goal_titles()
            if self.goal_titles:  # loaded at once, and the rows were built with them
                return
        kept = [row.value() for row in self.rows]
        self.goals.setVisible(d.repeats)
        self.goals_caption.setVisible(d.repeats)
        if d.repeats:
            self.goals.setRange(d.repeat_min, d.repeat_max)
        self.instructions.setText(d.instructions)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setSpacing(6)
        items = d.items_for(self.goals.value() if d.repeats else None)
        if d.repeats:
            items = tuple(
                replace(item, text=f"{self.goal_titles[i]} — {item.text}",
                        short=f"{item.short}: {self.goal_titles[i][:40]}")
                if self.goal_titles and i < len(self.goal_titles) else item
                for i, item in enumerate(items))
        self.rows = []
        for number, item in enumerate(items, start=1):
            row = ItemRow(number, len(items), item)
            row.key_handler = self.handle_key
            row.changed.connect(self._update_score)
            column.addWidget(row)
            self.rows.append(row)
        column.addStretch(1)
        self.scroll_area.setWidget(holder)
        if d.repeats:  # changing the number of goals keeps the ratings given
            for row, value in zip(self.rows, kept, strict=False):
                row.set_value(value)
        self._pending = None
        # The rows are rebuilt after the buttons exist: put them back in reading order.
        chain: list[QWidget] = [self.measure, self.taken_on, self.goals, *self.rows]
        if hasattr(self, "cancel_button"):
            chain += [self.save_button, self.cancel_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._update_score()
        if self.rows:
            self.rows[0].setFocus()

    def _load_goal_titles(self) -> None:
        self.goal_titles = []

        def loaded(titles: list[str]) -> None:
            self.goal_titles = titles
            if titles and not self.has_answers():
                d = self.definition
                self.goals.blockSignals(True)
                self.goals.setValue(max(d.repeat_min, min(d.repeat_max, len(titles))))
                self.goals.blockSignals(False)
            if self.definition.repeats:
                self._build_items()

        read(measures.goal_titles, self.ctx, self.client_id).on_success(loaded) \
            .on_error(lambda _exc: None).start()

    # -- answers ---------------------------------------------------------------------------
    def answers(self) -> list[Answer]:
        return [row.value() for row in self.rows]

    def has_answers(self) -> bool:
        return any(a is not None for a in self.answers())

    def current_score(self) -> Score | None:
        try:
            return measures.preview(self.definition.id, self.answers())
        except ValidationError:
            return None

    def _apply_conditions(self) -> None:
        """Rows that do not apply are cleared and disabled: everything but the consent
        question until the person agrees; cigarettes a day unless they smoke."""
        if self._applying:
            return
        self._applying = True
        try:
            d = self.definition
            by_key = {row.item.key: row for row in self.rows}
            consent = by_key.get(d.consent_item or "")
            for row in self.rows:
                applies = True
                if consent is not None and row is not consent and consent.value() != 1:
                    applies = False
                need = row.item.needs
                if need is not None and need.item in by_key and \
                        by_key[need.item].value() != need.value:
                    applies = False
                if not applies and row.value() is not None:
                    row.set_value(None)
                row.setEnabled(applies)
        finally:
            self._applying = False

    def _update_score(self) -> None:
        self._apply_conditions()
        result = self.current_score()
        if result is None:
            return
        self.risk_banner.setVisible(result.risk)
        self.risk_text.setText("<b>" + self.tr("Risk") + ":</b> " + " ".join(result.risk_messages))
        # Items that do not apply (no consent; not a smoker) are not "still to answer".
        pending = [n for n in result.unanswered if self.rows[n - 1].isEnabled()]
        if pending:
            names = ", ".join(f"{n} ({self.rows[n - 1].item.short})" for n in pending)
            text = self.tr("Still to answer: %1").replace("%1", names)
            if result.valid and result.total is not None:
                text += " · " + self._score_text(result)
            self.status.setText(text)
        elif not result.valid:
            self.status.setText("; ".join(result.errors))
        else:
            self.status.setText(self._score_text(result))
        self.status.setAccessibleDescription(self.status.text())

    def _score_text(self, result: Score) -> str:
        d = self.definition
        if result.total is None:
            bands = "; ".join(f"{i.label} {i.value} ({i.band})" for i in result.items
                              if i.band is not None)
            return self.tr("Complete: %1").replace("%1", bands or self.tr("all answered"))
        text = self.tr("Score %1").replace("%1", f"{result.total:g}")
        if result.band:
            text += f" — {result.band}"
        if result.caseness is not None and d.caseness_at_least is not None:
            text += " · " + (self.tr("at or above caseness (%1)") if result.caseness
                             else self.tr("below caseness (%1)")).replace(
                "%1", f"{d.caseness_at_least:g}")
        if result.prorated:
            text += " · " + self.tr("prorated for one missing or not applicable item")
        return text

    # -- saving ----------------------------------------------------------------------------
    def _taken_on(self) -> date:
        q = self.taken_on.date()
        return date(q.year(), q.month(), q.day())

    def save(self) -> None:
        if self.saving:
            return
        result = self.current_score()
        if result is not None and not result.valid:
            answer = QMessageBox.question(
                self, self.tr("Save an incomplete form?"),
                self.tr("%1\n\nSave it anyway? It will be kept, marked as not valid, and not "
                        "counted in outcomes.").replace("%1", "; ".join(result.errors)),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Save:
                return
        data = measures.MeasureInput(self.client_id, self.definition.id, tuple(self.answers()),
                                     self._taken_on(), self.paper)
        self.saving = True
        self.save_button.setEnabled(False)
        write(measures.record, self.ctx, data, today=self.today) \
            .on_success(self._saved).on_error(self._failed).start()

    def _saved(self, result: measures.RecordResult) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        self.recorded = result
        if result.risk:
            self.show_risk_prompt(result)
        super().accept()
        if self.definition.offers_follow_up(result.score.total):
            self.offer_follow_up(result)

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            message = exc.for_field("taken_on")
            self.date_error.setText(message or "")
            self.date_error.setVisible(bool(message))
            others = [p.message for p in exc.problems if p.field != "taken_on"]
            self.general_error.setText("\n".join(others))
            self.general_error.setVisible(bool(others))
            if message:
                self.taken_on.setFocus()
            return
        from wellbeing_desktop.ui.dialogs.errors import show_error

        show_error(self, exc)

    def reject(self) -> None:
        if self.has_answers() and self.recorded is None:
            answer = QMessageBox.question(
                self, self.tr("Discard these answers?"),
                self.tr("The answers you entered have not been saved. Discard them?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()
