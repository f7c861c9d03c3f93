"""The Directory's results beside the selected service, or above it when the room is narrow
and tall (issue 18: at 1024×700 and 150 % text the list beside the detail was a sliver and
the page scrolled down to the service's buttons).

Side by side needs about 90 characters of width; stacked needs about 24 lines of height,
so a short window (a 700 px laptop at 150 % text) keeps them side by side, and a narrow
tall one (half a screen, portrait) stacks them. Sizes are in characters and lines so the
same rule holds at every text size.

The splitter asks for no more height than its parts' minimum: a page's preferred height is
what its scroll area gives it, so a larger hint made the whole page scroll to show the
buttons under the detail. It still takes all the room left (stretch)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSplitter, QWidget

SIDE_BY_SIDE_CHARS = 90   # below this width the list beside the detail is too narrow…
STACKED_LINES = 24        # …but stacking needs this height, or both parts become slivers


class StackingSplitter(QSplitter):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setChildrenCollapsible(False)

    def wanted_orientation(self, width: int, height: int) -> Qt.Orientation:
        metrics = self.fontMetrics()
        narrow = width < metrics.averageCharWidth() * SIDE_BY_SIDE_CHARS
        tall = height >= metrics.lineSpacing() * STACKED_LINES
        return Qt.Orientation.Vertical if narrow and tall else Qt.Orientation.Horizontal

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        wanted = self.wanted_orientation(event.size().width(), event.size().height())
        if wanted != self.orientation():
            self.setOrientation(wanted)
            half = (event.size().width() if wanted == Qt.Orientation.Horizontal
                    else event.size().height()) // 2
            self.setSizes([half, half])
        super().resizeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        return QSize(hint.width(), self.minimumSizeHint().height())
