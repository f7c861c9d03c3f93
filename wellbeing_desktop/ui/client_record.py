"""The client record: a window with the risk banner on top, the casework tabs and every
panel other areas contribute (`ui.panels.panel_classes()`).

    open_client(ctx, client_id, parent=None)
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from wellbeing_desktop.domain.languages import language_name
from wellbeing_desktop.services import risk
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, Entity
from wellbeing_desktop.ui.bus import bus
from wellbeing_desktop.ui.casework import tabs
from wellbeing_desktop.ui.casework.record_data import RecordData, load
from wellbeing_desktop.ui.casework.widgets import RiskBanner, button
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.dialogs.errors import show_error
from wellbeing_desktop.ui.operations import read
from wellbeing_desktop.ui.panels import panel_classes

WATCHES = frozenset({Entity.CLIENT, Entity.REFERRAL, Entity.SUITABILITY, Entity.NEEDS,
                     Entity.APPOINTMENT, Entity.GROUP, Entity.ATTENDANCE, Entity.GOAL,
                     Entity.DISCHARGE, Entity.RISK})
_open: dict[uuid.UUID, ClientRecord] = {}


class ClientRecord(RememberingDialog):
    geometry_key = "client_record"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx, self.client_id = ctx, client_id
        self.data: RecordData | None = None
        self._loading = False
        self.setWindowTitle("Client record")
        self.setObjectName("clientRecord")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        col = QVBoxLayout(self)
        col.setContentsMargins(18, 14, 18, 14)
        self.heading = QLabel("Loading…")
        self.heading.setObjectName("pageTitle")
        self.subheading = QLabel("")
        self.subheading.setObjectName("pageSubtitle")
        col.addWidget(self.heading)
        col.addWidget(self.subheading)
        self.banner = RiskBanner()
        self.banner.action_button.clicked.connect(self.record_action)
        self.banner.resolve_button.clicked.connect(self.resolve_concern)
        col.addWidget(self.banner)
        self.risk_button = button("Record a risk &concern…", self.raise_concern)
        col.addWidget(self.risk_button, 0, Qt.AlignmentFlag.AlignRight)
        self.tabs = RecordTabs()
        self.tabs.setAccessibleName("Client record sections")
        self.own_tabs: list[tabs.Tab] = [
            tabs.DetailsTab(self), tabs.ReferralTab(self), tabs.SessionsTab(self),
            tabs.GoalsTab(self), tabs.DischargeTab(self)]
        # No Alt-letters on the tabs: they clashed with the buttons inside them (Alt+S on
        # Signposting jumped to Sessions). Alt+1…9 and Ctrl+Tab reach the tabs instead.
        # Every tab scrolls inside itself, so the record fits a 1024×700 screen at 150 %
        # text; the tabs shrink (full names in tooltips) rather than hide behind arrows.
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideRight)
        for title, tab in zip(("Details", "Referral", "Sessions", "Goals", "Discharge"),
                              self.own_tabs, strict=True):
            self.tabs.addTab(_scrolling(tab), title)
        self.panels: list[Any] = []
        for title, cls in panel_classes():
            panel = cls()
            self.panels.append(panel)
            self.tabs.addTab(_scrolling(panel), title.replace("&", ""))
            panel.set_client(ctx, client_id)
        for index in range(self.tabs.count()):
            tip = "Referral and assessment" if index == 1 else self.tabs.tabText(index)
            self.tabs.setTabToolTip(index, f"{tip} (Alt+{index + 1})" if index < 9 else tip)
        col.addWidget(self.tabs, 1)
        for number in range(1, min(9, self.tabs.count()) + 1):
            shortcut = QShortcut(QKeySequence(f"Alt+{number}"), self)
            shortcut.activated.connect(lambda n=number: self.tabs.setCurrentIndex(n - 1))
        bus().data_changed.connect(self._on_changed)
        # Focus starts on the record's sections, never on "Record a risk concern…" (Enter
        # would open it), which comes after them in the Tab order.
        self.risk_button.setAutoDefault(False)
        self.risk_button.setDefault(False)
        QWidget.setTabOrder(self.tabs, self.risk_button)
        self.tabs.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(980, 760)
        self.refresh(audit_view=True)

    # data ------------------------------------------------------------------------------
    def is_loading(self) -> bool:
        return self._loading

    def refresh(self, audit_view: bool = False) -> None:
        self._loading = True
        read(load, self.ctx, self.client_id, audit_view=audit_view).on_success(self._show) \
            .on_error(self._failed).on_done(self._done).start()

    def _done(self) -> None:
        self._loading = False

    def _failed(self, exc: BaseException) -> None:
        self.heading.setText("This record could not be opened")
        show_error(self, exc)

    def _show(self, data: RecordData) -> None:
        self.data = data
        c = data.client
        self.setWindowTitle(f"{c.display_name} — client record")
        self.heading.setText(c.display_name + (f" ({c.pronouns})" if c.pronouns else ""))
        born = c.date_of_birth.strftime("%d %b %Y") if c.date_of_birth else "date of birth unknown"
        status = data.referrals[0].status_label if data.referrals else "No referral"
        needs = []
        if c.interpreter_needed:
            needs.append(f"Interpreter: {language_name(c.language)}")
        if c.document_format != "standard":
            needs.append(c.document_format.replace("_", " "))
        self.subheading.setText(" · ".join(x for x in (
            f"Born {born}", f"NHS {c.nhs_number_display}" if c.nhs_number else "",
            status, ("Needs: " + ", ".join(needs)) if needs else "") if x))
        self.banner.show_concerns(data.concerns, risk.crisis_contacts(self.ctx))
        for tab in self.own_tabs:
            tab.show_data(data)

    def _on_changed(self, changed: Changed) -> None:
        if changed.entities & WATCHES and (not changed.ids or str(self.client_id) in changed.ids):
            self.refresh()
        for panel in self.panels:
            panel.on_data_changed(changed)

    # actions (each opens a dialog; saving announces the change, which refreshes) --------
    def _open(self, dialog: Any) -> Any:
        dialog.open()
        return dialog

    def edit_client(self) -> Any:
        from wellbeing_desktop.ui.dialogs.client_form import ClientDialog

        return self._open(ClientDialog(self.ctx, self.data.client if self.data else None, self))

    def new_referral(self) -> Any:
        from wellbeing_desktop.ui.casework.referral_dialogs import ReferralDialog

        return self._open(ReferralDialog(self.ctx, self.client_id, self))

    def contact_attempt(self) -> Any:
        """Record a try at reaching them (intake): Enter saves phone, no answer, today."""
        from wellbeing_desktop.ui.intake.attempt_dialog import AttemptDialog

        name = self.data.client.display_name if self.data else ""
        return self._open(AttemptDialog(self.ctx, self.client_id, name, self))

    def change_status(self) -> Any:
        from wellbeing_desktop.ui.casework.referral_dialogs import StatusDialog

        if not self.data or not self.data.referrals:
            return None
        return self._open(StatusDialog(self.ctx, self.data.referrals[0], self))

    def needs_check(self) -> Any:
        from wellbeing_desktop.ui.casework.assessment_dialog import NeedsDialog

        return self._open(NeedsDialog(self.ctx, self.client_id,
                                      self.data.needs if self.data else None, self))

    def suitability(self) -> Any:
        from wellbeing_desktop.ui.casework.assessment_dialog import SuitabilityDialog

        return self._open(SuitabilityDialog(self.ctx, self.client_id, self))

    def new_session(self) -> Any:
        from wellbeing_desktop.ui.casework.session_dialog import SessionDialog

        return self._open(SessionDialog(self.ctx, self.client_id, None, self))

    def open_session(self, appointment: Any) -> Any:
        from wellbeing_desktop.ui.casework.session_dialog import SessionDialog

        return self._open(SessionDialog(self.ctx, self.client_id, appointment, self))

    def new_goal(self) -> Any:
        from wellbeing_desktop.ui.casework.goal_dialog import GoalDialog

        return self._open(GoalDialog(self.ctx, self.client_id, None, self))

    def edit_goal(self, goal: Any) -> Any:
        from wellbeing_desktop.ui.casework.goal_dialog import GoalDialog

        return self._open(GoalDialog(self.ctx, self.client_id, goal, self))

    def review_goal(self, goal: Any) -> Any:
        from wellbeing_desktop.ui.casework.goal_dialog import ReviewDialog

        return self._open(ReviewDialog(self.ctx, goal, self))

    def discharge(self) -> Any:
        from wellbeing_desktop.ui.casework.referral_dialogs import DischargeDialog

        return self._open(DischargeDialog(self.ctx, self.client_id, self))

    def raise_concern(self) -> Any:
        from wellbeing_desktop.ui.dialogs.risk_concern import RiskConcernDialog

        return self._open(RiskConcernDialog(self.ctx, self.client_id, source="practitioner",
                                            parent=self))

    def record_action(self) -> Any:
        from wellbeing_desktop.ui.casework.concern_dialogs import ConcernActionDialog

        if not self.banner.concerns:
            return None
        return self._open(ConcernActionDialog(self.ctx, self.banner.concerns[0], False, self))

    def resolve_concern(self) -> Any:
        from wellbeing_desktop.ui.casework.concern_dialogs import ConcernActionDialog

        if not self.banner.concerns:
            return None
        return self._open(ConcernActionDialog(self.ctx, self.banner.concerns[0], True, self))

    def merge_duplicate(self) -> Any:
        from wellbeing_desktop.ui.casework.merge_dialog import MergeDialog

        dlg = MergeDialog(self.ctx, self.client_id, self)
        dlg.accepted.connect(lambda: self._after_merge(dlg.merged))
        return self._open(dlg)

    def _after_merge(self, saved: Any) -> None:
        """This record was closed by the merge: show the kept one instead."""
        if saved is None or saved.id == self.client_id:
            return
        parent = self.parentWidget()
        self.accept()
        open_client(self.ctx, saved.id, parent)

    def done(self, result: int) -> None:
        _open.pop(self.client_id, None)
        try:
            bus().data_changed.disconnect(self._on_changed)
        except (RuntimeError, TypeError):
            pass
        super().done(result)


def open_client(ctx: AppContext, client_id: uuid.UUID, parent: QWidget | None = None) -> ClientRecord:
    """Open (or bring forward) the client's record window."""
    record = _open.get(client_id)
    if record is None:
        record = ClientRecord(ctx, client_id, parent)
        record.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        _open[client_id] = record
    record.show()
    record.raise_()
    record.activateWindow()
    return record


def _scrolling(tab: QWidget) -> QScrollArea:
    """A tab taller than the window scrolls within the record."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(tab)
    return area


class RecordTabs(QTabWidget):
    """The record's tabs, each inside a scroll area (`_scrolling`): a tab or panel is still
    found and shown by itself (`indexOf(panel)`, `setCurrentWidget(panel)`)."""

    def indexOf(self, widget: QWidget) -> int:  # noqa: N802 - Qt's name
        for index in range(self.count()):
            page = self.widget(index)
            if page is widget or (isinstance(page, QScrollArea) and page.widget() is widget):
                return index
        return -1

    def setCurrentWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt's name
        index = self.indexOf(widget)
        if index >= 0:
            self.setCurrentIndex(index)
