"""The one app-wide "data changed" signal (STYLE §5). Views decide whether to refresh."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from wellbeing_desktop.services.errors import Changed


class _Bus(QObject):
    data_changed = Signal(object)  # Changed

    def announce(self, changed: Changed | None) -> None:
        if changed is not None and changed.entities:
            self.data_changed.emit(changed)


_bus: _Bus | None = None


def bus() -> _Bus:
    global _bus
    if _bus is None:
        _bus = _Bus()
    return _bus
