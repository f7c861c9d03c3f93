"""The client record's own tabs: details, referral & assessment, sessions, goals, discharge.
Each renders plain `RecordData`; buttons open the dialog for the change."""

from __future__ import annotations

from functools import partial
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.domain import casework as rules
from wellbeing_desktop.domain import coded
from wellbeing_desktop.domain.languages import language_name
from wellbeing_desktop.services import clients
from wellbeing_desktop.ui.casework.record_data import RecordData
from wellbeing_desktop.ui.casework.widgets import Sparkline, button

if TYPE_CHECKING:
    from wellbeing_desktop.ui.client_record import ClientRecord


def _d(value: Any) -> str:
    return value.strftime("%d %b %Y") if value else "—"


def _rows(pairs: list[tuple[str, str]]) -> str:
    return "<table cellspacing='0' cellpadding='4'>" + "".join(
        f"<tr><td style='color:#4C6272; padding-right:18px'>{escape(k)}</td>"
        f"<td>{escape(v) if v else '—'}</td></tr>" for k, v in pairs) + "</table>"


class Tab(QWidget):
    def __init__(self, record: ClientRecord) -> None:
        super().__init__()
        self.record = record
        self.col = QVBoxLayout(self)
        self.bar = QHBoxLayout()
        self.col.addLayout(self.bar)

    def label(self) -> QLabel:
        lab = QLabel("")
        lab.setWordWrap(True)
        lab.setTextFormat(Qt.TextFormat.RichText)
        lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                    | Qt.TextInteractionFlag.TextSelectableByMouse)
        lab.setAlignment(Qt.AlignmentFlag.AlignTop)
        return lab

    def show_data(self, data: RecordData) -> None:
        raise NotImplementedError


class DetailsTab(Tab):
    def __init__(self, record: ClientRecord) -> None:
        super().__init__(record)
        self.bar.addWidget(button("&Edit details…", record.edit_client))
        self.bar.addWidget(button("&Merge a duplicate record…", record.merge_duplicate))
        self.bar.addStretch(1)
        self.body = self.label()
        self.body.setAccessibleName("Client details")
        self.col.addWidget(self.body, 1)

    def show_data(self, data: RecordData) -> None:
        c = data.client
        fmt = rules.label(clients.DOCUMENT_FORMATS, c.document_format)
        consent = [t for ok, t in ((c.consent_contact, "contact"),
                                   (c.consent_share_services, "share with named services"),
                                   (c.consent_central_records, "central records")) if ok]
        self.body.setText(
            "<h3>Person</h3>" + _rows([
                ("Name", f"{c.given_name} {c.family_name}"), ("Known as", c.preferred_name),
                ("Pronouns", c.pronouns), ("Date of birth", _d(c.date_of_birth)),
                ("NHS number", c.nhs_number_display), ("GP practice", c.gp_practice),
                ("Practitioner", c.practitioner_name)])
            + "<h3>Contact</h3>" + _rows([
                ("Address", c.address.replace("\n", ", ")), ("Postcode", c.postcode),
                ("Phone", c.phone), ("Email", c.email), ("How and when", c.contact_preferences)])
            + "<h3>Consent and communication</h3>" + _rows([
                ("Consents to", ", ".join(consent) or "none recorded"),
                ("Named services", c.consent_share_with), ("Language", language_name(c.language)),
                ("Interpreter", f"needed ({language_name(c.language)})" if c.interpreter_needed
                 else "not needed"),
                ("Document format", fmt), ("Communication notes", c.communication_notes)])
            + "<h3>About the person</h3>" + _rows([
                (coded.code_list(name).label, coded.code_list(name).label_of(getattr(c, name)))
                for name in coded.FIELDS]))


