"""Record a signposting follow-up: did the person get there?"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services import signposting
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.signposting import OUTCOMES, SignpostSummary
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.forms import FieldErrors
from wellbeing_desktop.ui.operations import write


def _py(qd: QDate) -> date:
    return date(qd.year(), qd.month(), qd.day())


class FollowUpDialog(RememberingDialog):
    geometry_key = "signpost_follow_up"

    def __init__(self, ctx: AppContext, item: SignpostSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx, self.item = ctx, item
        self.setWindowTitle("Signposting follow-up")
        col = QVBoxLayout(self)
        intro = QLabel(f"<b>{item.service_name}</b> for {item.need_label.lower()}, "
                       f"{item.kind_label.lower()} on {item.signposted_on:%d %b %Y}.")
        intro.setWordWrap(True)
        col.addWidget(intro)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.outcome = QComboBox()
        self.outcome.addItem("Choose what happened…", "")
        for code, label in OUTCOMES.items():
            self.outcome.addItem(label, code)
        self.errors.add_row(form, "&What happened", "outcome", self.outcome)
        self.on = QDateEdit(QDate.currentDate())
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("ddd d MMM yyyy")
        self.errors.add_row(form, "Followed up &on", "on", self.on)
        again = QWidget()
        row = QHBoxLayout(again)
        row.setContentsMargins(0, 0, 0, 0)
        self.again = QCheckBox("Follow up again on")
        self.again_on = QDateEdit(QDate.currentDate().addDays(14))
        self.again_on.setCalendarPopup(True)
        self.again_on.setDisplayFormat("ddd d MMM yyyy")
        self.again_on.setAccessibleName("Next follow-up date")
        self.again_on.setEnabled(False)
        row.addWidget(self.again)
        row.addWidget(self.again_on)
        row.addStretch(1)
        self.errors.add_row(form, "&Next follow-up", "next_follow_up_on", again)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(70)
        self.errors.add_row(form, "No&te", "note", self.note)
        col.addLayout(form)
        self.wrong_hint = QLabel("This also reports the service as closed or wrong to the "
                                 "directory team. Say what was wrong in the note.")
        self.wrong_hint.setObjectName("muted")
        self.wrong_hint.setWordWrap(True)
        self.wrong_hint.setVisible(False)
        col.addWidget(self.wrong_hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        self.again.toggled.connect(self.again_on.setEnabled)
        self.outcome.currentIndexChanged.connect(self._outcome_changed)

    def _outcome_changed(self, _index: int) -> None:
        code = self.outcome.currentData()
        self.wrong_hint.setVisible(code == "service_closed")
        if code in ("waiting", "not_yet"):
            self.again.setChecked(True)

    def save(self) -> None:
        next_on = _py(self.again_on.date()) if self.again.isChecked() else None

        def ok(_changed: object) -> None:
            self.accept()

        write(signposting.record_follow_up, self.ctx, self.item.id,
             self.outcome.currentData() or "", note=self.note.toPlainText(),
             on=_py(self.on.date()), next_follow_up_on=next_on) \
            .fields(self.errors).parent(self).on_success(ok).start()
