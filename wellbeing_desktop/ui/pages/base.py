"""What every page of the main window has: a title, a context, and a refresh hook."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from wellbeing_desktop.services.errors import Changed, Entity, entities

if TYPE_CHECKING:  # a page can be built before the store (and SQLAlchemy) is loaded
    from wellbeing_desktop.services.app import AppContext


class Page(QWidget):
    """Subclasses build widgets in `__init__` (no data) and load data in `refresh()`."""

    key = ""
    title = ""
    subtitle = ""
    # What changes make it refresh: `Entity` members (a misspelt name fails at import).
    watches: frozenset[Entity] = frozenset()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.watches = entities(*cls.watches)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.ctx: AppContext | None = None
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(24, 18, 24, 18)
        self.layout_.setSpacing(12)
        heading = QLabel(self.title)
        heading.setObjectName("pageTitle")
        heading.setAccessibleName(self.title)
        self.layout_.addWidget(heading)
        if self.subtitle:
            sub = QLabel(self.subtitle)
            sub.setObjectName("pageSubtitle")
            sub.setWordWrap(True)
            self.layout_.addWidget(sub)
        self._stale = True

    def attach(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.ctx is not None and self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Load this page's data through the worker. Default: nothing to load."""
        self._stale = False

    def on_data_changed(self, changed: Changed) -> None:
        if self.watches & changed.entities:
            self._stale = True
            if self.isVisible():
                self.refresh()

    def is_loading(self) -> bool:
        """True while a load is in flight (the self-test waits on this)."""
        return False


def card(title: str, body: QWidget | None = None) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("card")
    box = QVBoxLayout(frame)
    box.setContentsMargins(16, 12, 16, 12)
    label = QLabel(title)
    label.setObjectName("cardTitle")
    label.setWordWrap(True)   # a long title wraps rather than widen the page (150 % text)
    box.addWidget(label)
    if body is not None:
        box.addWidget(body)
    return frame, box
