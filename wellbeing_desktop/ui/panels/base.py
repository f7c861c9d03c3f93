"""The contract of a client-record panel."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QVBoxLayout, QWidget

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, Entity, entities


class ClientPanel(QWidget):
    # What changes make it refresh: `Entity` members (a misspelt name fails at import).
    watches: frozenset[Entity] = frozenset()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.watches = entities(*cls.watches)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AppContext | None = None
        self.client_id: uuid.UUID | None = None
        self.layout_ = QVBoxLayout(self)

    def set_client(self, ctx: AppContext, client_id: uuid.UUID) -> None:
        self.ctx = ctx
        self.client_id = client_id
        self.refresh()

    def refresh(self) -> None:
        """Load the client's data through the worker."""

    def on_data_changed(self, changed: Changed) -> None:
        if self.watches & changed.entities and self.client_id is not None:
            self.refresh()

    def is_loading(self) -> bool:
        return False
