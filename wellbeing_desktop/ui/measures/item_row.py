"""One question of a measure: its text and a row of answer buttons. The row takes keyboard
focus; the dialog interprets number keys for it (see `AdministerDialog.handle_key`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QDoubleValidator, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.domain.measures import NOT_APPLICABLE, Answer, Item
from wellbeing_desktop.ui.flow_layout import FlowLayout

NA_ID = 10_000  # not -1: QButtonGroup.checkedId() says -1 for "none checked"


class ItemRow(QFrame):
    changed = Signal()

    def __init__(self, number: int, count: int, item: Item, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = number
        self.count = count
        self.item = item
        self.key_handler: Callable[[ItemRow, QKeyEvent], bool] | None = None
        self.setObjectName("itemRow")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.question = QLabel(f"<b>{number}.</b> {item.text}")
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.question)
        # The answers wrap onto a second line on a narrow screen or at large text (AUDIT's
        # five answers scrolled sideways at 1024×700).
        buttons = FlowLayout(spacing=12)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.amount: NumberEdit | None = None
        if item.is_number:
            # A measured amount (hours, kg): typed, so the row hands its focus to the box.
            self.amount = NumberEdit(self)
            self.amount.setValidator(_validator(item, self.amount))
            self.amount.setMaximumWidth(120)
            self.amount.setAccessibleName(item.short)
            self.amount.setPlaceholderText(f"{item.min:g}–{item.max:g}")
            self.amount.textChanged.connect(self._typed)
            self.setFocusProxy(self.amount)
            buttons.addWidget(self.amount)
            if item.unit:
                buttons.addWidget(QLabel(item.unit))
        wide = len(item.options) > 5
        for option in item.options:
            text = f"{option.value}" if wide or not option.label else \
                f"{option.value}  {option.label}"
            button = QRadioButton(text)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setToolTip(option.label or str(option.value))
            button.setAccessibleName(f"{option.value} {option.label}".strip())
            self.group.addButton(button, option.value)
            buttons.addWidget(button)
        if item.not_applicable_allowed:
            button = QRadioButton(self.tr("Not applicable (N)"))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.group.addButton(button, NA_ID)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        if wide:
            ends = [o for o in item.options if o.label]
            if ends:
                hint = QLabel("   ".join(f"{o.value} = {o.label}" for o in ends))
                hint.setObjectName("muted")
                layout.addWidget(hint)
        self.group.idToggled.connect(self._toggled)
        self._describe()

    @property
    def values(self) -> tuple[int, ...]:
        return self.item.values

    @property
    def takes_two_digits(self) -> bool:
        return max(self.values) >= 10

    def value(self) -> Answer:
        if self.amount is not None:
            text = self.amount.text().strip().replace(",", ".")
            if not text:
                return None
            try:
                number = float(text)
            except ValueError:
                return text  # refused by the scoring, which names the item
            return int(number) if number.is_integer() and self.item.decimals == 0 else number
        checked = self.group.checkedId()
        if self.group.checkedButton() is None:
            return None
        return NOT_APPLICABLE if checked == NA_ID else checked

    def set_value(self, value: Answer) -> None:
        if self.amount is not None:
            self.amount.setText("" if value is None else f"{value:g}" if isinstance(
                value, int | float) else str(value))
            return
        if value is None:
            self.group.setExclusive(False)
            for button in self.group.buttons():
                button.setChecked(False)
            self.group.setExclusive(True)
            self._describe()
            self.changed.emit()
            return
        button = self.group.button(NA_ID if value == NOT_APPLICABLE else int(value))
        if button is not None:
            button.setChecked(True)

    def _typed(self, _text: str) -> None:
        self._describe()
        self.changed.emit()

    def _toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._describe()
            self.changed.emit()

    def _describe(self) -> None:
        value = self.value()
        shown = self.tr("not answered") if value is None else (
            self.tr("not applicable") if value == NOT_APPLICABLE else str(value))
        self.setAccessibleName(self.tr("Item %1 of %2: %3. Answer: %4")
                               .replace("%1", str(self.number)).replace("%2", str(self.count))
                               .replace("%3", self.item.text).replace("%4", shown))
        self.setProperty("answered", value is not None)
        self.style().unpolish(self)
        self.style().polish(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if self.key_handler is not None and self.key_handler(self, event):
            event.accept()
            return
        super().keyPressEvent(event)


class NumberEdit(QLineEdit):
    """The answer box of a measured amount. Up, Down and Enter go to the row's dialog (to
    move between items), as the number keys do on a row of answer buttons."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        row = self.parent()
        if (isinstance(row, ItemRow) and row.key_handler is not None
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Return,
                                    Qt.Key.Key_Enter)
                and row.key_handler(row, event)):
            event.accept()
            return
        super().keyPressEvent(event)


def _validator(item: Item, parent: QWidget) -> QDoubleValidator:
    validator = QDoubleValidator(item.min, item.max, item.decimals, parent)
    validator.setNotation(QDoubleValidator.Notation.StandardNotation)
    validator.setLocale(QLocale.c())  # "7.5": the point the scoring reads, whatever the locale
    return validator
