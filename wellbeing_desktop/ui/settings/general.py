"""General settings: the service's details and where the data lives."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from wellbeing_desktop.services import configuration
from wellbeing_desktop.ui.operations import write
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
        for text, widget in (("Service &name", self.service_name),
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
        details = configuration.service_details(self.ctx)  # the settings file, no store
        self.service_name.setText(details.name)
        self.service_phone.setText(details.phone)
        self.save_button.setEnabled(configuration.may_edit(self.ctx))
        self.where.setText(
            f"Records are kept in {self.ctx.store.db_path}.\n"
            f"Settings are kept in {self.ctx.settings.path}.")

    def save(self) -> None:
        if self.ctx is None:
            return
        self.saved.clear()
        (write(configuration.set_service_details, self.ctx, self.service_name.text(),
               self.service_phone.text())
         .on_success(lambda _c: self.saved.setText("Saved."))
         .on_error(lambda exc: self.saved.setText(str(exc))).start())


SECTION = GeneralSection
