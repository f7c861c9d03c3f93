"""Reports for the team: referrals, open caseload, waiting times, appointments, outcomes of
ended episodes and how often people reached the services we suggested. Figures only: no client
is named here, so the page can be shown in a team meeting."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from wellbeing_desktop.services import reports
from wellbeing_desktop.services.errors import Entity
from wellbeing_desktop.ui.columns import Columns
from wellbeing_desktop.ui.flow_layout import FlowLayout
from wellbeing_desktop.ui.operations import read
from wellbeing_desktop.ui.pages.base import Page, card


def _days(value: float | None) -> str:
    if value is None:
        return "–"
    return "1 day" if value == 1 else f"{value:.0f} days"


def _rate(part: int, whole: int) -> str:
    if not whole:
        return "–"
    return f"{100 * part / whole:.0f}%  ({part} of {whole})"


class _Table(QTableWidget):
    """A small read-only table that is as tall as its rows (no inner scrolling)."""

    def __init__(self, headers: list[str], name: str) -> None:
        super().__init__(0, len(headers))
        self.setHorizontalHeaderLabels(headers)
        self.setAccessibleName(name)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
        self.setAlternatingRowColors(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def fill(self, rows: list[list[str]]) -> None:
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.setItem(r, c, item)
        self.resizeRowsToContents()
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(height)
        # The scroll area must learn the new height now, not at the next layout pass.
        parent = self.parentWidget()
        while parent is not None:
            layout = parent.layout()
            if layout is not None:
                layout.activate()
            parent = parent.parentWidget()


class ReportsPage(Page):
    key = "reports"
    title = "Reports"
    subtitle = ("Referrals, waiting times, appointments, outcomes and how often people reached "
                "the services we suggested. Figures only: nobody is named on this page.")
    watches = frozenset({Entity.CLIENT, Entity.REFERRAL, Entity.APPOINTMENT, Entity.MEASURE,
                         Entity.SIGNPOSTING, Entity.DISCHARGE, Entity.CONTACT_ATTEMPT})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bar = FlowLayout()   # wraps on a narrow screen instead of scrolling sideways
        period_label = QLabel("&Period:")
        self.period = QComboBox()
        for code, label, _days_back in reports.PERIODS:
            self.period.addItem(label, code)
        for code, label in reports.CALENDAR_PERIODS:
            self.period.addItem(label, code)
        self.period.setCurrentIndex(1)
        period_label.setBuddy(self.period)
        self.period.currentIndexChanged.connect(lambda _i: self._period_changed())
        # Any dates: shown when "Chosen dates" is picked.
        self.since = QDateEdit(QDate.currentDate().addMonths(-1))
        self.until = QDateEdit(QDate.currentDate())
        for edit, name in ((self.since, "First day"), (self.until, "Last day")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
            edit.setVisible(False)
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.scope = QLabel("")
        self.scope.setObjectName("muted")
        self.scope.setWordWrap(True)   # it is long: it wraps rather than widen the page
        self.save = QPushButton("&Save as CSV…")
        self.save.setToolTip("Save these figures as a spreadsheet file (no names, figures only)")
        self.save.clicked.connect(self._save_csv)
        self.save.setEnabled(False)
        self.save_pdf = QPushButton("Save as P&DF…")
        self.save_pdf.setToolTip("Save these figures with charts as a PDF (numbers under 5 "
                                 "are suppressed)")
        self.save_pdf.clicked.connect(self._save_pdf)
        self.save_pdf.setEnabled(False)
        bar.addWidget(period_label)
        bar.addWidget(self.period)
        bar.addWidget(self.since)
        bar.addWidget(self.until)
        bar.addWidget(self.scope, 1)
        bar.addWidget(self.save)
        bar.addWidget(self.save_pdf)
        self.layout_.addLayout(bar)

        # Two columns of cards when they fit, else one (no sideways scrolling).
        body = Columns(2)
        self.referrals = _Table(["Referrals received, by source", "Number"], "Referrals by source")
        self.caseload = _Table(["Open caseload, by stage", "People"], "Open caseload by stage")
        self.waiting = _Table(["From referral", "Half within", "9 in 10 within", "People"],
                              "Waiting times")
        self.appointments = _Table(["Appointments held, and how they went", "Number"],
                                   "Appointments")
        self.outcomes = _Table(["Ended episodes with paired PHQ-9 and GAD-7", "Rate"],
                               "Outcomes of ended episodes")
        self.services = _Table(["Service", "Suggested", "Got there", "Wrong details"],
                               "Services used most")
        self.equality = _Table(["Who was referred", "Referrals"], "Referrals by equality group")
        self.intake = _Table(["Contact and attendance", "Figure"], "Contact and opt-in")
        self.health = _Table(["Courses and physical health", "Number"],
                             "Courses and physical health")
        self.change = _Table(["Measure", "Measured twice", "Better", "Same", "Worse"],
                             "Wellbeing and functioning, first against last")
        placed = [
            ("Referrals", self.referrals), ("Open caseload", self.caseload),
            ("Waiting times", self.waiting), ("Appointments", self.appointments),
            ("Outcomes (NHS Talking Therapies definitions)", self.outcomes),
            ("Services used most", self.services),
            ("Contact, opt-in and attendance", self.intake),
            ("Courses and physical health", self.health),
            ("Who was referred (equality)", self.equality),
            ("Wellbeing and physical health: first against last", self.change),
        ]
        for title, table in placed:
            frame, box = card(title, table)
            box.addStretch(1)  # tables sit at the top of a taller neighbour's row
            body.add(frame)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        self.layout_.addWidget(scroll, 1)
        self.last: reports.TeamReport | None = None
        self._loading = False

    def refresh(self) -> None:
        super().refresh()
        if self.ctx is None:
            return
        self._loading = True
        custom = self.period.currentData() == "custom"
        read(reports.team_report, self.ctx, self.period.currentData(),
             since=self.since.date().toPython() if custom else None,
             until=self.until.date().toPython() if custom else None).on_success(
            self._show).on_error(self._failed).on_done(self._done).start()

        from wellbeing_desktop.services import intake_reports

        read(intake_reports.intake_figures, self.ctx, self.period.currentData(),
             since=self.since.date().toPython() if custom else None,
             until=self.until.date().toPython() if custom else None).on_success(
            self._show_intake).on_error(lambda _exc: None).start()  # the team figures say why

    def _show_intake(self, f: object) -> None:
        self.intake.fill([
            ["Referrals received", str(f.referrals)],  # type: ignore[attr-defined]
            ["Reached (first contact made)", _rate(f.reached, f.referrals)],  # type: ignore[attr-defined]
            ["Contact attempts recorded", str(f.attempts)],  # type: ignore[attr-defined]
            ["Sent an opt-in letter", str(f.opt_in_sent)],  # type: ignore[attr-defined]
            ["Opted in after the letter", _rate(f.opted_in, f.opt_in_sent)],  # type: ignore[attr-defined]
            ["Closed with no reply", _rate(f.closed_no_reply, f.opt_in_sent)],  # type: ignore[attr-defined]
            ["Did not attend (of appointments held)",
             _rate(f.did_not_attend, f.attended + f.did_not_attend)],  # type: ignore[attr-defined]
        ])

    def _period_changed(self) -> None:
        custom = self.period.currentData() == "custom"
        self.since.setVisible(custom)
        self.until.setVisible(custom)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.scope.setText(str(exc))
        self.save.setEnabled(False)
        self.save_pdf.setEnabled(False)

    def _done(self) -> None:
        self._loading = False

    def is_loading(self) -> bool:
        return self._loading

    def _show(self, data: reports.TeamReport) -> None:
        self.last = data
        since = data.since.strftime("%d %B %Y") if data.since else "the first record"
        self.scope.setText(f"Figures for {data.scope}, {since} to {data.until:%d %B %Y}.")
        self.save.setEnabled(True)
        self.save_pdf.setEnabled(True)
        self.equality.fill([[f"{label}: {c.label}", str(c.count)]
                            for label, counts in data.equality for c in counts if c.count]
                           or [["No referrals in this period", ""]])
        self.referrals.fill([[c.label, str(c.count)] for c in data.referrals_by_source]
                            + [["All referrals", str(data.referrals_received)]])
        self.caseload.fill([[c.label, str(c.count)] for c in data.open_by_status])
        self.waiting.fill([
            ["to first contact", _days(data.wait_to_first_contact.median),
             _days(data.wait_to_first_contact.p90), str(data.wait_to_first_contact.counted)],
            ["to assessment", _days(data.wait_to_assessment.median),
             _days(data.wait_to_assessment.p90), str(data.wait_to_assessment.counted)],
        ])
        held = sum(c.count for c in data.appointments_by_outcome)
        rows = [[f"{c.label}", str(c.count)] for c in data.appointments_by_mode if c.count]
        rows += [[c.label, _rate(c.count, held)] for c in data.appointments_by_outcome
                 if c.count and c.code != "booked"]
        self.appointments.fill(rows or [["No appointments in this period", ""]])
        o = data.outcomes
        self.outcomes.fill([
            ["Ended with paired scores", str(o.ended_with_scores)],
            ["Finished a course (2 or more attended contacts)", str(o.finished_course)],
            ["Recovery (of those who were a case at the start)",
             _rate(o.recovered, o.case_at_start)],
            ["Reliable recovery", _rate(o.reliable_recovery, o.case_at_start)],
            ["Reliable improvement", _rate(o.reliable_improvement, o.finished_course)],
            ["Reliable deterioration", _rate(o.reliable_deterioration, o.finished_course)],
        ])
        c, h = data.courses, data.health
        if c is not None and h is not None:
            self.health.fill([
                ["Courses running", str(c.courses)],
                ["Places on them", str(c.places)],
                ["Finished a course (of places on courses that ended)",
                 f"{c.finished} of {c.ended_places}"],
                ["Group contacts attended", str(c.group_contacts)],
                ["Smokers who set a quit date", f"{h.set_quit_date} of {h.smokers}"],
                ["Smokers not smoking at 4 weeks", f"{h.quit_at_4_weeks} of {h.smokers}"],
                ["More active at the end", f"{h.more_active} of {h.activity_pairs}"],
                ["Drinking less (AUDIT-C positive at first, lower at the end)",
                 f"{h.alcohol_lower} of {h.alcohol_positive}"],
            ])
        # Per person, first against last in the period (the central report's figures).
        self.change.fill([[c.label, str(c.people), _rate(c.better, c.people),
                           _rate(c.same, c.people), _rate(c.worse, c.people)]
                          for c in data.changes]
                         or [["Nobody measured twice in this period", "", "", "", ""]])
        self.services.fill([[s.name, str(s.used), str(s.got_there), str(s.reported_wrong)]
                            for s in data.services]
                           or [["No signposting recorded yet", "", "", ""]])

    def _save_csv(self) -> None:
        if self.last is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, "Save figures", f"wellbeing-figures-{self.last.until:%Y-%m-%d}.csv",
            "CSV files (*.csv)")
        if path:
            read(reports.save_csv, self.last, path).start()

    def _save_pdf(self) -> None:
        if self.last is None:
            return
        path, _filter = QFileDialog.getSaveFileName(
            self, "Save figures as PDF", f"wellbeing-figures-{self.last.until:%Y-%m-%d}.pdf",
            "PDF files (*.pdf)")
        if path:
            read(reports.save_pdf, self.last, path).start()
