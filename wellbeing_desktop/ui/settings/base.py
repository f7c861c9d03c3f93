"""What a settings section is."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from wellbeing_desktop.services.app import AppContext


class SettingsSection(QWidget):
    title = ""
    supervisor_only = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AppContext | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(12, 12, 12, 12)

    def attach(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        """Load current values into the widgets."""
