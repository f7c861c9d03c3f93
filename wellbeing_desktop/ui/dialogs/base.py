"""A dialog that remembers its size and place (Picard's PicardDialog)."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QDialog, QWidget

from wellbeing_desktop.services.settings import Settings


class RememberingDialog(QDialog):
    geometry_key = ""

    def __init__(self, parent: QWidget | None, settings: Settings | None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.restore_geometry()

    def restore_geometry(self) -> None:
        if not (self._settings and self.geometry_key):
            return
        saved = self._settings.section("ui").get("geometry", {}).get(self.geometry_key)
        if saved:
            self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))

    def save_geometry(self) -> None:
        if not (self._settings and self.geometry_key):
            return
        geometry = self._settings.section("ui").setdefault("geometry", {})
        geometry[self.geometry_key] = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        self._settings.save()

    def done(self, result: int) -> None:
        self.save_geometry()
        super().done(result)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """Never shorter than the wrapped text needs at this width. A window's minimum comes
        from its layout's single-line heights, so at 150 % text the sign-in's and the
        recovery key's paragraphs were cut off and overlapped what followed."""
        super().resizeEvent(event)
        self._fit_text(event.size().width())

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:   # the text size or the content changed
            self._fit_text(self.width())
        return handled

    def _fit_text(self, width: int) -> None:
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        need = layout.totalMinimumHeightForWidth(width)
        if need != self.minimumHeight():
            self.setMinimumHeight(need)
