"""Group sessions: the list of groups, a new group (topic, venue, time, places) and the
register, where each attendee's attendance is taken. Attendance shows on each attendee's
record (Sessions tab) and counts as contact on Today."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.domain import casework as rules
from wellbeing_desktop.services import clients, groups
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.ui.casework.form_dialog import FormDialog, line, qdatetime, spin, text_box
from wellbeing_desktop.ui.dialogs.base import RememberingDialog
from wellbeing_desktop.ui.dialogs.errors import show_error
from wellbeing_desktop.ui.operations import read, write


def _when(value: datetime) -> str:
    return value.strftime("%a %d %b %Y, %H:%M")


class GroupDialog(FormDialog):
    """A new group session."""

    geometry_key = "group_new"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "New group session", parent,
                         intro="A group session on one topic. Add people to its register "
                               "afterwards and take attendance on the day.")
        self.topic = self.row("&Topic", "topic", line(placeholder="e.g. Sleep well: week 1"))
        self.venue = self.row("&Venue", "venue",
                              line(placeholder="e.g. Kingsmere Library, Community Room"))
        start = datetime.combine(datetime.now().date() + timedelta(days=7), time(13, 30))
        self.starts_at = QDateTimeEdit(qdatetime(start))
        self.starts_at.setCalendarPopup(True)
        self.starts_at.setDisplayFormat("d MMM yyyy, HH:mm")
        self.row("&Date and time", "starts_at", self.starts_at)
        self.minutes = self.row("&Length", "minutes", spin(15, 300, 90, " minutes"))
        self.capacity = self.row("&Places", "capacity", spin(2, 60, 12))
        self.notes = self.row("&Notes", "notes", text_box(lines=2))
        self.finish_layout()
        self.resize(520, 400)

    def save(self) -> Any:
        starts: datetime = self.starts_at.dateTime().toPython()  # type: ignore[assignment]
        return groups.create_group(self.ctx, groups.GroupInput(
            self.topic.text(), self.venue.text(), starts, self.minutes.value(),
            self.capacity.value(), self.notes.toPlainText()))


class RegisterDialog(RememberingDialog):
    """The register of one group: add people, and record each one's attendance."""

    geometry_key = "group_register"

    def __init__(self, ctx: AppContext, group: groups.GroupSummary,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx, self.group = ctx, group
        self.setWindowTitle(f"Register — {group.topic}")
        outer = QVBoxLayout(self)
        heading = QLabel(f"<b>{group.topic}</b><br>{_when(group.starts_at)} · "
                         f"{group.minutes} minutes · {group.venue}")
        heading.setWordWrap(True)
        outer.addWidget(heading)
        self.places = QLabel("")
        self.places.setObjectName("muted")
        outer.addWidget(self.places)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Attendee", "Attendance"])
        self.table.setAccessibleName("Register")
        self.table.setTabKeyNavigation(False)  # Tab leaves the register; arrows move in it
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        outer.addWidget(self.table, 1)
        add_row = QHBoxLayout()
        label = QLabel("&Add a person:")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Name, NHS number or postcode")
        self.search.setClearButtonEnabled(True)
        label.setBuddy(self.search)
        add_row.addWidget(label)
        add_row.addWidget(self.search, 1)
        self.add_button = QPushButton("Add to &register")
        add_row.addWidget(self.add_button)
        outer.addLayout(add_row)
        self.matches = QListWidget()
        self.matches.setAccessibleName("People matching the search")
        self.matches.setMaximumHeight(110)
        outer.addWidget(self.matches)
        self.message = QLabel("")
        self.message.setObjectName("fieldError")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        outer.addWidget(self.message)
        close = QPushButton("&Close")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        outer.addLayout(bottom)
        self.search.textChanged.connect(self._find)
        self.search.returnPressed.connect(self.add_selected)
        self.matches.itemActivated.connect(lambda _i: self.add_selected())
        self.add_button.clicked.connect(self.add_selected)
        self.entries: list[groups.RegisterEntry] = []
        self._loading = False
        self.resize(620, 560)
        self.reload()

    def is_loading(self) -> bool:
        return self._loading

    def reload(self) -> None:
        self._loading = True
        read(groups.register, self.ctx, self.group.id).on_success(self._show) \
            .on_error(lambda e: show_error(self, e)) \
            .on_done(lambda: setattr(self, "_loading", False)).start()

    def _show(self, entries: list[groups.RegisterEntry]) -> None:
        self.entries = entries
        self.table.setRowCount(len(entries))
        for r, entry in enumerate(entries):
            name = QTableWidgetItem(entry.client_name)
            name.setData(Qt.ItemDataRole.UserRole, entry.client_id)
            self.table.setItem(r, 0, name)
            box = QComboBox()
            box.setAccessibleName(f"Attendance of {entry.client_name}")
            for code, text in rules.ATTENDANCE:
                box.addItem(text, code)
            box.setCurrentIndex(max(0, box.findData(entry.attendance)))
            box.currentIndexChanged.connect(
                lambda _i, b=box, e=entry: self.set_attendance(e.attendance_id, b.currentData()))
            self.table.setCellWidget(r, 1, box)
        attended = sum(e.attendance == "attended" for e in entries)
        self.places.setText(f"{len(entries)} of {self.group.capacity} places booked · "
                            f"{attended} attended")

    def set_attendance(self, attendance_id: uuid.UUID, code: str) -> None:
        write(groups.set_attendance, self.ctx, attendance_id, code) \
            .on_success(self._changed).on_error(self._failed).start()

    def _find(self, text: str) -> None:
        if len(text.strip()) < 2:
            self.matches.clear()
            return
        read(clients.list_clients, self.ctx, text, limit=8).on_success(self._matches).start()

    def _matches(self, found: list[clients.ClientSummary]) -> None:
        self.matches.clear()
        for c in found:
            born = f", born {c.date_of_birth:%d %b %Y}" if c.date_of_birth else ""
            item = QListWidgetItem(f"{c.preferred_name or c.given_name} {c.family_name}{born}")
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.matches.addItem(item)
        if found:
            self.matches.setCurrentRow(0)

    def add_selected(self) -> None:
        item = self.matches.currentItem()
        if item is None:
            self._say("Search for the person, then choose them in the list.")
            return
        client_id = item.data(Qt.ItemDataRole.UserRole)
        write(groups.add_attendee, self.ctx, self.group.id, client_id) \
            .on_success(self._added).on_error(self._failed).start()

    def _added(self, result: Any) -> None:
        self.search.clear()
        self.matches.clear()
        self._changed(result)

    def _changed(self, result: Any) -> None:
        self.message.setVisible(False)
        self.reload()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self._say(" ".join(p.message for p in exc.problems))
            return
        show_error(self, exc)

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)


