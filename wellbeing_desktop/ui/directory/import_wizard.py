"""Import the directory: choose a feed, preview what would change (a dry run), then import."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services import directory, feeds
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.directory import ImportResult
from wellbeing_desktop.services.errors import Changed, ValidationError
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.operations import write

PREVIEW_LIMIT = 30


MAX_PROBLEMS_SHOWN = 200


def preview_text(result: ImportResult, quality: str = "") -> str:
    c = result.counts()
    lines = [f"Feed “{result.feed}”: {'would add' if result.dry_run else 'added'} {c['added']} · "
             f"updated {c['updated']} · unchanged {c['unchanged']} · withdrawn {c['withdrawn']}"
             f" · skipped {c['skipped']} · data-quality notes {c['warnings']}",
             "Only this feed's services are withdrawn when it stops listing them."]
    if result.note:
        lines.append(result.note)
    if not result.full_feed:
        lines.append("This is part of a directory (one page or one record): services it does "
                     "not list stay as they are.")
    for title, items in (("Added", result.added), ("Updated", result.updated),
                         ("Withdrawn (kept for history, no longer offered)", result.withdrawn)):
        if items:
            lines.append("")
            lines.append(f"{title}:")
            lines += [f"  • {name}" for _id, name in items[:PREVIEW_LIMIT]]
            if len(items) > PREVIEW_LIMIT:
                lines.append(f"  … and {len(items) - PREVIEW_LIMIT} more")
    if result.skipped:
        lines.append("")
        lines.append("Skipped:")
        lines += [f"  • {s['where']}, record {s['record']}: "
                  f"{s['field'] + ': ' if s['field'] else ''}{s['message']}"
                  for s in result.skipped[:PREVIEW_LIMIT]]
    if quality:
        lines += ["", quality]
    if result.warnings:
        lines += ["", "Data-quality notes (imported; worth telling the publisher):"]
        lines += [f"  • {w['where']}, record {w['record']}: "
                  f"{w['field'] + ': ' if w['field'] else ''}{w['message']}"
                  for w in result.warnings[:PREVIEW_LIMIT]]
        if len(result.warnings) > PREVIEW_LIMIT:
            lines.append(f"  … and {len(result.warnings) - PREVIEW_LIMIT} more (Feeds and data "
                         "quality on the Directory page saves them all as CSV)")
    return "\n".join(lines)


def quality_line(ctx: AppContext, feed: str) -> str:
    """After an import: what this feed's directory officer should chase."""
    report = feeds.quality(ctx, feed)
    if not report:
        return ""
    q = report[0]
    tally = ", ".join(f"{n} {p}" for p, n in q.tally().items() if n)
    return (f"Data quality: {q.services} services on offer, {len(q.rows)} to chase"
            f"{' (' + tally + ')' if tally else ''}.")


@dataclass(frozen=True)
class _Outcome:
    result: ImportResult
    quality: str  # the feed's data-quality line after a real import ("" for a preview)

    @property
    def changed(self) -> Changed:
        return self.result.changed


