"""Settings: one tab per registered section (see `ui/settings`)."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, Entity
from wellbeing_desktop.ui.pages.base import Page
from wellbeing_desktop.ui.settings import section_classes
from wellbeing_desktop.ui.settings.base import SettingsSection


class SettingsPage(Page):
    key = "settings"
    title = "Settings"
    subtitle = "How this computer and your service are set up."
    watches = frozenset({Entity.SETTINGS})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Settings sections")
        self.sections: list[SettingsSection] = []
        for cls in section_classes():
            section = cls()
            self.sections.append(section)
            self.tabs.addTab(section, section.title)
        self.layout_.addWidget(self.tabs, 1)

    def attach(self, ctx: AppContext) -> None:
        super().attach(ctx)
        for section in self.sections:
            section.attach(ctx)
            if section.supervisor_only:
                self.tabs.setTabVisible(self.tabs.indexOf(section), ctx.actor.is_supervisor)

    def on_data_changed(self, changed: Changed) -> None:
        if Entity.SETTINGS in changed.entities:
            for section in self.sections:
                section.refresh()
