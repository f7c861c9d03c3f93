"""The audit log for supervisors: filter by action, client id or person; verify the chain."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.operations import read

COLUMNS = ("#", "When", "Who", "Action", "Record", "Client id", "Detail")


class AuditModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []

    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        r = self.rows[index.row()]
        return (str(r.seq), r.at.astimezone().strftime("%d %b %Y %H:%M:%S"), r.actor_name,
                r.action, f"{r.entity} {r.entity_id}".strip(), r.client_id, r.detail)[index.column()]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None


class AuditViewerDialog(RememberingDialog):
    geometry_key = "audit_viewer"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx = ctx
        self.setObjectName("auditViewer")
        self.setWindowTitle(self.tr("Audit log"))
        layout = QVBoxLayout(self)
        filters = QFormLayout()
        self.action = QComboBox()
        self.action.addItem(self.tr("Any action"), "")
        self.client = QLineEdit()
        self.client.setPlaceholderText(self.tr("a client's id"))
        for text, w in ((self.tr("&Action"), self.action), (self.tr("&Client id"), self.client)):
            label = QLabel(text)
            label.setBuddy(w)
            w.setAccessibleName(text.replace("&", ""))
            filters.addRow(label, w)
        layout.addLayout(filters)
        row = QHBoxLayout()
        apply_button = QPushButton(self.tr("&Show"))
        apply_button.clicked.connect(self.load)
        self.client.returnPressed.connect(self.load)
        verify = QPushButton(self.tr("&Verify the chain"))
        verify.clicked.connect(self.verify)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        row.addWidget(apply_button)
        row.addWidget(verify)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        self.model = AuditModel()
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Audit events, newest first"))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 560)
        read(self._actions).on_success(self._fill_actions).start()
        self.load()

    def _actions(self) -> list[str]:
        from wellbeing_desktop.services import audit

        return audit.actions(self.ctx)

    def _fill_actions(self, actions: list[str]) -> None:
        for a in actions:
            self.action.addItem(a, a)

    def load(self) -> None:
        from wellbeing_desktop.services import audit

        flt = audit.AuditFilter(action=self.action.currentData() or "",
                                client_id=self.client.text().strip())
        read(audit.list_events, self.ctx, flt, limit=1000).on_success(self._show) \
            .on_error(lambda e: self.status.setText(str(e))).start()

    def _show(self, rows: list[Any]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.status.setText(self.tr("{n} events shown (newest first, at most 1,000)")
                            .format(n=len(rows)))

    def verify(self) -> None:
        from wellbeing_desktop.services import audit

        def show(report: Any) -> None:
            if report.ok:
                self.status.setText(self.tr("The chain is intact ({n} events).")
                                    .format(n=report.events))
            else:
                self.status.setText(self.tr("The log was altered: the first broken event is "
                                            "#{seq}.").format(seq=report.first_broken_seq))

        read(audit.verify_chain, self.ctx).on_success(show).start()