class ImportWizard(RememberingDialog):
    geometry_key = "directory_import"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx = ctx
        self.result_: ImportResult | None = None
        self.setWindowTitle("Import the services directory")
        self.resize(640, 480)
        col = QVBoxLayout(self)
        self.stack = QStackedWidget()
        col.addWidget(self.stack, 1)

        # Step 1: choose
        choose = QWidget()
        c1 = QVBoxLayout(choose)
        intro = QLabel("Choose an Open Referral UK feed: a JSON file, or a CSV package (a folder "
                       "or zip with datapackage.json). You will see what would change before "
                       "anything is imported.")
        intro.setWordWrap(True)
        c1.addWidget(intro)
        row = QHBoxLayout()
        label = QLabel("&Feed")
        self.path = QLineEdit()
        self.path.setAccessibleName("Feed file or folder")
        label.setBuddy(self.path)
        browse = QPushButton("Choose f&ile…")
        folder = QPushButton("Choose f&older…")
        row.addWidget(label)
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        row.addWidget(folder)
        c1.addLayout(row)
        feed_row = QHBoxLayout()
        feed_label = QLabel("Feed &name")
        self.feed = QLineEdit()
        self.feed.setPlaceholderText("the publisher, e.g. Kingsmere Council (default: the "
                                     "file's name)")
        self.feed.setAccessibleName("Feed name (publisher)")
        feed_label.setBuddy(self.feed)
        feed_row.addWidget(feed_label)
        feed_row.addWidget(self.feed, 1)
        c1.addLayout(feed_row)
        self.skip = QCheckBox("&Skip invalid records (import the good ones and list the rest)")
        c1.addWidget(self.skip)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        c1.addWidget(self.error)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName("Problems found in the feed")
        self.problems.setVisible(False)
        c1.addWidget(self.problems, 1)
        c1.addStretch(1)
        self.stack.addWidget(choose)

        # Step 2: preview / done
        review = QWidget()
        c2 = QVBoxLayout(review)
        self.heading = QLabel("")
        self.heading.setObjectName("cardTitle")
        c2.addWidget(self.heading)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setAccessibleName("What the import changes")
        c2.addWidget(self.preview, 1)
        self.stack.addWidget(review)

        self.buttons = QDialogButtonBox()
        self.back = self.buttons.addButton("< &Back", QDialogButtonBox.ButtonRole.ActionRole)
        self.next = self.buttons.addButton("&Preview >", QDialogButtonBox.ButtonRole.ActionRole)
        self.next.setObjectName("primary")
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        col.addWidget(self.buttons)
        browse.clicked.connect(self._browse_file)
        folder.clicked.connect(self._browse_folder)
        self.back.clicked.connect(lambda: self._step(0))
        self.next.clicked.connect(self._next)
        self.close_button.clicked.connect(self.reject)
        self.busy = False
        self._step(0)

    def _browse_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose a directory feed", "",
                                              "Open Referral feeds (*.json *.zip);;All files (*)")
        if path:
            self.path.setText(path)
            if not self.feed.text().strip():
                self.feed.setText(Path(path).stem)

    def _browse_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "Choose a CSV package folder")
        if path:
            self.path.setText(path)

    def _step(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        self.back.setVisible(index == 1 and not (self.result_ and not self.result_.dry_run))
        done = self.result_ is not None and not self.result_.dry_run
        self.next.setVisible(not done)
        self.next.setText("&Preview >" if index == 0 else "&Import")
        self.close_button.setText("&Close" if done else "Cancel")

    def _next(self) -> None:
        if self.busy:
            return
        text = self.path.text().strip()
        if not text:
            self._show_error("Choose a file or folder to import.")
            return
        dry = self.stack.currentIndex() == 0
        self.busy = True
        self.next.setEnabled(False)
        ctx, feed, skip = self.ctx, self.feed.text().strip(), self.skip.isChecked()

        def run() -> _Outcome:
            result = directory.import_feed(ctx, Path(text), dry_run=dry, skip_invalid=skip,
                                           feed=feed)
            return _Outcome(result, "" if dry else quality_line(ctx, result.feed))

        # write() announces the outcome's `changed` on the bus before _shown runs.
        write(run).on_success(self._shown).on_error(self._failed).on_done(self._idle).start()

    def _idle(self) -> None:
        self.busy = False
        self.next.setEnabled(True)

    def _shown(self, outcome: _Outcome) -> None:
        result, quality = outcome.result, outcome.quality
        self.result_ = result
        self.error.setVisible(False)
        self.problems.setVisible(False)
        self.heading.setText("Preview: nothing has changed yet" if result.dry_run
                             else "Import finished")
        self.preview.setPlainText(preview_text(result, quality))
        self._step(1)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self._step(0)
            lines = [f"{p.field}: {p.message}" if p.field else p.message for p in exc.problems]
            if len(lines) <= 1:
                self._show_error(f"Nothing was imported. {exc}")
                return
            shown = lines[:MAX_PROBLEMS_SHOWN]
            if len(lines) > len(shown):
                shown.append(f"… and {len(lines) - len(shown):,} more")
            self._show_error(
                f"Nothing was imported: the feed has {len(lines):,} problems. Correct the "
                "feed, or tick “Skip invalid records” to import the good ones.")
            self.problems.setPlainText("\n".join(f"• {line}" for line in shown))
            self.problems.setVisible(True)
            return
        from wellbeing_desktop.ui.dialogs.errors import show_error

        show_error(self, exc)

    def _show_error(self, message: str) -> None:
        self.problems.setVisible(False)
        self.error.setText(message)
        self.error.setVisible(True)
        self.path.setAccessibleDescription(message)
