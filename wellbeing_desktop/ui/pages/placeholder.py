"""Pages whose features have not been built yet say so plainly."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from wellbeing_desktop.ui.pages.base import Page, card


class PlaceholderPage(Page):
    body = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        text = QLabel(self.body)
        text.setWordWrap(True)
        frame, _ = card("Not available yet", text)
        self.layout_.addWidget(frame)
        self.layout_.addStretch(1)
