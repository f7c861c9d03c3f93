"""Import referrals from a referrer's spreadsheet: choose the file, confirm what each column
is (guessed from the headings, or a mapping remembered for this source), see every bad row as
the spreadsheet numbers it, decide each possible duplicate, then import all of it (or nothing).
Reading and importing run in the worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.domain import casework as rules_casework
from wellbeing_desktop.domain.referral_sheet import FIELDS
from wellbeing_desktop.services import referral_import
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.ui.forms import cell
from wellbeing_desktop.ui.operations import read, write

GUESS = "(guess from the headings)"


class ImportDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path: Path | None = None
        self.preview: referral_import.Preview | None = None
        self.imported: referral_import.ImportResult | None = None
        self._busy = 0
        self.setWindowTitle("Import referrals from a spreadsheet")
        self.resize(980, 720)
        col = QVBoxLayout(self)
        top = QFormLayout()
        pick = QHBoxLayout()
        self.file_label = QLabel("No file chosen (CSV or XLSX).")
        self.file_label.setWordWrap(True)
        self.choose = QPushButton("&Choose file…")
        pick.addWidget(self.file_label, 1)
        pick.addWidget(self.choose)
        top.addRow("File", pick)
        self.mapping_name = QComboBox()
        self.mapping_name.addItem(GUESS, "")
        for name in sorted(referral_import.saved_mappings(ctx)):
            self.mapping_name.addItem(name, name)
        self.source = QComboBox()
        for code, label in rules_casework.REFERRAL_SOURCES:
            self.source.addItem(label, code)
        self.source.setCurrentIndex(max(0, self.source.findData("other")))
        for text, widget in (("Saved &mapping", self.mapping_name),
                             ("Referral &source (when the sheet has none)", self.source)):
            caption = QLabel(text)
            caption.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            top.addRow(caption, widget)
        col.addLayout(top)
        self.note = QLabel("")
        self.note.setObjectName("muted")
        self.note.setWordWrap(True)
        col.addWidget(self.note)
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(["Column in the file", "First values", "Is"])
        self.columns.setAccessibleName("What each column is")
        self.columns.verticalHeader().setVisible(False)
        self.columns.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.columns.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        col.addWidget(self.columns, 2)
        self.recheck = QPushButton("Check &again with these columns")
        self.recheck.setEnabled(False)
        col.addWidget(self.recheck)
        self.problems_label = QLabel("Problems")
        self.problems_label.setObjectName("cardTitle")
        col.addWidget(self.problems_label)
        self.problems = QListWidget()
        self.problems.setAccessibleName("Problems to fix in the spreadsheet")
        col.addWidget(self.problems, 1)
        self.duplicates = QTableWidget(0, 3)
        self.duplicates.setHorizontalHeaderLabels(["Row", "In the file", "May be"])
        self.duplicates.setAccessibleName("Possible duplicates")
        self.duplicates.verticalHeader().setVisible(False)
        self.duplicates.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.Stretch)
        self.duplicates.setVisible(False)
        col.addWidget(self.duplicates, 1)
        bottom = QHBoxLayout()
        self.remember = QLineEdit()
        self.remember.setPlaceholderText("Remember these columns as… (e.g. Riverside PCN)")
        self.remember.setAccessibleName("Remember these columns as")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.import_button = QPushButton("&Import")
        self.import_button.setObjectName("primary")
        self.import_button.setEnabled(False)
        # Wide enough for "Import 9999 referrals" from the start (the text follows the count).
        self.import_button.setMinimumWidth(
            self.import_button.fontMetrics().horizontalAdvance("Import 9999 referrals") + 40)
        cancel = QPushButton("Close")
        bottom.addWidget(self.remember, 1)
        bottom.addWidget(self.import_button)
        bottom.addWidget(cancel)
        col.addWidget(self.status)
        col.addLayout(bottom)
        self.choose.clicked.connect(self.choose_file)
        self.recheck.clicked.connect(lambda: self.check(use_table=True))
        self.mapping_name.currentIndexChanged.connect(lambda _i: self.check())
        self.source.currentIndexChanged.connect(lambda _i: self.check(use_table=True))
        self.import_button.clicked.connect(self.do_import)
        cancel.clicked.connect(self.reject)

    def is_loading(self) -> bool:
        return self._busy > 0

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Choose the referrals spreadsheet", "",
                                              "Spreadsheets (*.csv *.xlsx);;All files (*)")
        if path:
            self.set_file(Path(path))

    def set_file(self, path: Path) -> None:
        self.path = path
        self.file_label.setText(str(path))
        if not self.remember.text():
            self.remember.setText(self.mapping_name.currentData() or "")
        self.check()

    def table_mapping(self) -> dict[str, str]:
        out = {}
        for row in range(self.columns.rowCount()):
            heading = cell(self.columns, row, 0).text()
            combo = self.columns.cellWidget(row, 2)
            out[heading] = combo.currentData() if isinstance(combo, QComboBox) else ""
        return out

    def check(self, *, use_table: bool = False) -> None:
        if self.path is None:
            return
        mapping = self.table_mapping() if use_table and self.columns.rowCount() else None
        name = "" if mapping is not None else (self.mapping_name.currentData() or "")
        self.import_button.setEnabled(False)
        self.status.setText("Reading the spreadsheet…")
        self._busy += 1
        (read(referral_import.preview, self.ctx, self.path, mapping=mapping,
              mapping_name=name, source=self.source.currentData())
         .on_success(self._previewed).on_error(self._failed)
         .on_done(self._done).start())

    def _done(self) -> None:
        self._busy -= 1

    def _failed(self, exc: BaseException) -> None:
        self.preview = None
        text = ("\n".join(p.message for p in exc.problems) if isinstance(exc, ValidationError)
                else f"The spreadsheet could not be read: {exc}")
        if isinstance(exc, ValidationError) and exc.where:
            text = f"{exc.where}: {text}"
        self.status.setText(text)
        self.import_button.setEnabled(False)

    def _previewed(self, preview: referral_import.Preview) -> None:
        self.preview = preview
        self.note.setText(f"Headings found on row {preview.header_row}"
                          + (f"; {preview.note}" if preview.note else "") + ".")
        self.columns.setRowCount(0)
        self.columns.setRowCount(len(preview.headings))
        for row, heading in enumerate(preview.headings):
            self.columns.setItem(row, 0, QTableWidgetItem(heading))
            self.columns.setItem(row, 1, QTableWidgetItem(
                " · ".join(v for v in preview.samples.get(heading, ()) if v)))
            combo = QComboBox()
            combo.addItem("(not imported)", "")
            for code, label in FIELDS:
                combo.addItem(label, code)
            combo.setCurrentIndex(max(0, combo.findData(preview.mapping.get(heading, ""))))
            combo.setAccessibleName(f"What “{heading}” is")
            combo.currentIndexChanged.connect(lambda _i: self.recheck.setEnabled(True))
            self.columns.setCellWidget(row, 2, combo)
        self.recheck.setEnabled(False)
        self.problems.clear()
        self.problems.addItems(preview.problems)
        self.problems_label.setText(f"Problems ({len(preview.problems)})"
                                    if preview.problems else "Problems: none")
        dups = preview.duplicates
        self.duplicates.setVisible(bool(dups))
        self.duplicates.setRowCount(0)  # drops the last check's choice boxes
        self.duplicates.setRowCount(len(dups))
        for r, dup in enumerate(dups):
            self.duplicates.setItem(r, 0, QTableWidgetItem(f"row {dup.number}"))
            self.duplicates.setItem(r, 1, QTableWidgetItem(dup.name))
            choice = QComboBox()
            choice.addItem("Choose: same person, or new?", None)
            for m in dup.matches:
                choice.addItem(f"Same person: {m.name} ({m.reason})", str(m.client_id))
            choice.addItem("A different person: add as new", "new")
            choice.setAccessibleName(f"Is row {dup.number} an existing client?")
            choice.currentIndexChanged.connect(lambda _i: self._update_ready())
            self.duplicates.setCellWidget(r, 2, choice)
        self._update_ready()

    def decisions(self) -> dict[int, str]:
        out: dict[int, str] = {}
        if self.preview is None:
            return out
        for r, row in enumerate(self.preview.duplicates):
            combo = self.duplicates.cellWidget(r, 2)
            if isinstance(combo, QComboBox) and combo.currentData():
                out[row.number] = combo.currentData()
        return out

    def _update_ready(self) -> None:
        p = self.preview
        if p is None:
            return
        undecided = len(p.duplicates) - len(self.decisions())
        ready = p.ok and undecided == 0 and bool(p.rows)
        self.import_button.setEnabled(ready)
        self.import_button.setText(f"&Import {len(p.rows)} referral"
                                   f"{'s' if len(p.rows) != 1 else ''}")
        if not p.ok:
            self.status.setText(f"{len(p.problems)} problem(s): nothing will be imported until "
                                "they are fixed in the spreadsheet (or the columns above).")
        elif undecided:
            self.status.setText(f"{undecided} row(s) may be people already on record: choose "
                                "for each.")
        else:
            self.status.setText("Ready: check the columns, then import.")

    def do_import(self) -> None:
        if self.preview is None:
            return
        preview, decisions = self.preview, self.decisions()
        name, source = self.remember.text().strip(), self.source.currentData()
        self.import_button.setEnabled(False)
        self.status.setText("Importing…")
        self._busy += 1

        def work() -> referral_import.ImportResult:
            result = referral_import.commit(self.ctx, preview, decisions)
            if name:
                referral_import.remember_mapping(self.ctx, name, preview.mapping, source)
            return result

        (write(work).on_success(self._imported).on_error(self._failed)
         .on_done(self._done).start())

    def _imported(self, result: referral_import.ImportResult) -> None:
        self.imported = result
        self.status.setText(f"Imported {result.referrals} referral(s): {len(result.created)} new "
                            f"client(s), {len(result.matched)} added to existing records.")
        self.import_button.setEnabled(False)
