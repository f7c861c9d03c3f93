"""Security settings: idle lock, your passphrase, backups and restore, users, the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services import configuration
from wellbeing_desktop.services.errors import Changed, ValidationError
from wellbeing_desktop.ui.bus import bus
from wellbeing_desktop.ui.flow_layout import FlowLayout
from wellbeing_desktop.ui.forms import FieldErrors
from wellbeing_desktop.ui.operations import read, write
from wellbeing_desktop.ui.pages.base import card
from wellbeing_desktop.ui.settings.base import SettingsSection


def _password() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def _note() -> QLabel:
    label = QLabel("")
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


class SecuritySection(SettingsSection):
    title = "Security"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.col = QVBoxLayout(body)
        scroll.setWidget(body)
        self.layout_.addWidget(scroll)
        self._build_lock()
        self._build_passphrase()
        self._build_backups()
        self._build_users()
        self._build_audit()
        self._build_retention()
        self.col.addStretch(1)

    # idle lock ---------------------------------------------------------------------------
    def _build_lock(self) -> None:
        box = QWidget()
        row = QHBoxLayout(box)
        self.idle = QDoubleSpinBox()
        self.idle.setRange(1, 120)
        self.idle.setDecimals(0)
        self.idle.setSuffix(" minutes")
        label = QLabel("Lock after &idle time")
        label.setBuddy(self.idle)
        self.idle.setAccessibleName("Lock after idle time")
        save = QPushButton("Save lock time")
        save.clicked.connect(self.save_idle)
        self.idle_note = _note()
        for w in (label, self.idle, save, self.idle_note):
            row.addWidget(w)
        row.addStretch(1)
        frame, _ = card("Lock (Ctrl+L locks at once)", box)
        self.col.addWidget(frame)

    def save_idle(self) -> None:
        if self.ctx is None:
            return
        def saved(_changed: object) -> None:
            self.idle_note.setText("Saved.")
            lock = getattr(self.window(), "lock", None)
            if lock is not None:
                lock.restart()

        (write(configuration.set_idle_lock, self.ctx, float(self.idle.value()))
         .on_success(saved).on_error(lambda e: self._error(e, None, self.idle_note)).start())

    # own passphrase ---------------------------------------------------------------------
    def _build_passphrase(self) -> None:
        box = QWidget()
        form = QFormLayout(box)
        self.pass_errors = FieldErrors()
        self.old_pass, self.new_pass, self.confirm_pass = _password(), _password(), _password()
        self.pass_errors.add_row(form, "C&urrent passphrase", "old_passphrase", self.old_pass)
        self.pass_errors.add_row(form, "Ne&w passphrase", "new_passphrase", self.new_pass)
        self.pass_errors.add_row(form, "Type the new passphrase a&gain", "confirm_passphrase",
                                 self.confirm_pass)
        self.change_button = QPushButton("Change passphrase")
        self.change_button.clicked.connect(self.change_passphrase)
        self.pass_note = _note()
        form.addRow(self.pass_note, self.change_button)
        self.pass_frame, _ = card("Your passphrase", box)
        self.col.addWidget(self.pass_frame)

    def change_passphrase(self) -> None:
        from wellbeing_desktop.services import auth

        def done(_r: Any) -> None:
            for edit in (self.old_pass, self.new_pass, self.confirm_pass):
                edit.clear()
            self.pass_errors.clear()
            self.pass_note.setText("Passphrase changed.")

        write(auth.change_passphrase, self.ctx, self.old_pass.text(), self.new_pass.text(),
             self.confirm_pass.text()).on_success(done) \
            .on_error(lambda e: self._error(e, self.pass_errors, self.pass_note)).start()

    def _error(self, exc: BaseException, errors: FieldErrors | None, note: QLabel) -> None:
        if isinstance(exc, ValidationError) and errors is not None:
            note.setText("\n".join(errors.show(exc)))
        else:
            note.setText(str(exc) if not isinstance(exc, AssertionError) else type(exc).__name__)

    # backups ----------------------------------------------------------------------------
    def _build_backups(self) -> None:
        box = QWidget()
        col = QVBoxLayout(box)
        self.backup_list = QListWidget()
        self.backup_list.setAccessibleName("Backups, newest first")
        self.backup_list.setMaximumHeight(160)
        col.addWidget(self.backup_list)
        row = FlowLayout()   # wraps on a narrow screen instead of scrolling sideways
        self.backup_button = QPushButton("&Back up now")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("&Restore selected…")
        self.restore_button.clicked.connect(self.restore_selected)
        self.restore_file_button = QPushButton("Restore from a ba&ckup file…")
        self.restore_file_button.clicked.connect(self.restore_from_file)
        for b in (self.backup_button, self.restore_button, self.restore_file_button):
            row.addWidget(b)
        row.addStretch(1)
        col.addLayout(row)
        form = QFormLayout()
        self.second_folder = QLineEdit()
        self.second_folder.setPlaceholderText("e.g. a network drive; used when it is there")
        label = QLabel("&Second backup folder")
        label.setBuddy(self.second_folder)
        self.second_folder.setAccessibleName("Second backup folder")
        save = QPushButton("Save folder")
        save.clicked.connect(self.save_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.second_folder, 1)
        folder_row.addWidget(save)
        form.addRow(label, folder_row)
        col.addLayout(form)
        self.backup_note = _note()
        col.addWidget(self.backup_note)
        frame, _ = card("Backups (kept 7 daily, 4 weekly, 12 monthly; encrypted)", box)
        self.col.addWidget(frame)

    def _load_backups(self) -> None:
        from wellbeing_desktop.services import backups

        def show(items: list[Any]) -> None:
            self.backup_list.clear()
            for info in items:
                when = info.taken_at.astimezone().strftime("%A %d %B %Y, %H:%M") \
                    if info.taken_at else "?"
                item = QListWidgetItem(f"{when}  ({info.path.name.split('-')[0]}, "
                                       f"{info.size // 1024:,} KB)")
                item.setData(Qt.ItemDataRole.UserRole, str(info.path))
                self.backup_list.addItem(item)

        read(backups.list_all, self.ctx).on_success(show).start()

    def backup_now(self) -> None:
        from wellbeing_desktop.services import backups

        def done(info: Any) -> None:
            extra = f" and copied to {info.second_copy.parent}" if info.second_copy else ""
            self.backup_note.setText(f"Backup taken and checked{extra}.")
            self._load_backups()

        self.backup_note.setText("Backing up…")
        write(backups.backup_now, self.ctx, "manual").on_success(done) \
            .on_error(lambda e: self._error(e, None, self.backup_note)).start()

    def restore_selected(self) -> None:
        item = self.backup_list.currentItem()
        if item is None:
            self.backup_note.setText("Choose a backup in the list first.")
            return
        self.restore(Path(item.data(Qt.ItemDataRole.UserRole)))

    def restore_from_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Restore a backup", "",
                                              "Backups (*.sqlite3);;All files (*)")
        if name:
            self.restore(Path(name))

    def restore(self, path: Path, *, confirm: bool = True) -> None:
        from wellbeing_desktop.services import backups

        if confirm and QMessageBox.question(
                self, "Restore a backup",
                f"Replace the records on this computer with the backup {path.name}?\n"
                "The records as they are now are kept as a backup first.") \
                != QMessageBox.StandardButton.Yes:
            return

        def done(safety: Any) -> None:
            self.backup_note.setText(f"Restored. The records as they were are kept in "
                                     f"{safety.path.name}.")
            window = self.window()
            if hasattr(window, "attach") and self.ctx is not None:
                window.attach(self.ctx)
            bus().announce(backups.restore_changed())
            self._load_backups()

        write(backups.restore, self.ctx, path).on_success(done) \
            .on_error(lambda e: self._error(e, None, self.backup_note)).start()

    def save_folder(self) -> None:
        if self.ctx is None:
            return
        folder = self.second_folder.text().strip()

        def saved(_changed: object) -> None:
            if folder and not Path(folder).expanduser().is_dir():
                self.backup_note.setText("That folder is not there right now; it will be "
                                         "used whenever it is.")
            else:
                self.backup_note.setText("Saved.")

        (write(configuration.set_backup_folder, self.ctx, folder).on_success(saved)
         .on_error(lambda e: self._error(e, None, self.backup_note)).start())

    # users ------------------------------------------------------------------------------
    def _build_users(self) -> None:
        box = QWidget()
        col = QVBoxLayout(box)
        self.user_list = QListWidget()
        self.user_list.setAccessibleName("Users")
        self.user_list.setMaximumHeight(160)
        col.addWidget(self.user_list)
        self.toggle_button = QPushButton("Switch selecte&d account off / on")
        self.toggle_button.clicked.connect(self.toggle_user)
        col.addWidget(self.toggle_button, 0, Qt.AlignmentFlag.AlignLeft)
        form = QFormLayout()
        self.user_errors = FieldErrors()
        self.new_name, self.new_username = QLineEdit(), QLineEdit()
        self.new_role = QComboBox()
        self.new_role.addItem("Practitioner", "practitioner")
        self.new_role.addItem("Supervisor", "supervisor")
        self.new_pass_user, self.new_pass_user2 = _password(), _password()
        self.user_errors.add_row(form, "Full &name", "display_name", self.new_name)
        self.user_errors.add_row(form, "Userna&me", "username", self.new_username)
        self.user_errors.add_row(form, "R&ole", "role", self.new_role)
        self.user_errors.add_row(form, "Their first passphras&e", "passphrase", self.new_pass_user)
        self.user_errors.add_row(form, "Repeat &their passphrase", "confirm_passphrase",
                                 self.new_pass_user2)
        add = QPushButton("&Add user")
        add.clicked.connect(self.add_user)
        self.user_note = _note()
        form.addRow(self.user_note, add)
        col.addLayout(form)
        self.users_frame, _ = card("Users (supervisors only)", box)
        self.col.addWidget(self.users_frame)

    def _load_users(self) -> None:
        from wellbeing_desktop.services import accounts

        def show(users: list[Any]) -> None:
            self.user_list.clear()
            for u in users:
                state = "" if u.active else "  (switched off)"
                item = QListWidgetItem(f"{u.display_name} — {u.username or 'no sign-in'} — "
                                       f"{u.role}{state}")
                item.setData(Qt.ItemDataRole.UserRole, (u.id, u.active))
                self.user_list.addItem(item)

        read(accounts.list_users, self.ctx).on_success(show).start()

    def add_user(self) -> None:
        from wellbeing_desktop.services import accounts

        data = accounts.NewUser(self.new_name.text(), self.new_username.text().strip(),
                                self.new_role.currentData(), self.new_pass_user.text(),
                                self.new_pass_user2.text())

        def done(changed: Changed) -> None:
            for edit in (self.new_name, self.new_username, self.new_pass_user,
                         self.new_pass_user2):
                edit.clear()
            self.user_errors.clear()
            self.user_note.setText(f"Added {data.display_name.strip()}.")
            self._load_users()

        write(accounts.add_user, self.ctx, data).on_success(done) \
            .on_error(lambda e: self._error(e, self.user_errors, self.user_note)).start()

    def toggle_user(self) -> None:
        from wellbeing_desktop.services import accounts

        item = self.user_list.currentItem()
        if item is None:
            self.user_note.setText("Choose a user in the list first.")
            return
        user_id, active = item.data(Qt.ItemDataRole.UserRole)
        write(accounts.set_active, self.ctx, user_id, not active) \
            .on_success(lambda _c: self._load_users()) \
            .on_error(lambda e: self._error(e, None, self.user_note)).start()

    # audit ------------------------------------------------------------------------------
    def _build_audit(self) -> None:
        box = QWidget()
        row = QHBoxLayout(box)
        text = QLabel("Every view, change, print, export, sign-in and lock, with who and when "
                      "(identifiers only).")
        text.setWordWrap(True)
        button = QPushButton("Open the audit &log…")
        button.clicked.connect(self.open_audit)
        row.addWidget(text, 1)
        row.addWidget(button)
        self.audit_frame, _ = card("Audit log (supervisors only)", box)
        self.col.addWidget(self.audit_frame)

    def open_audit(self) -> None:
        from wellbeing_desktop.ui.dialogs.audit_viewer import AuditViewerDialog

        if self.ctx is not None:
            AuditViewerDialog(self.ctx, self).open()

    def _build_retention(self) -> None:
        from wellbeing_desktop.ui.settings.retention import RetentionBox

        self.retention = RetentionBox()
        self.retention_frame, _ = card("Retention (supervisors only)", self.retention)
        self.col.addWidget(self.retention_frame)

    # ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.ctx is None:
            return
        options = configuration.security_options(self.ctx)  # the settings file, no store
        self.idle.setValue(options.idle_lock_minutes)
        self.second_folder.setText(options.backup_folder)
        self.pass_frame.setVisible(self.ctx.store.key is not None)
        lead = self.ctx.actor.is_supervisor
        self.users_frame.setVisible(lead)
        self.audit_frame.setVisible(lead)
        self.retention_frame.setVisible(lead)
        if lead:
            self.retention.set_context(self.ctx)
        self.restore_button.setEnabled(lead)
        self.restore_file_button.setEnabled(lead)
        self._load_backups()
        if lead:
            self._load_users()


SECTION = SecuritySection
