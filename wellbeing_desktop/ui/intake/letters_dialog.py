"""Letters due: the day's acknowledgements, appointment letters and did-not-attend letters,
printed in one job and then marked done (recorded as printed). A letter the stage rule
refuses (for example, post is not safe) is listed with the reason and cannot be ticked."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services import letters_due, packs
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.ui.forms import cell
from wellbeing_desktop.ui.operations import Op, read, write
from wellbeing_desktop.ui.print_preview import batch


class LettersDueDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[letters_due.LetterDue] = []
        self.printed: list[packs.BuiltDocument] = []
        self._busy = 0
        self.setWindowTitle("Letters due")
        self.resize(900, 520)
        col = QVBoxLayout(self)
        intro = QLabel("Letters the day's events call for. Tick the ones to print: they go to "
                       "the printer as one job and are then marked done.")
        intro.setWordWrap(True)
        col.addWidget(intro)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["Print", "Person", "Letter", "Why"])
        self.table.setAccessibleName("Letters due")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        for c in range(3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(lambda _i: self._update_button())
        col.addWidget(self.table, 1)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        col.addWidget(self.status)
        row = QHBoxLayout()
        row.addStretch(1)
        self.print_button = QPushButton("&Print")
        self.print_button.setObjectName("primary")
        self.print_button.setEnabled(False)
        close = QPushButton("Close")
        row.addWidget(self.print_button)
        row.addWidget(close)
        col.addLayout(row)
        self.print_button.clicked.connect(self.print_ticked)
        close.clicked.connect(self.reject)
        self.load()

    def is_loading(self) -> bool:
        return self._busy > 0

    def _run(self, task: Op[Any]) -> None:
        self._busy += 1
        task.on_done(self._done).start()

    def _done(self) -> None:
        self._busy -= 1

    def load(self) -> None:
        self._run(read(letters_due.due, self.ctx).on_success(self._loaded)
                  .on_error(self._failed))

    def _loaded(self, items: list[letters_due.LetterDue]) -> None:
        self.items = items
        self.table.blockSignals(True)
        self.table.setRowCount(len(items))
        for r, item in enumerate(items):
            tick = QTableWidgetItem("")
            if item.blocked:
                tick.setFlags(Qt.ItemFlag.ItemIsEnabled)
                tick.setToolTip(item.blocked)
            else:
                tick.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                tick.setCheckState(Qt.CheckState.Checked)
            self.table.setItem(r, 0, tick)
            self.table.setItem(r, 1, QTableWidgetItem(item.name))
            self.table.setItem(r, 2, QTableWidgetItem(item.label))
            why = item.why + (f"; {item.language_words}" if item.language_words else "")
            why += f". Not offered: {item.blocked}" if item.blocked else ""
            self.table.setItem(r, 3, QTableWidgetItem(why))
        self.table.blockSignals(False)
        self._update_button()
        if not items and not self.printed:
            self.status.setText("No letters are due.")

    def ticked(self) -> list[letters_due.LetterDue]:
        return [item for r, item in enumerate(self.items)
                if cell(self.table, r, 0).checkState() == Qt.CheckState.Checked]

    def _update_button(self) -> None:
        n = len(self.ticked())
        self.print_button.setEnabled(n > 0)
        self.print_button.setText(f"&Print {n} letter{'s' if n != 1 else ''} in one job…")

    def _failed(self, exc: BaseException) -> None:
        self.status.setText("\n".join(p.message for p in exc.problems)
                            if isinstance(exc, ValidationError)
                            else f"The letters could not be made: {exc}")
        self._update_button()

    def print_ticked(self) -> None:
        chosen = self.ticked()
        if not chosen:
            return
        self.print_button.setEnabled(False)
        self.status.setText("Making the letters…")
        self._run(read(letters_due.build_batch, self.ctx, chosen)
                  .on_success(self._built).on_error(self._failed))

    def _built(self, documents: list[packs.BuiltDocument]) -> None:
        # Marked done only once every page has gone to the printer: a job cancelled, or cut
        # short by quitting, leaves the letters due.
        batch.print_batch_with_dialog(
            self, [d.pdf for d in documents], f"Letters due ({len(documents)})",
            on_printed=lambda _printed: self._printed(documents),
            on_stopped=self._not_printed)

    def _not_printed(self, why: str) -> None:
        self.status.setText(why)
        self._update_button()

    def _printed(self, documents: list[packs.BuiltDocument]) -> None:
        self.printed = documents
        self._run(write(letters_due.mark_printed, self.ctx, documents)
                  .on_success(self._marked).on_error(self._failed))

    def _marked(self, _changed: object) -> None:
        self.status.setText(f"Printed {len(self.printed)} letter(s) and marked them done.")
        self.load()
