"""Directory of local services (Open Referral UK): search as you type, filters, details."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from wellbeing_desktop.domain.directory import DAY_NAMES
from wellbeing_desktop.domain.needs import NEEDS_DOMAINS
from wellbeing_desktop.services import directory, permissions
from wellbeing_desktop.services.directory import SearchFilters, ServiceDetail, ServiceHit
from wellbeing_desktop.services.errors import Entity
from wellbeing_desktop.ui.directory.detail_view import ServiceDetailView
from wellbeing_desktop.ui.directory.results_model import ServiceTableModel
from wellbeing_desktop.ui.directory.stacking_splitter import StackingSplitter
from wellbeing_desktop.ui.flow_layout import FlowLayout
from wellbeing_desktop.ui.operations import read, write
from wellbeing_desktop.ui.pages.base import Page

LIMIT = 200
MODES = [("Any way", ""), ("In person", "in_person"), ("By phone", "phone"), ("Online", "online")]


def _labelled(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    widget.setAccessibleName(text.replace("&", ""))
    return label


class DirectoryPage(Page):
    key = "directory"
    title = "Directory"
    subtitle = "Local services for housing, money, work, loneliness, caring and health."
    watches = frozenset({Entity.DIRECTORY, Entity.SIGNPOSTING})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        top = FlowLayout()   # these rows wrap on a narrow screen, never scroll sideways
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search services, organisations or needs (e.g. debt, "
                                       "walking, carers)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.search.fontMetrics().averageCharWidth() * 28)
        top.addWidget(_labelled("&Search", self.search))
        top.addWidget(self.search, 1)
        self.import_button = QPushButton("&Import…")
        self.import_button.setAccessibleName("Import the directory from a feed")
        self.export_button = QPushButton("E&xport…")
        self.export_button.setAccessibleName("Export the directory as Open Referral JSON")
        self.feeds_button = QPushButton("Feeds && &quality…")
        self.feeds_button.setAccessibleName("Feeds and data quality")
        top.addWidget(self.import_button)
        top.addWidget(self.feeds_button)
        top.addWidget(self.export_button)
        self.layout_.addLayout(top)

        filters = FlowLayout()
        self.need = QComboBox()
        self.need.addItem("Any need", "")
        for d in NEEDS_DOMAINS:
            self.need.addItem(d.label, d.code)
        self.day = QComboBox()
        self.day.addItem("Any day", "")
        for code, name in DAY_NAMES.items():
            self.day.addItem(name, code)
        self.mode = QComboBox()
        for label, code in MODES:
            self.mode.addItem(label, code)
        self.language = QLineEdit()
        self.language.setPlaceholderText("e.g. Polish")
        self.language.setMaximumWidth(110)
        self.area = QLineEdit()
        self.area.setPlaceholderText("e.g. KM3")
        self.area.setMaximumWidth(90)
        for text, widget in (("&Need", self.need), ("Open &on", self.day), ("Ho&w", self.mode),
                             ("&Language", self.language), ("&Area", self.area)):
            filters.addWidget(_labelled(text, widget))
            filters.addWidget(widget)
        filters.addStretch(1)
        self.layout_.addLayout(filters)
        checks = FlowLayout()
        self.free = QCheckBox("Fr&ee only")
        self.self_ref = QCheckBox("Self-&referral")
        self.favourites = QCheckBox("Fa&vourites")
        self.wrong = QCheckBox("Reported wron&g")
        for box in (self.free, self.self_ref, self.favourites, self.wrong):
            checks.addWidget(box)
        checks.addStretch(1)
        self.count = QLabel("")
        self.count.setObjectName("muted")
        checks.addWidget(self.count)
        self.layout_.addLayout(checks)

        self.model = ServiceTableModel(self)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.table.setModel(self.model)
        self.table.setAccessibleName("Services found")
        # The symbols' key is the list's tooltip, not a line of its own: that line cost the
        # page its fit at 1024×700 and 150 % text.
        legend = "★ team favourite   ⚠ reported wrong   (stale): not checked for a year"
        self.table.setToolTip(legend)
        self.table.setAccessibleDescription(legend)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(1, 170)
        self.detail = ServiceDetailView()
        splitter = self.splitter = StackingSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([620, 420])
        self.layout_.addWidget(splitter, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.language.textChanged.connect(lambda _t: self._debounce.start())
        self.area.textChanged.connect(lambda _t: self._debounce.start())
        for combo in (self.need, self.day, self.mode):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for box in (self.free, self.self_ref, self.favourites, self.wrong):
            box.toggled.connect(lambda _c: self.refresh())
        self.table.selectionModel().currentRowChanged.connect(lambda cur, _p: self._select(
            cur.row()))
        self.detail.favourite_toggled.connect(self._toggle_favourite)
        self.detail.verify_requested.connect(self._verify)
        self.detail.notes_requested.connect(self._edit_notes)
        self.detail.wrong_requested.connect(self._report_wrong)
        self.detail.clear_wrong_requested.connect(self._clear_wrong)
        self.import_button.clicked.connect(self.open_import)
        self.feeds_button.clicked.connect(self.open_feeds)
        self.export_button.clicked.connect(self._export)
        self._loading = 0
        self._generation = 0
        self._selected: uuid.UUID | None = None

    # ---------------------------------------------------------------- loading

    def filters(self) -> SearchFilters:
        return SearchFilters(
            need=self.need.currentData() or "", free_only=self.free.isChecked(),
            self_referral_only=self.self_ref.isChecked(), open_on=self.day.currentData() or "",
            language=self.language.text().strip(), mode=self.mode.currentData() or "",
            area=self.area.text().strip(), favourites_only=self.favourites.isChecked(),
            reported_wrong_only=self.wrong.isChecked())

    def is_loading(self) -> bool:
        return self._loading > 0

    def refresh(self) -> None:
        super().refresh()
        if self.ctx is None:
            return
        ctx, text, filters = self.ctx, self.search.text(), self.filters()
        lead = permissions.allowed(ctx.actor, "directory.import")
        self.import_button.setVisible(lead)
        self.feeds_button.setVisible(lead)
        self.export_button.setVisible(permissions.allowed(ctx.actor, "directory.export"))
        self._generation += 1
        generation = self._generation

        def load() -> tuple[list[ServiceHit], int]:
            page = directory.search_page(ctx, text, filters, limit=LIMIT)
            return page.hits, page.total

        def show(result: tuple[list[ServiceHit], int]) -> None:
            if generation != self._generation:
                return  # a newer search superseded this one
            hits, total = result
            self.model.reset(hits)
            shown = f" (showing the first {LIMIT})" if total > LIMIT else ""
            self.count.setText(f"{total:,} service{'s' if total != 1 else ''}{shown}")
            row = next((i for i, h in enumerate(hits) if h.id == self._selected), 0 if hits
                       else -1)
            if row >= 0:
                self.table.selectRow(row)
                self._select(row)
            else:
                self.detail.show_detail(None)

        self._loading += 1
        read(load).on_success(show).on_done(self._done).start()

    def _done(self) -> None:
        self._loading -= 1

    def _select(self, row: int) -> None:
        hit = self.model.hit(row)
        if hit is None or self.ctx is None:
            return
        self._selected = hit.id
        can_verify = permissions.allowed(self.ctx.actor, "directory.verify")
        self._loading += 1
        read(directory.get_service, self.ctx, hit.id).on_success(
            lambda d: self.detail.show_detail(d, can_verify=can_verify)
            if d.id == self._selected else None).on_done(self._done).start()

    # ---------------------------------------------------------------- actions

    def _current(self) -> ServiceDetail | None:
        return self.detail.detail

    def _write(self, fn: object, *args: object) -> None:
        write(fn, *args).parent(self).start()  # type: ignore[arg-type]

    def _toggle_favourite(self) -> None:
        d = self._current()
        if d is not None and self.ctx is not None:
            self._write(directory.set_favourite, self.ctx, d.id, not d.favourite)

    def _verify(self) -> None:
        d = self._current()
        if d is not None and self.ctx is not None:
            self._write(directory.mark_verified, self.ctx, d.id)

    def _clear_wrong(self) -> None:
        d = self._current()
        if d is not None and self.ctx is not None:
            self._write(directory.clear_reported_wrong, self.ctx, d.id)

    def _edit_notes(self) -> None:
        from wellbeing_desktop.ui.directory.notes_dialog import LocalDetailsDialog

        d = self._current()
        if d is not None and self.ctx is not None:
            LocalDetailsDialog(self.ctx, d, self).exec()

    def _report_wrong(self) -> None:
        from wellbeing_desktop.ui.directory.report_wrong_dialog import ReportWrongDialog

        d = self._current()
        if d is not None and self.ctx is not None:
            ReportWrongDialog(self.ctx, d, self).exec()

    def open_import(self) -> None:
        from wellbeing_desktop.ui.directory.import_wizard import ImportWizard

        if self.ctx is not None:
            ImportWizard(self.ctx, self).exec()

    def open_feeds(self) -> None:
        from wellbeing_desktop.ui.directory.feeds_dialog import FeedsDialog

        if self.ctx is not None:
            FeedsDialog(self.ctx, self).exec()

    def _export(self) -> None:
        if self.ctx is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export the directory", "directory.json",
                                              "Open Referral JSON (*.json)")
        if not path:
            return
        window = self.window()
        read(directory.export_directory, self.ctx, path).on_success(
            lambda n: window.statusBar().showMessage(f"Exported {n} services", 5000)
            if hasattr(window, "statusBar") else None).start()
