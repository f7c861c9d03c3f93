"""General settings: the service's details and where the data lives."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from wellbeing_desktop.services.errors import Changed, Entity
from wellbeing_desktop.ui.bus import bus
from wellbeing_desktop.ui.pages.base import card
from wellbeing_desktop.ui.settings.base import SettingsSection


class GeneralSection(SettingsSection):
    title = "General"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form_box = QWidget()
        form = QFormLayout(form_box)
        self.service_name = QLineEdit()
        self.service_phone = QLineEdit()
        for text, widget in (("&Service name", self.service_name),
                             ("Service &phone", self.service_phone)):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            form.addRow(label, widget)
        buttons = QHBoxLayout()
        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.saved = QLabel("")
        self.saved.setObjectName("muted")
        buttons.addWidget(self.saved)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        frame, box = card("Your service (shown on printed plans and letters)", form_box)
        box.addLayout(buttons)
        self.layout_.addWidget(frame)
        self.where = QLabel("")
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(self.where.textInteractionFlags())
        frame2, _ = card("Data on this computer", self.where)
        self.layout_.addWidget(frame2)
        self.layout_.addStretch(1)

    def refresh(self) -> None:
        if self.ctx is None:
            return
        self.service_name.setText(self.ctx.settings.get("service_name") or "")
        self.service_phone.setText(self.ctx.settings.get("service_phone") or "")
        self.where.setText(
            f"Records are kept in {self.ctx.store.db_path}.\n"
            f"Settings are kept in {self.ctx.settings.path}.")

    def save(self) -> None:
        if self.ctx is None:
            return
        self.ctx.settings.set("service_name", self.service_name.text().strip())
        self.ctx.settings.set("service_phone", self.service_phone.text().strip())
        self.ctx.settings.save()
        self.saved.setText("Saved.")
        bus().announce(Changed.of(Entity.SETTINGS))


SECTION = GeneralSection
