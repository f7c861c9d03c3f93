"""Printed documents settings: the crisis contacts every document shows, the default variant,
and (for a lead) a folder of edited document text that overrides the bundled content."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from wellbeing_desktop.services import configuration, permissions
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.services.packs import VARIANT_LABELS
from wellbeing_desktop.services.settings import DEFAULTS
from wellbeing_desktop.ui.operations import write
from wellbeing_desktop.ui.pages.base import card
from wellbeing_desktop.ui.settings.base import SettingsSection


class PacksSection(SettingsSection):
    title = "Printed documents"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        contacts_box = QWidget()
        col = QHBoxLayout(contacts_box)
        col.setContentsMargins(0, 0, 0, 0)
        self.contacts = QTableWidget(0, 2)
        self.contacts.setHorizontalHeaderLabels(["Who", "Phone"])
        self.contacts.setAccessibleName("Crisis contacts")
        # Arrows move between cells and F2 or typing edits; Tab leaves the table (its own
        # Tab went round the cells for ever: a keyboard trap).
        self.contacts.setTabKeyNavigation(False)
        self.contacts.verticalHeader().setVisible(False)
        self.contacts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.contacts.setMinimumHeight(150)
        col.addWidget(self.contacts, 1)
        side = QWidget()
        side_col = QFormLayout(side)
        self.add_button = QPushButton("&Add contact")
        self.remove_button = QPushButton("&Remove contact")
        self.reset_button = QPushButton("Use the &defaults")
        for b in (self.add_button, self.remove_button, self.reset_button):
            side_col.addRow(b)
        col.addWidget(side)
        frame, _ = card("If you need help now (printed on every plan, leaflet and letter)",
                          contacts_box)
        self.layout_.addWidget(frame)

        form_box = QWidget()
        form = QFormLayout(form_box)
        self.default_variant = QComboBox()
        for key, variant_label in VARIANT_LABELS.items():
            self.default_variant.addItem(variant_label, key)
        self.content_dir = QLineEdit()
        self.content_dir.setPlaceholderText("The text shipped with the app")
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Choose the document text folder")
        browse.clicked.connect(self._browse)
        folder_row = QWidget()
        folder_box = QHBoxLayout(folder_row)
        folder_box.setContentsMargins(0, 0, 0, 0)
        folder_box.addWidget(self.content_dir, 1)
        folder_box.addWidget(browse)
        self.browse_button = browse
        for text, row_widget, buddy in (
                ("Default &variant when no format is recorded", self.default_variant,
                 self.default_variant),
                ("Document &text folder (lead only)", folder_row, self.content_dir)):
            label = QLabel(text)
            label.setBuddy(buddy)
            buddy.setAccessibleName(text.replace("&", ""))
            form.addRow(label, row_widget)
        help_text = QLabel("A text folder holds one sub-folder per language (for example en, pl) "
                           "with text.json, easy_read.json and advice.json. Anything it leaves "
                           "out is taken from the text shipped with the app.")
        help_text.setWordWrap(True)
        help_text.setObjectName("muted")
        form.addRow(help_text)
        frame2, box2 = card("Documents", form_box)
        buttons = QHBoxLayout()
        self.saved = QLabel("")
        self.saved.setObjectName("muted")
        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("primary")
        buttons.addWidget(self.saved)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        box2.addLayout(buttons)
        self.layout_.addWidget(frame2)
        self.layout_.addStretch(1)

        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        self.reset_button.clicked.connect(
            lambda: self._show_contacts(DEFAULTS["packs"]["crisis_contacts"]))
        self.save_button.clicked.connect(self.save)

    def refresh(self) -> None:
        if self.ctx is None:
            return
        section = self.ctx.settings.section("packs")
        self._show_contacts(section.get("crisis_contacts") or [])
        variant = section.get("default_variant") or "standard"
        self.default_variant.setCurrentIndex(max(0, self.default_variant.findData(variant)))
        self.content_dir.setText(section.get("content_dir") or "")
        may_edit = permissions.allowed(self.ctx.actor, "settings.edit")
        may_content = permissions.allowed(self.ctx.actor, "packs.edit_content")
        for w in (self.contacts, self.add_button, self.remove_button, self.reset_button,
                  self.default_variant, self.save_button):
            w.setEnabled(may_edit)
        self.content_dir.setEnabled(may_content)
        self.browse_button.setEnabled(may_content)
        if not may_edit:
            self.saved.setText("Only a supervisor can change these.")

    def _show_contacts(self, rows: list[dict[str, str]]) -> None:
        self.contacts.setRowCount(0)
        for row in rows:
            self._add(row.get("name", ""), row.get("phone", ""))

    def _add(self, name: str = "", phone: str = "") -> None:
        row = self.contacts.rowCount()
        self.contacts.insertRow(row)
        self.contacts.setItem(row, 0, QTableWidgetItem(name if isinstance(name, str) else ""))
        self.contacts.setItem(row, 1, QTableWidgetItem(phone))
        if not name:
            self.contacts.setCurrentCell(row, 0)
            first = self.contacts.item(row, 0)
            if first is not None:
                self.contacts.editItem(first)

    def _remove(self) -> None:
        row = self.contacts.currentRow()
        if row >= 0:
            self.contacts.removeRow(row)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Document text folder",
                                                  self.content_dir.text())
        if folder:
            self.content_dir.setText(folder)

    def contacts_entered(self) -> list[dict[str, str]]:
        out = []
        for row in range(self.contacts.rowCount()):
            name, phone = (_cell_text(self.contacts.item(row, 0)),
                           _cell_text(self.contacts.item(row, 1)))
            if name or phone:
                out.append({"name": name, "phone": phone})
        return out

    def save(self) -> None:
        if self.ctx is None:
            return
        contacts = [configuration.ContactEntry(c["name"], c["phone"])
                    for c in self.contacts_entered()]
        self.saved.clear()
        (write(configuration.set_pack_options, self.ctx, contacts,
               self.default_variant.currentData(), self.content_dir.text())
         .on_success(lambda _c: self.saved.setText("Saved."))
         .on_error(self._failed).start())

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ValidationError):
            self.saved.setText(" ".join(p.message for p in exc.problems))
        else:
            self.saved.setText(str(exc))


SECTION = PacksSection


def _cell_text(item: QTableWidgetItem | None) -> str:
    return item.text().strip() if item is not None else ""
