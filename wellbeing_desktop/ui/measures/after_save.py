"""What follows a saved measure: the risk concern (and, if it is cancelled, the
acknowledgement prompt) and the offer of the longer measure after a positive screen. Mixed
into `AdministerDialog`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMessageBox

from wellbeing_desktop.services import measures

if TYPE_CHECKING:
    import uuid
    from datetime import date

    from PySide6.QtWidgets import QDateEdit

    from wellbeing_desktop.domain.measures import MeasureDefinition
    from wellbeing_desktop.services.app import AppContext
    from wellbeing_desktop.ui.measures.administer_dialog import AdministerDialog


# Type-checked as the widget it is mixed into; at run time a plain mixin (the widget's own
# methods come from the widget's class).
_Base = QDialog if TYPE_CHECKING else object


class AfterSaveMixin(_Base):  # type: ignore[misc,valid-type]
    ctx: AppContext
    client_id: uuid.UUID
    paper: bool
    today: date
    taken_on: QDateEdit
    follow_up: AdministerDialog | None

    if TYPE_CHECKING:  # the dialog's own
        @property
        def definition(self) -> MeasureDefinition: ...

    def offer_follow_up(self, result: measures.RecordResult) -> AdministerDialog | None:
        """A positive screen offers the longer measure (AUDIT-C 5 or more → the full AUDIT),
        with the answers already given carried over."""
        follow = self.definition.follow_up
        if follow is None:
            return None
        answer = QMessageBox.question(
            self.parentWidget() or self, self.tr("Offer %1?").replace("%1", follow.measure),
            self.tr("%1 scored %2. %3\n\nAsk the remaining questions now?")
            .replace("%1", self.definition.short_title)
            .replace("%2", f"{result.score.total:g}").replace("%3", follow.message),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        if answer != QMessageBox.StandardButton.Yes:
            return None
        carried = {item.key: item.value for item in result.score.items}
        from wellbeing_desktop.ui.measures.administer_dialog import AdministerDialog

        self.follow_up = AdministerDialog(
            self.ctx, self.client_id, measure_id=follow.measure, paper=self.paper,
            parent=self.parentWidget(), today=self.today, answers=carried)
        self.follow_up.taken_on.setDate(self.taken_on.date())
        self.follow_up.open()
        return self.follow_up

    def show_risk_prompt(self, result: measures.RecordResult) -> None:
        """Casework's risk concern dialog, with the measure's answer as the concern. If it is
        cancelled (it asks first), our acknowledgement prompt still has to be confirmed, so
        the flag can never go away unseen."""
        from wellbeing_desktop.ui.dialogs.risk_concern import RiskConcernDialog
        from wellbeing_desktop.ui.measures.risk_prompt import RiskPromptDialog

        detail = self.risk_detail(result)
        concern = RiskConcernDialog(self.ctx, self.client_id, source=f"measure:{result.score.measure_id}",
                                    detail=detail, parent=self)
        if concern.exec() == RiskConcernDialog.DialogCode.Accepted:
            return
        prompt = RiskPromptDialog(self.ctx, self.client_id, list(result.score.risk_messages),
                                  result.administration.id, self)
        prompt.exec()

    def risk_detail(self, result: measures.RecordResult) -> str:
        d = self.definition
        parts = []
        for risk in d.risk_items:
            for item in result.score.items:
                if item.key == risk.item and isinstance(item.value, int) and item.value > risk.above:
                    option = next((o.label for o in d.items[item.number - 1].options
                                   if o.value == item.value), "")
                    parts.append(f"{d.id} item {item.number} ({d.items[item.number - 1].text}) "
                                 f"answered {item.value}{f' ({option})' if option else ''} on "
                                 f"{result.administration.taken_on:%d %B %Y}.")
        return " ".join(parts)