class GroupsDialog(RememberingDialog):
    """Group sessions from four weeks ago onwards; Enter takes a group's register."""

    geometry_key = "groups"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx = ctx
        self.setWindowTitle("Group sessions")
        outer = QVBoxLayout(self)
        intro = QLabel("Group sessions from the last four weeks and to come. Open one to add "
                       "people and take the register.")
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        outer.addWidget(intro)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["When", "Topic", "Venue", "Places"])
        self.table.setAccessibleName("Group sessions")
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (0, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(lambda _i: self.open_register())
        self.table.doubleClicked.connect(lambda _i: self.open_register())
        outer.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.new_button = QPushButton("&New group session…")
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.new_group)
        self.register_button = QPushButton("Take &register…")
        self.register_button.clicked.connect(self.open_register)
        close = QPushButton("&Close")
        close.clicked.connect(self.accept)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.register_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        outer.addLayout(buttons)
        self.groups: list[groups.GroupSummary] = []
        self._loading = False
        self.resize(760, 460)
        self.reload()

    def is_loading(self) -> bool:
        return self._loading

    def reload(self, select_id: uuid.UUID | None = None) -> None:
        self._loading = True
        since = datetime.combine(datetime.now().date() - timedelta(days=28), time.min)
        read(groups.list_groups, self.ctx, since) \
            .on_success(lambda found: self._show(found, select_id)) \
            .on_error(lambda e: show_error(self, e)) \
            .on_done(lambda: setattr(self, "_loading", False)).start()

    def _show(self, found: list[groups.GroupSummary], select_id: uuid.UUID | None) -> None:
        self.groups = found
        self.table.setRowCount(len(found))
        today = datetime.now().date()
        first_coming = None
        for r, g in enumerate(found):
            cells = [_when(g.starts_at), g.topic, g.venue,
                     f"{g.booked} of {g.capacity} booked" + (
                         f" · {g.attended} attended" if g.starts_at.date() <= today else "")]
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
            if first_coming is None and g.starts_at.date() >= today:
                first_coming = r
            if select_id is not None and g.id == select_id:
                first_coming = r
        if found:
            self.table.selectRow(first_coming if first_coming is not None else len(found) - 1)
        self.register_button.setEnabled(bool(found))

    def selected(self) -> groups.GroupSummary | None:
        row = self.table.currentRow()
        return self.groups[row] if 0 <= row < len(self.groups) else None

    def new_group(self) -> GroupDialog:
        dlg = GroupDialog(self.ctx, self)
        dlg.accepted.connect(lambda: self.reload(getattr(dlg.result_value, "id", None)))
        dlg.open()
        return dlg

    def open_register(self) -> RegisterDialog | None:
        group = self.selected()
        if group is None:
            return None
        dlg = RegisterDialog(self.ctx, group, self)
        dlg.finished.connect(lambda _r: self.reload(group.id))
        dlg.open()
        return dlg


def open_groups(ctx: AppContext, parent: QWidget | None = None) -> GroupsDialog:
    dlg = GroupsDialog(ctx, parent)
    dlg.open()
    return dlg