class ReferralTab(Tab):
    def __init__(self, record: ClientRecord) -> None:
        super().__init__(record)
        for text, slot in (("New &referral…", record.new_referral),
                           ("Change &status…", record.change_status),
                           ("Contact &attempt…", record.contact_attempt),
                           ("&Needs check…", record.needs_check),
                           ("Suita&bility…", record.suitability)):
            self.bar.addWidget(button(text, slot))
        self.bar.addStretch(1)
        self.body = self.label()
        self.body.setAccessibleName("Referral and assessment")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        self.col.addWidget(scroll, 1)

    def show_data(self, data: RecordData) -> None:
        parts = []
        if data.referrals:
            r = data.referrals[0]
            wait1 = f"{r.days_to_first_contact} days" if r.days_to_first_contact is not None else "waiting"
            wait2 = f"{r.days_to_assessment} days" if r.days_to_assessment is not None else "waiting"
            parts.append("<h3>Referral</h3>" + _rows([
                ("Status", r.status_label), ("Received", _d(r.received_on)),
                ("Source", r.source_label), ("Referrer", r.referrer),
                ("Reason (their words)", r.reason), ("Sessions offered", str(r.sessions_offered)),
                ("To first contact", wait1), ("To assessment", wait2)]))
            parts.append("<h4>Status history</h4>" + _rows([
                (_d(h.changed_on), f"{rules.label(rules.REFERRAL_STATUSES, h.to_status)} — "
                                   f"{h.reason}") for h in reversed(r.history)]))
        else:
            parts.append("<p>No referral yet.</p>")
        s = data.suitability
        if s:
            ticked = [t for c, t in rules.EXPECTATIONS if c in s.expectations]
            parts.append("<h3>Suitability</h3>" + _rows([
                ("Decision", s.decision_label), ("Date", _d(s.decided_on)),
                ("Reasons", s.reasons), ("Adjustments", s.adjustments),
                ("Preferred mode", rules.label(rules.MODES, s.preferred_mode)),
                ("Expectations discussed", f"{len(ticked)} of {len(rules.EXPECTATIONS)}")]))
        n = data.needs
        if n:
            prio = {v: t for v, t in rules.PRIORITIES}
            lvl = {v: t for v, t in rules.NEED_LEVELS}
            parts.append(f"<h3>Needs check ({_d(n.assessed_on)})</h3>" + _rows([
                (x.label, f"{lvl[x.level]}, priority: {prio[x.priority].lower()}"
                          + (f" — {x.notes}" if x.notes else ""))
                for x in n.in_priority_order()]))
        self.body.setText("".join(parts))


class SessionsTab(Tab):
    HEADERS = ["When", "Mode", "Outcome", "Topics", "Length"]

    def __init__(self, record: ClientRecord) -> None:
        super().__init__(record)
        self.bar.addWidget(button("&Book or record a session…", record.new_session))
        self.bar.addWidget(button("&Open selected session…", self.open_selected))
        self.bar.addWidget(button("Enrol on a co&urse…", self.enrol_on_course))
        self.bar.addStretch(1)
        self.table = QTableWidget(0, len(self.HEADERS))
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.table.setHorizontalHeaderLabels(self.HEADERS)
        self.table.setAccessibleName("Sessions")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.interpreter = self.label()
        self.interpreter.setObjectName("fieldError")
        self.interpreter.setAccessibleName("Interpreter needed")
        self.interpreter.setVisible(False)
        self.col.addWidget(self.interpreter)
        self.col.addWidget(self.table, 2)
        self.groups = self.label()
        self.groups.setAccessibleName("Group sessions")
        self.col.addWidget(self.groups)
        self.appointments: list[Any] = []

    def show_data(self, data: RecordData) -> None:
        self.appointments = data.appointments
        c = data.client
        # An interpreter need is shown on every appointment, where it is acted on.
        self.interpreter.setVisible(c.interpreter_needed)
        self.interpreter.setText(f"Interpreter needed for every appointment: "
                                 f"{escape(language_name(c.language))}")
        self.table.setRowCount(len(data.appointments))
        for i, a in enumerate(data.appointments):
            values = [a.starts_at.strftime("%a %d %b %Y, %H:%M"),
                      a.mode_label + (f" · {a.venue}" if a.venue else ""), a.outcome_label,
                      ", ".join(a.topic_labels), f"{a.minutes} min"]
            for j, v in enumerate(values):
                self.table.setItem(i, j, QTableWidgetItem(v))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        if data.groups:
            self.groups.setText("<h4>Group sessions</h4>" + _rows([
                (g.starts_at.strftime("%d %b %Y"), f"{g.topic} at {g.venue}: "
                                                   f"{g.attendance_label.lower()}")
                for g in data.groups]))
        else:
            self.groups.setText("")

    def open_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.appointments):
            self.record.open_session(self.appointments[row])

    def enrol_on_course(self) -> Any:
        from wellbeing_desktop.ui.courses.enrol_dialog import EnrolDialog

        dialog = EnrolDialog(self.record.ctx, self.record.client_id, self)
        dialog.open()
        return dialog


