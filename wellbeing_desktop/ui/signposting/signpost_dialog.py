"""Signpost a client to a service: pick it (search, favourites, suggestions from their needs),
then record the need, the kind of support, consent and what was shared, and a follow-up date."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.domain.needs import NEEDS_DOMAINS, domain_label
from wellbeing_desktop.services import directory, signposting, unmet_needs
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.directory import SearchFilters, ServiceHit
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.services.signposting import KINDS, SignpostInput
from wellbeing_desktop.services.unmet_needs import UnmetNeedInput
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.forms import FieldErrors, scrolling
from wellbeing_desktop.ui.operations import read, write

HitRole = Qt.ItemDataRole.UserRole + 1
NeedRole = Qt.ItemDataRole.UserRole + 2


class SignpostDialog(RememberingDialog):
    geometry_key = "signpost"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID, parent: QWidget | None = None,
                 *, need: str = "", session_id: uuid.UUID | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx, self.client_id, self.session_id = ctx, client_id, session_id
        self.setWindowTitle("Signpost to a service")
        self.resize(760, 620)
        col = QVBoxLayout(self)
        form = QFormLayout()
        self.errors = FieldErrors()
        self.need = QComboBox()
        self.need.addItem("Choose the need…", "")
        for d in NEEDS_DOMAINS:
            self.need.addItem(d.label, d.code)
        if need:
            self.need.setCurrentIndex(max(0, self.need.findData(need)))
        self.errors.add_row(form, "&Need it addresses", "need", self.need)
        finder = QWidget()
        frow = QVBoxLayout(finder)
        frow.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type to search, or pick a suggestion below")
        self.search.setAccessibleName("Search for a service")
        self.favourites = QCheckBox("Fa&vourites only")
        top.addWidget(self.search, 1)
        top.addWidget(self.favourites)
        frow.addLayout(top)
        self.results = QListWidget()
        self.results.setAccessibleName("Services to choose from")
        self.results.setMinimumHeight(150)
        frow.addWidget(self.results)
        self.hint = QLabel("")
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        frow.addWidget(self.hint)
        caption = self.errors.add_row(form, "&Service", "service_id", finder)
        caption.setBuddy(self.search)
        self.kind = QComboBox()
        for code, label in KINDS.items():
            self.kind.addItem(label, code)
        self.errors.add_row(form, "&Kind of support", "kind", self.kind)
        self.consent = QCheckBox("The client agrees we share their details with this service")
        self.errors.add_row(form, "&Consent", "consent_to_share", self.consent)
        self.shared_what = QLineEdit()
        self.shared_what.setPlaceholderText("e.g. name, phone number and why they need help")
        self.errors.add_row(form, "What was s&hared", "shared_what", self.shared_what)
        self.shared_with = QLineEdit()
        self.shared_with.setPlaceholderText("e.g. the duty adviser")
        self.errors.add_row(form, "Shared &with", "shared_with", self.shared_with)
        follow = QWidget()
        frow2 = QHBoxLayout(follow)
        frow2.setContentsMargins(0, 0, 0, 0)
        self.follow = QCheckBox("Follow up on")
        self.follow.setChecked(True)
        self.follow_on = QDateEdit(QDate.currentDate().addDays(14))
        self.follow_on.setCalendarPopup(True)
        self.follow_on.setDisplayFormat("ddd d MMM yyyy")
        self.follow_on.setAccessibleName("Follow-up date")
        frow2.addWidget(self.follow)
        frow2.addWidget(self.follow_on)
        frow2.addStretch(1)
        self.errors.add_row(form, "&Follow-up", "follow_up_on", follow)
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(60)
        self.errors.add_row(form, "N&ote", "note", self.note)
        self.area = QLineEdit()
        self.area.setPlaceholderText("only when no service fits: e.g. KM4, or the town")
        self.errors.add_row(form, "&Area searched", "area", self.area)
        col.addWidget(scrolling(form), 1)
        self.general = QLabel("")
        self.general.setObjectName("fieldError")
        self.general.setVisible(False)
        col.addWidget(self.general)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("primary")
        self.no_service = buttons.addButton("No s&uitable service",
                                            QDialogButtonBox.ButtonRole.ActionRole)
        self.no_service.setToolTip("Record that no service could meet this need in this area "
                                   "(counted centrally as a gap in provision)")
        self.no_service.clicked.connect(self.save_unmet)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.favourites.toggled.connect(lambda _c: self.run_search())
        self.need.currentIndexChanged.connect(lambda _i: self.run_search())
        # A service is chosen by selecting it (a click, or arrows), never by Tab landing on
        # the list: Qt makes the first row current then, which is not a choice.
        self.results.itemSelectionChanged.connect(lambda: self._picked(self._chosen_item()))
        self.consent.toggled.connect(self._consent_changed)
        self.follow.toggled.connect(self.follow_on.setEnabled)
        self._consent_changed(False)
        self.saved = False
        self.run_search()

    def _consent_changed(self, on: bool) -> None:
        self.shared_what.setEnabled(on)
        self.shared_with.setEnabled(on)

    def run_search(self) -> None:
        ctx, text, need = self.ctx, self.search.text(), self.need.currentData() or ""
        favourites = self.favourites.isChecked()
        client_id = self.client_id

        def load() -> tuple[list[ServiceHit], str, list[str]]:
            if text.strip() or favourites:
                return (directory.search(ctx, text, SearchFilters(
                    need=need, favourites_only=favourites), limit=60), "", [])
            if need:
                return (directory.suggest_for_needs(ctx, [need], limit=30),
                        "Services for this need: favourites first. Type to search.", [need])
            recorded = signposting.client_needs(ctx, client_id)[:4]
            if recorded:
                when = recorded[0].assessed_on
                source = (f"from the needs check of {when.day} {when:%b %Y}" if when
                          else "from what they were signposted for before")
                return (directory.suggest_for_needs(ctx, [n.domain for n in recorded], limit=40),
                        f"Suggested for the client's needs ({source}): "
                        + "; ".join(n.why for n in recorded) + ".",
                        [n.domain for n in recorded])
            return (directory.search(ctx, "", SearchFilters(favourites_only=True), limit=60),
                    "The team's favourites. Choose a need or type to search.", [])

        read(load).on_success(self._show).start()

    def _show(self, result: tuple[list[ServiceHit], str, list[str]]) -> None:
        hits, hint, needs = result
        current = self.selected_service()
        self.results.clear()
        for hit in hits:
            marks = ("★ " if hit.favourite else "") + ("⚠ " if hit.reported_wrong else "")
            stale = "  (stale)" if hit.stale else ""
            serves = next((n for n in needs if n in hit.needs), "")
            suffix = f"  · for {domain_label(serves)}" if serves and len(needs) > 1 else ""
            item = QListWidgetItem(f"{marks}{hit.name} — {hit.organization}{stale}{suffix}")
            item.setData(HitRole, hit)
            item.setData(NeedRole, serves)
            item.setToolTip(hit.summary)
            self.results.addItem(item)
            if hit.id == current:
                self.results.setCurrentItem(item)
        self.hint.setText(hint if hits else "No services found. Try fewer words.")

    def _picked(self, item: QListWidgetItem | None) -> None:
        """Choosing a suggestion fills in the need it was suggested for (if none is chosen)."""
        serves = item.data(NeedRole) if item is not None else ""
        if serves and not self.need.currentData():
            self.need.blockSignals(True)  # keep the suggestions in view
            self.need.setCurrentIndex(max(0, self.need.findData(serves)))
            self.need.blockSignals(False)

    def _chosen_item(self) -> QListWidgetItem | None:
        chosen = self.results.selectedItems()
        return chosen[0] if chosen else None

    def selected_service(self) -> uuid.UUID | None:
        item = self._chosen_item()
        if item is None:
            return None
        hit: ServiceHit = item.data(HitRole)
        return hit.id

    def values(self) -> SignpostInput:
        qd = self.follow_on.date()
        follow = date(qd.year(), qd.month(), qd.day()) if self.follow.isChecked() else None
        return SignpostInput(
            service_id=self.selected_service(), need=self.need.currentData() or "",
            kind=self.kind.currentData(), consent_to_share=self.consent.isChecked(),
            shared_what=self.shared_what.text() if self.consent.isChecked() else "",
            shared_with=self.shared_with.text() if self.consent.isChecked() else "",
            follow_up_on=follow, note=self.note.toPlainText(), session_id=self.session_id)

    def save(self) -> None:
        values = self.values()

        def ok(changed: object) -> None:
            self.saved = True
            self.accept()

        write(signposting.record, self.ctx, self.client_id, [values]) \
            .on_success(ok).on_error(self._failed).start()

    def save_unmet(self) -> None:
        """End the attempt: no suitable service for the need in the area, with the note."""
        values = UnmetNeedInput(self.need.currentData() or "", self.area.text(),
                                self.note.toPlainText())

        def ok(_changed: object) -> None:
            self.saved = True
            self.accept()

        write(unmet_needs.record_unmet_need, self.ctx, self.client_id, values) \
            .on_success(ok).on_error(self._failed).start()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            orphans = self.errors.show(exc)
            self.general.setText("\n".join(orphans))
            self.general.setVisible(bool(orphans))
            return
        from wellbeing_desktop.ui.dialogs.errors import show_error

        show_error(self, exc)

    def _dirty(self) -> bool:
        v = self.values()
        return bool(v.service_id or v.note.strip() or v.consent_to_share)

    def reject(self) -> None:
        if not self.saved and self._dirty() and self.isVisible():
            answer = QMessageBox.question(
                self, "Discard this signposting?", "Close without saving this signposting?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()


def default_follow_up(today: date | None = None) -> date:
    return (today or date.today()) + timedelta(days=14)
