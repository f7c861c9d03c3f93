"""Feeds and data quality: each publisher's feed with its counts and last import, what its
directory officer should chase (no phone, no address, no opening times, stale, reported
wrong), saved as CSV; a feed can be removed (its services withdrawn, never deleted)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services import feeds, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.feeds import FeedInfo, FeedQuality
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.operations import read, write

COLUMNS = ("Feed", "On offer", "Withdrawn", "Last import", "To chase", "Import notes")
SHOWN = 40  # services listed per feed on screen; the CSV has them all


def quality_text(report: list[FeedQuality]) -> str:
    lines: list[str] = []
    for q in report:
        tally = ", ".join(f"{n} {p}" for p, n in q.tally().items() if n) or "nothing to chase"
        lines.append(f"{q.feed}: {q.services} on offer — {tally}")
        lines += [f"  • {r.name}: {', '.join(r.problems)}" for r in q.rows[:SHOWN]]
        if len(q.rows) > SHOWN:
            lines.append(f"  … and {len(q.rows) - SHOWN} more (Save CSV lists them all)")
        lines.append("")
    return "\n".join(lines).strip() or "No services yet."


class FeedsDialog(RememberingDialog):
    geometry_key = "directory_feeds"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx = ctx
        self.setWindowTitle("Feeds and data quality")
        self.resize(760, 560)
        col = QVBoxLayout(self)
        intro = QLabel("Each feed is one publisher's directory. Importing a feed again withdraws "
                       "only the services that feed stopped listing.")
        intro.setWordWrap(True)
        col.addWidget(intro)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setAccessibleName("Feeds")
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        col.addWidget(self.table, 1)
        label = QLabel("&Data quality: services to chase with the publisher")
        self.quality = QPlainTextEdit()
        self.quality.setReadOnly(True)
        self.quality.setTabChangesFocus(True)
        self.quality.setAccessibleName("Data quality")
        label.setBuddy(self.quality)
        col.addWidget(label)
        col.addWidget(self.quality, 2)
        row = QHBoxLayout()
        self.save = QPushButton("&Save CSV…")
        self.save.setAccessibleName("Save the data-quality list as CSV")
        self.remove = QPushButton("&Remove feed…")
        self.remove.setAccessibleName("Remove the selected feed")
        self.remove.setVisible(permissions.allowed(ctx.actor, "directory.import"))
        row.addWidget(self.save)
        row.addWidget(self.remove)
        row.addStretch(1)
        col.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        self.save.clicked.connect(self._save)
        self.remove.clicked.connect(self._remove)
        self.feeds: list[FeedInfo] = []
        self.load()

    def load(self) -> None:
        ctx = self.ctx

        def fetch() -> tuple[list[FeedInfo], list[FeedQuality]]:
            return feeds.list_feeds(ctx), feeds.quality(ctx)

        read(fetch).on_success(self._show).start()

    def _show(self, result: tuple[list[FeedInfo], list[FeedQuality]]) -> None:
        self.feeds, report = result
        chase = {q.feed: len(q.rows) for q in report}
        self.table.setRowCount(len(self.feeds))
        for i, f in enumerate(self.feeds):
            when = f.last_imported.strftime("%d %b %Y %H:%M") if f.last_imported else "never"
            for j, value in enumerate((f.name, str(f.services), str(f.withdrawn), when,
                                       str(chase.get(f.name, 0)), str(f.warnings))):
                self.table.setItem(i, j, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()
        self.quality.setPlainText(quality_text(report))

    def _save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save the data-quality list",
                                              "directory-quality.csv", "CSV (*.csv)")
        if path:
            read(feeds.save_quality_csv, self.ctx, path).start()

    def _remove(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.feeds):
            return
        name = self.feeds[row].name
        answer = QMessageBox.question(
            self, "Remove feed", f"Remove the feed “{name}”? Its services are withdrawn (kept "
            "for signposting history) unless another feed lists them.")
        if answer == QMessageBox.StandardButton.Yes:
            # write() announces the removal's `changed`; then the table is read again.
            write(feeds.remove_feed, self.ctx, name).on_success(lambda _r: self.load()).start()
