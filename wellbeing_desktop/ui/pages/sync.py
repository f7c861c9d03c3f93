"""Sync: what is waiting to go to central records, export with progress, history and
acknowledgements from the centre."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableView,
    QWidget,
)

from wellbeing_desktop.services import permissions, sync
from wellbeing_desktop.services.errors import Entity
from wellbeing_desktop.ui.bus import bus
from wellbeing_desktop.ui.operations import Op, read, write
from wellbeing_desktop.ui.pages.base import Page, card
from wellbeing_desktop.ui.table_model import RowsTableModel

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ["Made", "Records", "Deletions", "Kind", "File", "Central records"]


class HistoryModel(RowsTableModel):
    columns = COLUMNS

    def reset(self, rows: list[sync.ExportSummary]) -> None:
        self.set_rows(rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (1, 2):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if col == 0:
            return row.created_at.astimezone().strftime("%a %d %b %Y, %H:%M")
        if col == 1:
            return f"{row.records:,}"
        if col == 2:
            return f"{row.tombstones:,}"
        if col == 3:
            kind = "Everything" if row.full else "Changes"
            return kind + (" (pseudonymised)" if row.pseudonymised else "")
        if col == 4:
            return row.file_name
        if row.pseudonymised:
            return "Not for central records"
        if row.superseded:
            return "Covered by a later export"
        if row.acknowledged and row.acknowledged_at:
            return "Received " + row.acknowledged_at.astimezone().strftime("%d %b %Y")
        return "Waiting for acknowledgement"


class SyncPage(Page):
    key = "sync"
    title = "Sync"
    subtitle = ("Send your records to the service's central records, safely and exactly once. "
                "Only clients who agreed to share their records are included.")
    watches = frozenset({Entity.SYNC, Entity.CLIENT, Entity.REFERRAL, Entity.SETTINGS,
                         Entity.APPOINTMENT, Entity.GOAL, Entity.MEASURE, Entity.SIGNPOSTING,
                         Entity.DIRECTORY, Entity.PRINTED_DOCUMENT})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout()
        grid.setSpacing(12)
        self.pending_figure = self._figure("Records waiting to send")
        self.pending_detail = QLabel("")
        self.pending_detail.setObjectName("muted")
        self.pending_detail.setWordWrap(True)
        frame, box = card("Waiting to send", self.pending_figure)
        box.addWidget(self.pending_detail)
        box.addStretch(1)
        grid.addWidget(frame, 0, 0)
        self.waiting_figure = self._figure("Exports waiting for acknowledgement")
        frame, box = card("Not yet acknowledged", self.waiting_figure)
        self.waiting_detail = QLabel("")
        self.waiting_detail.setObjectName("muted")
        self.waiting_detail.setWordWrap(True)
        box.addWidget(self.waiting_detail)
        box.addStretch(1)
        grid.addWidget(frame, 0, 1)
        self.key_label = QLabel("")
        self.key_label.setWordWrap(True)
        self.key_label.setAccessibleName("Central records key")
        frame, box = card("Central records key", self.key_label)
        # This computer's signing identity: the centre merges only enrolled devices, after
        # checking this fingerprint with the clinic (docs/sync-format.md §1a).
        self.device_label = QLabel("")
        self.device_label.setWordWrap(True)
        self.device_label.setAccessibleName("This computer's fingerprint")
        self.device_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.enrol_button = QPushButton("Write &enrolment file…")
        self.enrol_button.setToolTip("The file the central records team enrols this computer "
                                     "from; read them the fingerprint when you send it.")
        self.enrol_button.clicked.connect(self.choose_enrolment_file)
        box.addWidget(self.device_label)
        box.addWidget(self.enrol_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addStretch(1)
        grid.addWidget(frame, 0, 2)
        self.layout_.addLayout(grid)

        actions = QWidget()
        row = QHBoxLayout(actions)
        row.setContentsMargins(0, 0, 0, 0)
        self.full_box = QCheckBox("Send &everything, not only changes")
        self.pseudo_box = QCheckBox("&Pseudonymised, for reporting (no names or contact details)")
        self.export_button = QPushButton("E&xport to a file…")
        self.export_button.setObjectName("primary")
        self.export_button.clicked.connect(self.choose_export_file)
        self.ack_button = QPushButton("&Import acknowledgement…")
        self.ack_button.clicked.connect(self.choose_ack_files)
        row.addWidget(self.full_box)
        row.addWidget(self.pseudo_box)
        row.addStretch(1)
        row.addWidget(self.ack_button)
        row.addWidget(self.export_button)
        frame, box = card("Export", actions)
        progress_row = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Export progress")
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setAccessibleName("Cancel the export")
        self.cancel_button.setVisible(False)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        box.addLayout(progress_row)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Sync message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box.addWidget(self.message)
        self.layout_.addWidget(frame)

        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.table.setModel(self.model)
        self.table.setAccessibleName("Export history")
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        history_label = QLabel("Export &history")
        history_label.setObjectName("cardTitle")
        history_label.setBuddy(self.table)
        self.layout_.addWidget(history_label)
        self.layout_.addWidget(self.table, 1)
        self._loading = False
        self._task: Op[Any] | None = None

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setObjectName("fieldError" if error else "")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)

    def _figure(self, name: str) -> QLabel:
        figure = QLabel("…")
        figure.setObjectName("cardFigure")
        figure.setAccessibleName(name)
        return figure

    # ----------------------------------------------------------------- loading
    def is_loading(self) -> bool:
        return self._loading

    def refresh(self) -> None:
        super().refresh()
        if self.ctx is None:
            return
        ctx = self.ctx

        def load() -> tuple[sync.SyncStatus, list[sync.ExportSummary], sync.DeviceSummary]:
            return sync.status(ctx), sync.history(ctx), sync.this_device(ctx)

        self._loading = True
        read(load).on_success(self._show).on_done(self._loaded).start()

    def _loaded(self) -> None:
        self._loading = False

    def _show(self, result: tuple[sync.SyncStatus, list[sync.ExportSummary],
                                  sync.DeviceSummary]) -> None:
        status, rows, device = result
        kept_whole = device.fingerprint.replace(" ", "\u00a0")  # never split across lines
        self.device_label.setText(f"This computer's fingerprint: {kept_whole}. The central "
                                  "records team checks it when they enrol it.")
        self.pending_figure.setText(f"{status.pending_total:,}")
        text, every = sync.pending_summary(status.pending)
        self.pending_detail.setText(text)
        self.pending_detail.setToolTip(every)
        self.waiting_figure.setText(f"{status.unacknowledged:,}")
        self.waiting_detail.setText(
            "The centre has confirmed every export." if not status.unacknowledged else
            "Their changes go again in the next export until the centre confirms it has them.")
        if status.key_fingerprint:
            self.key_label.setText(f"Set (fingerprint {status.key_fingerprint}). Exports are "
                                   "encrypted so only the central records team can read them.")
        else:
            self.key_label.setText("Not set. A supervisor can paste the key the central records "
                                   "team gave you in Settings → Sync.")
        self.model.reset(rows)
        allowed = self.ctx is not None and permissions.allowed(self.ctx.actor, "sync.export")
        busy = self._task is not None
        self.export_button.setEnabled(allowed and bool(status.key_fingerprint) and not busy)
        self.ack_button.setEnabled(allowed and not busy)
        self.enrol_button.setEnabled(allowed)
        if not allowed:
            self.export_button.setToolTip("Only a supervisor can export records.")

    # ----------------------------------------------------------------- export
    def choose_export_file(self) -> None:
        if self.ctx is None:
            return
        folder = self.ctx.settings.section("sync").get("last_folder") or str(Path.home())
        name, _ = QFileDialog.getSaveFileName(
            self, "Export to a file", str(Path(folder) / sync.default_file_name(self.ctx)),
            "Wellbeing sync bundles (*.wbsync)")
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> Op[Any] | None:
        if self.ctx is None or self._task is not None:
            return None
        ctx, full, pseudo = self.ctx, self.full_box.isChecked(), self.pseudo_box.isChecked()
        if path.suffix != sync.BUNDLE_SUFFIX:
            path = path.with_name(path.name + sync.BUNDLE_SUFFIX)

        def run(report: Any) -> sync.ExportResult:
            return sync.export(ctx, path, full=full, pseudonymised=pseudo, progress=report)

        self._set_busy(True)
        self._say("Exporting…")
        task = write(run).with_progress(self.progress)
        task.on_success(self._exported).on_error(self._failed).on_done(
            lambda: self._set_busy(False))
        self.cancel_button.clicked.connect(task.cancel)
        self._task = task
        ctx.settings.section("sync")["last_folder"] = str(path.parent)
        return task.start()

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.export_button.setEnabled(not busy)
        self.ack_button.setEnabled(not busy)
        if not busy and self._task is not None:
            self.cancel_button.clicked.disconnect(self._task.cancel)
            self._task = None

    def _exported(self, result: sync.ExportResult) -> None:
        self._say(
            f"Exported {result.records:,} records and {result.tombstones:,} deletions to "
            f"{result.path}. Take this file to the central records team; import their "
            "acknowledgement here when it comes back.")

    def _failed(self, exc: BaseException) -> None:
        from wellbeing_desktop.ui.dialogs.errors import message_for

        if isinstance(exc, InterruptedError):
            self._say("Export cancelled. No file was written.", error=True)
        else:
            self._say("Export failed, and no file was left behind: " + message_for(exc),
                      error=True)
        self.refresh()

    # ----------------------------------------------------------------- enrolment
    def choose_enrolment_file(self) -> None:
        if self.ctx is None:
            return
        folder = self.ctx.settings.section("sync").get("last_folder") or str(Path.home())
        name, _ = QFileDialog.getSaveFileName(
            self, "Write enrolment file", str(Path(folder) / "wellbeing-enrolment.json"),
            "Enrolment files (*.json)")
        if name:
            self.write_enrolment(Path(name))

    def write_enrolment(self, path: Path) -> Op[Any] | None:
        if self.ctx is None:
            return None
        ctx = self.ctx

        def done(result: sync.EnrolmentWritten) -> None:
            self._say(f"Wrote {result.path}. Send it to the central records team and read "
                      f"them this computer's fingerprint, {result.device.fingerprint}, by "
                      "phone, so they know it is yours.")

        def failed(exc: BaseException) -> None:
            from wellbeing_desktop.ui.dialogs.errors import message_for

            self._say("Enrolment file not written: " + message_for(exc), error=True)

        return write(lambda: sync.write_enrolment(ctx, path)).on_success(done).on_error(
            failed).start()

    # ----------------------------------------------------------------- acknowledgements
    def choose_ack_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Import acknowledgement", "", "Acknowledgements (*.ack.json *.json)")
        if names:
            self.import_acks([Path(n) for n in names])

    def import_acks(self, paths: list[Path]) -> Op[Any] | None:
        if self.ctx is None:
            return None
        ctx = self.ctx

        def run() -> list[sync.AckResult]:
            return [sync.acknowledge(ctx, p) for p in paths]

        def done(results: list[sync.AckResult]) -> None:
            fresh = [r for r in results if not r.already]
            again = len(results) - len(fresh)
            self._say(
                f"{sync.plural(len(fresh), 'export')} acknowledged by central records"
                + (f"; {again} already {'was' if again == 1 else 'were'}" if again else "")
                + ".")
            if results:
                bus().announce(results[0].changed)

        def failed(exc: BaseException) -> None:
            from wellbeing_desktop.ui.dialogs.errors import message_for

            self._say("Acknowledgement not recorded: " + message_for(exc), error=True)

        return write(run).on_success(done).on_error(failed).start()
