"""The Measures tab of a client's record: the paired outcome of the episode, the scores over
time as a chart, every administration in a table, and buttons to administer a measure or
enter a paper form."""

from __future__ import annotations

import html
import uuid

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
)

from wellbeing_desktop.domain.measures import MeasureSeries, PairedOutcome
from wellbeing_desktop.domain.measures.change import Change
from wellbeing_desktop.services import measures
from wellbeing_desktop.services.errors import Entity
from wellbeing_desktop.ui.flow_layout import FlowLayout
from wellbeing_desktop.ui.measures.chart import MeasuresChart
from wellbeing_desktop.ui.measures.table_model import AdministrationsModel
from wellbeing_desktop.ui.operations import read, write
from wellbeing_desktop.ui.panels.base import ClientPanel

SHOW_DEFAULT = ("PHQ-9", "GAD-7")




def _t(text: str) -> str:
    return QCoreApplication.translate("MeasuresPanel", text)


def outcome_text(outcome: PairedOutcome | None) -> str:
    if outcome is None:
        return _t("Episode outcome: needs a first and a later PHQ-9 and GAD-7 in this episode.")
    course = {None: "", True: " · " + _t("course finished (2 or more attended contacts)"),
              False: " · " + _t("course not finished (fewer than 2 attended contacts)")}
    return (_t("Episode outcome:") + f" <b>{_t(outcome.summary())}</b> — PHQ-9 "
            f"{outcome.phq9_first:g} → {outcome.phq9_last:g}, GAD-7 {outcome.gad7_first:g} → "
            f"{outcome.gad7_last:g}{course[outcome.finished_course]}")


ARROWS = {"better": "better", "worse": "worse", "same": "no change"}
PAIRED = ("PHQ-9", "GAD-7")  # shown in the outcome line above


def changes_text(changes: tuple[Change, ...]) -> str:
    """"Change over the episode: Sleep: Usual hours of sleep 5.5 hours → 7.5 hours (better)"."""
    shown = [c for c in changes if c.measure_id not in PAIRED]
    if not shown:
        return ""
    parts = [f"{html.escape(c.label)} {html.escape(c.first_text)} → "
             f"{html.escape(c.last_text)} (<b>{_t(ARROWS[c.direction])}</b>)" for c in shown]
    return _t("Change over the episode:") + " " + "; ".join(parts)


class MeasuresPanel(ClientPanel):
    watches = frozenset({Entity.MEASURE, Entity.CLIENT, Entity.REFERRAL, Entity.APPOINTMENT})

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setObjectName("measuresPanel")
        self._loading = False
        self._view: measures.Overview | None = None
        bar = FlowLayout()   # wraps at large text instead of scrolling sideways
        self.administer = QPushButton(self.tr("&Administer a measure…"))
        self.administer.setObjectName("primary")
        self.paper = QPushButton(self.tr("Enter a &paper form…"))
        self.show_caption = QLabel(self.tr("S&how"))
        self.show_choice = QComboBox()
        self.show_caption.setBuddy(self.show_choice)
        self.show_choice.setAccessibleName(self.tr("Measures shown in the chart"))
        self.remove = QPushButton(self.tr("&Remove (entered in error)…"))
        self.remove.setEnabled(False)
        bar.addWidget(self.administer)
        bar.addWidget(self.paper)
        bar.addWidget(self.remove)
        bar.addStretch(1)
        bar.addWidget(self.show_caption)
        bar.addWidget(self.show_choice)
        self.layout_.addLayout(bar)
        self.outcome = QLabel("")
        self.outcome.setObjectName("measuresOutcome")
        self.outcome.setWordWrap(True)
        self.layout_.addWidget(self.outcome)
        # Physical health has no paired NHS TT outcome: say plainly how each measure moved.
        self.changes = QLabel("")
        self.changes.setObjectName("measuresChanges")
        self.changes.setWordWrap(True)
        self.changes.setAccessibleName(self.tr("Change over the episode"))
        self.layout_.addWidget(self.changes)
        splitter = QSplitter()
        splitter.setOrientation(splitter.orientation().Vertical)
        self.chart = MeasuresChart()
        splitter.addWidget(self.chart)
        self.model = AdministrationsModel()
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Measures taken"))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        splitter.addWidget(self.table)
        splitter.setSizes([320, 200])
        self.layout_.addWidget(splitter, 1)
        self.administer.clicked.connect(lambda: self.open_dialog(paper=False))
        self.paper.clicked.connect(lambda: self.open_dialog(paper=True))
        self.show_choice.currentIndexChanged.connect(self._show_chart)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.remove.setEnabled(self.selected() is not None))
        self.remove.clicked.connect(self.remove_selected)

    def selected(self) -> measures.Administration | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.rows[rows[0].row()]

    def remove_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or self.ctx is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Remove this measure?"),
            self.tr("Remove the %1 of %2 as entered in error? It will no longer be shown or "
                    "counted; the audit log keeps a note that it was removed.")
            .replace("%1", chosen.measure_title)
            .replace("%2", f"{chosen.taken_on.day} {chosen.taken_on:%B %Y}"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes:
            return
        write(measures.remove, self.ctx, chosen.id).parent(self).start()

    def is_loading(self) -> bool:
        return self._loading

    def refresh(self) -> None:
        if self.ctx is None or self.client_id is None:
            return
        self._loading = True
        client_id = self.client_id
        read(measures.overview, self.ctx, client_id).on_success(
            lambda view: self._loaded(client_id, view)).on_done(self._done).start()

    def _done(self) -> None:
        self._loading = False

    def _loaded(self, client_id: uuid.UUID, view: measures.Overview) -> None:
        if client_id != self.client_id:
            return  # another client was opened meanwhile
        self._view = view
        self.model.set_rows(view.administrations)
        self.remove.setEnabled(False)  # a reset clears the selection without a signal
        self.outcome.setText(outcome_text(view.outcome))
        self.changes.setText(changes_text(view.changes))
        self.changes.setVisible(bool(view.changes))
        chosen = self.show_choice.currentData()
        self.show_choice.blockSignals(True)
        self.show_choice.clear()
        self.show_choice.addItem(self.tr("PHQ-9 and GAD-7"), "default")
        self.show_choice.addItem(self.tr("All measures"), "all")
        for measure_id in dict.fromkeys(s.measure_id for s in view.series):
            self.show_choice.addItem(measure_id, measure_id)
        index = self.show_choice.findData(chosen) if chosen else 0
        self.show_choice.setCurrentIndex(max(0, index))
        self.show_choice.blockSignals(False)
        self._show_chart()

    def chosen_series(self) -> list[MeasureSeries]:
        if self._view is None:
            return []
        choice = self.show_choice.currentData() or "default"
        if choice == "all":
            return [s for s in self._view.series if s.item_key is None]
        if choice == "default":
            return [s for s in self._view.series if s.measure_id in SHOW_DEFAULT]
        return [s for s in self._view.series if s.measure_id == choice]

    def _show_chart(self) -> None:
        self.chart.set_series(self.chosen_series())

    def open_dialog(self, *, paper: bool, measure_id: str | None = None) -> object:
        from wellbeing_desktop.ui.measures.administer_dialog import AdministerDialog

        if self.ctx is None or self.client_id is None:
            return None
        dialog = AdministerDialog(self.ctx, self.client_id, paper=paper, measure_id=measure_id,
                                  parent=self)
        dialog.open()
        return dialog
