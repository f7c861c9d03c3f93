"""Today: the day's and week's appointments, reviews and follow-ups due, people not seen for
a while and recent did-not-attends. Each row opens the client's record (click or Enter)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services.errors import Entity
from wellbeing_desktop.services.first_figures import FirstFigures
from wellbeing_desktop.ui.flow_layout import FlowLayout
from wellbeing_desktop.ui.operations import read
from wellbeing_desktop.ui.pages.base import Page, card

if TYPE_CHECKING:  # imported when the store is open: this page is built before that
    from wellbeing_desktop.services import today

STATUS_LABELS = [
    ("referred", "New referrals"),
    ("assessed", "Assessed"),
    ("active", "In sessions"),
    ("reviewing", "Reviewing"),
]
SECTIONS = [
    ("today", "Today's appointments", "Nothing booked today."),
    ("this_week", "This week", "Nothing else booked this week."),
    ("reviews_due", "Goal reviews due", "No reviews due this week."),
    ("discharge_follow_ups", "Check-ins after discharge", "No check-ins due."),
    ("signposting_follow_ups", "Signposting follow-ups due", "No follow-ups due."),
    ("no_contact", "No contact recently", "Everyone has been seen recently."),
    ("recent_dnas", "Recent did-not-attends", "No missed appointments in the last two weeks."),
    ("missed_groups", "Missed the last two group sessions", "Nobody has missed two course "
                                                            "sessions in a row."),
]


def title_label(box: QVBoxLayout) -> QLabel:
    """The title `card()` put first in its box."""
    item = box.itemAt(0)
    label = item.widget() if item is not None else None
    assert isinstance(label, QLabel)
    return label


def _when(value: object, on: date | None) -> str:
    if isinstance(value, datetime):
        if on is not None and value.date() == on:
            return value.strftime("%H:%M")
        return value.strftime("%a %d %b, %H:%M")
    if isinstance(value, date):
        if on is not None and value < on:
            return f"overdue since {value.strftime('%d %b')}"
        return value.strftime("%a %d %b")
    return ""


class TodayPage(Page):
    key = "today"
    title = "Today"
    subtitle = "Your caseload at a glance. Press Enter on a row to open the record."
    watches = frozenset({Entity.CLIENT, Entity.REFERRAL, Entity.APPOINTMENT, Entity.GOAL,
                         Entity.SIGNPOSTING, Entity.DISCHARGE, Entity.ATTENDANCE,
                         Entity.PRINTED_DOCUMENT})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.greeting = QLabel("")
        self.greeting.setObjectName("pageSubtitle")
        # It wraps rather than squeezing the buttons beside it (their counts change the width).
        self.greeting.setWordWrap(True)
        # The greeting on its own line, the buttons below it wrapping on a narrow screen.
        self.layout_.addWidget(self.greeting)
        top = FlowLayout()
        self.groups_button = QPushButton("&Group sessions…")
        self.groups_button.setToolTip("Create group sessions and take their registers")
        self.groups_button.clicked.connect(self.open_groups)
        top.addWidget(self.groups_button)
        # Letters due (intake): the day's acknowledgements, appointment letters and DNAs.
        self.letters_button = QPushButton("&Letters due…")
        self.letters_button.setToolTip("Print the day's letters in one job")
        self.letters_button.clicked.connect(self.open_letters)
        top.addWidget(self.letters_button)
        self.courses_button = QPushButton("C&ourses…")
        self.courses_button.setToolTip("Courses: enrol people, take registers, print the "
                                       "register, plan and certificates")
        self.courses_button.clicked.connect(self.open_courses)
        top.addWidget(self.courses_button)
        self.layout_.addLayout(top)
        figures = FlowLayout(spacing=10)   # the figures wrap rather than scroll sideways
        self.figures: dict[str, QLabel] = {}
        for status, label in [*STATUS_LABELS, ("waiting", "Waiting for first contact")]:
            figure = QLabel("…")
            figure.setObjectName("cardFigure")
            figure.setAccessibleName(label)
            frame, _ = card(label, figure)
            figures.addWidget(frame, 1)
            self.figures[status] = figure
        self.layout_.addLayout(figures)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.lists: dict[str, QListWidget] = {}
        self.cards: dict[str, QWidget] = {}
        self.titles: dict[str, QLabel] = {}
        for i, (key, title, _empty) in enumerate(SECTIONS):
            listing = QListWidget()
            listing.setAccessibleName(title)
            listing.setObjectName("todayList")
            listing.setTextElideMode(Qt.TextElideMode.ElideRight)
            listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            listing.setMinimumHeight(96)
            listing.itemActivated.connect(self._open)
            listing.itemClicked.connect(self._open)
            frame, box = card(title, listing)
            self.titles[key] = title_label(box)
            grid.addWidget(frame, i // 2, i % 2)
            self.lists[key] = listing
            self.cards[key] = frame
        self.grid = grid
        # The sections scroll together when the window is short (all fit at 1280x820).
        holder = QWidget()
        holder.setObjectName("todaySections")
        grid.setContentsMargins(0, 0, 6, 0)
        holder.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        scroll.viewport().setAutoFillBackground(False)
        holder.setAutoFillBackground(False)
        self.layout_.addWidget(scroll, 1)
        self._loading = False
        self.last: today.TodaySummary | None = None

    def refresh(self) -> None:
        super().refresh()
        if self.ctx is None:
            return
        from wellbeing_desktop.services import today

        self._loading = True
        read(today.summary, self.ctx).on_success(self._show).on_done(self._done).start()
        from wellbeing_desktop.services import letters_due

        read(letters_due.due, self.ctx).on_success(self._letters).start()


    def show_first_figures(self, figures: FirstFigures) -> QWidget | None:
        """The counts read before the store opened (services/first_figures.py); the full
        summary replaces them when it arrives. Returns the figures' card (None when the
        summary was already shown)."""
        if self.last is not None:
            return None
        for status, _ in STATUS_LABELS:
            self.figures[status].setText(str(figures.clients_by_status.get(status, 0)))
        self.figures["waiting"].setText(str(figures.waiting_first_contact))
        return self.figures["waiting"]

    def _letters(self, items: list) -> None:
        printable = sum(1 for item in items if not item.blocked)
        self.letters_button.setText(f"&Letters due ({printable})…" if printable
                                    else "&Letters due…")
        self.letters_button.setAccessibleName(f"Letters due: {printable}")

    def open_letters(self) -> object:
        if self.ctx is None:
            return None
        from wellbeing_desktop.ui.intake.letters_dialog import LettersDueDialog

        dialog = LettersDueDialog(self.ctx, self.window())
        dialog.open()
        return dialog

    def _done(self) -> None:
        self._loading = False

    def is_loading(self) -> bool:
        return self._loading

    def _show(self, data: today.TodaySummary) -> None:
        self.last = data
        who = data.practitioner_name if data.practitioner_name != "system" else ""
        day = (data.on or date.today()).strftime("%A %d %B %Y")
        self.greeting.setText(" · ".join(x for x in (day, data.service_name,
                                                    f"signed in as {who}" if who else "") if x))
        for status, _ in STATUS_LABELS:
            self.figures[status].setText(str(data.clients_by_status.get(status, 0)))
        self.figures["waiting"].setText(str(data.waiting_first_contact))
        for key, _title, empty in SECTIONS:
            items = getattr(data, key)
            self.cards[key].setHidden(items is None)  # no signposting area: no section
            if key == "no_contact":
                self.titles[key].setText(f"No contact in {data.no_contact_days} days")
            listing = self.lists[key]
            listing.clear()
            for item in items or ():
                when = _when(item.when, data.on)
                if key == "no_contact" and isinstance(item.when, date):
                    when = f"last seen {item.when.strftime('%d %b')}"
                    item = replace(item, what=f"{(data.on - item.when).days // 7} weeks ago"
                                   if data.on else "")
                row = QListWidgetItem(f"{when}  ·  {item.client_name}  ·  {item.what}"
                                      if when else f"{item.client_name}  ·  {item.what}")
                row.setData(Qt.ItemDataRole.UserRole, item.client_id)
                row.setToolTip("Open the record (Enter)")
                listing.addItem(row)
            if not items:
                placeholder = QListWidgetItem(empty)
                placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
                listing.addItem(placeholder)
        self._relayout()

    def _relayout(self) -> None:
        """Visible sections fill the grid in order, two a row (no holes)."""
        shown = [self.cards[k] for k, _t, _e in SECTIONS if not self.cards[k].isHidden()]
        for frame in self.cards.values():
            self.grid.removeWidget(frame)
        for i, frame in enumerate(shown):
            self.grid.addWidget(frame, i // 2, i % 2)

    def open_groups(self) -> object:
        if self.ctx is None:
            return None
        from wellbeing_desktop.ui.casework.group_dialogs import open_groups

        return open_groups(self.ctx, self.window())

    def open_courses(self) -> object:
        if self.ctx is None:
            return None
        from wellbeing_desktop.ui.courses.courses_dialog import open_courses

        return open_courses(self.ctx, self.window())

    def _open(self, item: QListWidgetItem) -> None:
        client_id = item.data(Qt.ItemDataRole.UserRole)
        if client_id is None or self.ctx is None:
            return
        from wellbeing_desktop.ui.client_record import open_client

        open_client(self.ctx, client_id, self.window())