class GoalsTab(Tab):
    def __init__(self, record: ClientRecord) -> None:
        super().__init__(record)
        self.bar.addWidget(button("New &goal…", record.new_goal))
        self.bar.addStretch(1)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.col.addWidget(self.area, 1)

    def show_data(self, data: RecordData) -> None:
        inner = QWidget()
        col = QVBoxLayout(inner)
        if not data.goals:
            col.addWidget(QLabel("No goals yet. Set one with the person: “New goal…”."))
        for g in data.goals:
            card = QFrame()
            card.setObjectName("card")
            row = QHBoxLayout(card)
            text = self.label()
            due = f" · by {_d(g.by_when)}" if g.by_when else ""
            latest = f"{g.latest_rating}/10" if g.latest_rating is not None else "not reviewed"
            text.setText(f"<b>{escape(g.what)}</b><br>"
                         f"<span style='color:#4C6272'>{escape(g.status_label)}"
                         f"{' · ' + escape(g.domain_label) if g.domain else ''}{due} · "
                         f"latest {latest}</span><br>How we will know: "
                         f"{escape(g.measure_of_success)}")
            row.addWidget(text, 1)
            row.addWidget(Sparkline([r.rating for r in g.reviews]))
            review = button("Re&view…", partial(self.record.review_goal, g),
                            f"Review goal: {g.what}")
            edit = button("Edit…", partial(self.record.edit_goal, g), f"Edit goal: {g.what}")
            col_b = QVBoxLayout()
            col_b.addWidget(review)
            col_b.addWidget(edit)
            row.addLayout(col_b)
            col.addWidget(card)
        col.addStretch(1)
        self.area.setWidget(inner)


class DischargeTab(Tab):
    def __init__(self, record: ClientRecord) -> None:
        super().__init__(record)
        self.discharge_button = button("&Discharge…", record.discharge)
        self.bar.addWidget(self.discharge_button)
        self.bar.addStretch(1)
        self.body = self.label()
        self.body.setAccessibleName("Discharge and continued-care plan")
        self.col.addWidget(self.body, 1)

    def show_data(self, data: RecordData) -> None:
        d = data.discharge
        current = data.referrals[0].status if data.referrals else ""
        self.discharge_button.setEnabled(current not in ("discharged", "closed", ""))
        if d is None:
            self.body.setText("<p>Not discharged. When the sessions end, record the "
                              "continued-care plan here: it goes into the person's take-home "
                              "plan.</p>")
            return
        follow = _d(d.follow_up_on) + (f" (done {_d(d.follow_up_done_on)})"
                                       if d.follow_up_done_on else "")
        self.body.setText("<h3>Moving forward</h3>" + _rows([
            ("Discharged", _d(d.discharged_on)), ("Reason", d.reason_label),
            ("Detail", d.reason_detail), ("What next", d.what_next),
            ("Who to contact", d.who_to_contact), ("How to come back", d.how_to_come_back),
            ("Follow-up check-in", follow)]))
