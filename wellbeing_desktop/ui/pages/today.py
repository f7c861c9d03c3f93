"""Today: the practitioner's caseload at a glance."""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from wellbeing_desktop.services import today
from wellbeing_desktop.ui.pages.base import Page, card
from wellbeing_desktop.ui.worker import Task

STATUS_LABELS = [
    ("referred", "New referrals"),
    ("assessed", "Assessed"),
    ("active", "In sessions"),
    ("reviewing", "Reviewing"),
    ("discharged", "Discharged"),
]


class TodayPage(Page):
    key = "today"
    title = "Today"
    subtitle = "Your caseload at a glance."
    watches = frozenset({"client", "referral", "appointment", "goal", "signposting"})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.greeting = QLabel("")
        self.greeting.setObjectName("pageSubtitle")
        self.layout_.addWidget(self.greeting)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.figures: dict[str, QLabel] = {}
        for i, (status, label) in enumerate([*STATUS_LABELS, ("waiting", "Waiting for first contact")]):
            figure = QLabel("…")
            figure.setObjectName("cardFigure")
            figure.setAccessibleName(label)
            frame, _ = card(label, figure)
            grid.addWidget(frame, i // 3, i % 3)
            self.figures[status] = figure
        self.layout_.addLayout(grid)
        self.layout_.addStretch(1)
        self._loading = False

    def refresh(self) -> None:
        super().refresh()
        if self.ctx is None:
            return
        self._loading = True
        Task(today.summary, self.ctx).on_success(self._show).on_done(self._done).start()

    def _done(self) -> None:
        self._loading = False

    def is_loading(self) -> bool:
        return self._loading

    def _show(self, data: today.TodaySummary) -> None:
        who = data.practitioner_name if data.practitioner_name != "system" else ""
        self.greeting.setText(
            f"{data.service_name}" + (f" · signed in as {who}" if who else ""))
        for status, _ in STATUS_LABELS:
            self.figures[status].setText(str(data.clients_by_status.get(status, 0)))
        self.figures["waiting"].setText(str(data.waiting_first_contact))
