"""A new referral, a status change (with its reason) and the discharge with its plan."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from PySide6.QtWidgets import QWidget

from wellbeing_desktop.domain import casework as rules
from wellbeing_desktop.services import discharge, referrals
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.casework.form_dialog import (
    FormDialog,
    combo,
    date_edit,
    date_of,
    line,
    spin,
    text_box,
)


class ReferralDialog(FormDialog):
    geometry_key = "referral"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "New referral", parent)
        self.client_id = client_id
        self.received = self.row("&Received", "received_on", date_edit())
        self.source = self.row("So&urce", "source", combo(rules.REFERRAL_SOURCES))
        self.referrer = self.row("Re&ferrer", "referrer", line("", "name or team"))
        self.reason = self.row("Reason (their &words)", "reason", text_box())
        self.sessions = self.row("Sessions &offered", "sessions_offered", spin(1, 20, 6))
        self.finish_layout()
        self.resize(520, 420)

    def save(self) -> Any:
        return referrals.create_referral(self.ctx, self.client_id, referrals.ReferralInput(
            date_of(self.received) or date.today(), self.source.currentData(),
            self.referrer.text(), self.reason.toPlainText(), self.sessions.value()))


class StatusDialog(FormDialog):
    geometry_key = "referral_status"

    def __init__(self, ctx: AppContext, referral: referrals.ReferralSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Change referral status", parent,
                         intro=f"Now: <b>{referral.status_label}</b>")
        self.referral = referral
        choices = tuple((c, t) for c, t in rules.REFERRAL_STATUSES
                        if rules.can_move(referral.status, c) and c != "discharged")
        self.status = self.row("&New status", "status", combo(choices))
        self.reason = self.row("&Reason", "reason", text_box(lines=2))
        self.on = self.row("&Date", "changed_on", date_edit())
        self.finish_layout()
        self.resize(480, 320)

    def save(self) -> Any:
        return referrals.change_status(self.ctx, self.referral.id, self.status.currentData() or "",
                                       self.reason.toPlainText(), on=date_of(self.on))


class DischargeDialog(FormDialog):
    geometry_key = "discharge"
    save_label = "&Discharge"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Discharge and continued-care plan", parent,
                         intro="The plan is printed for the person: write it in plain words, "
                               "to them (\"you\").")
        self.client_id = client_id
        self.reason = self.row("&Reason", "reason", combo(rules.DISCHARGE_REASONS))
        self.detail = self.row("Reason de&tail", "reason_detail", line())
        self.what_next = self.row("&What next", "what_next", text_box())
        self.who = self.row("Who to &contact", "who_to_contact", text_box(lines=2))
        self.back = self.row("How to come &back", "how_to_come_back", text_box(lines=2))
        self.follow_up = self.row("&Follow-up check-in", "follow_up_on",
                                  date_edit(date.today() + timedelta(days=28), optional=True))
        self.on = self.row("D&ate of discharge", "discharged_on", date_edit())
        # Discharge checks (open goals, follow-up due, no paired scores): said up front, and
        # the reason to go ahead is asked for only when one applies.
        from wellbeing_desktop.services.discharge_checks import checks

        self.checks = checks(ctx, client_id)
        self.checks_reason = self.row(
            "Why discharge &now", "checks_reason", text_box(lines=2))
        if self.checks:
            self.checks_reason.setPlaceholderText("Before discharge: " + "; ".join(self.checks)
                                                  + ".")
            self.checks_reason.setToolTip("\n".join(self.checks))
        else:
            self.checks_reason.setEnabled(False)
            self.checks_reason.setPlaceholderText("Nothing to check: no open goals, no "
                                                  "follow-up due, paired scores recorded.")
        self.finish_layout()
        self.resize(580, 660)

    def save(self) -> Any:
        return discharge.discharge(self.ctx, self.client_id, discharge.DischargeInput(
            self.reason.currentData(), self.what_next.toPlainText(), self.who.toPlainText(),
            self.back.toPlainText(), date_of(self.follow_up), self.detail.text(),
            date_of(self.on), self.checks_reason.toPlainText()))
