"""A row of controls that wraps onto more lines when the window is narrow (Qt's flow layout
example): on a 1024×700 screen, or at 150 % text, a bar of filters and buttons goes onto a
second line instead of making the page scroll sideways (issue 18).

Stretch: `addStretch()` is accepted and ignored (a wrapped row has nothing to push), so a
QHBoxLayout's building code works unchanged. A widget added with `stretch` > 0 takes the
room left on its line (a search box grows; it never collapses below its minimum)."""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QWidget, QWidgetItem


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 8) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretch: dict[int, int] = {}
        self._spacing = spacing
        if parent is None:
            self.setContentsMargins(QMargins(0, 0, 0, 0))

    # the QHBoxLayout calls the pages use ------------------------------------------------
    def addWidget(self, widget: QWidget, stretch: int = 0,  # noqa: N802 - QBoxLayout's name
                  alignment: Qt.AlignmentFlag | None = None) -> None:
        self.addChildWidget(widget)
        item = QWidgetItem(widget)
        self._items.append(item)
        if stretch:
            self._stretch[id(item)] = stretch
        self.invalidate()

    def addStretch(self, stretch: int = 0) -> None:  # noqa: N802 - QBoxLayout's name
        """Nothing to push on a wrapped row."""

    def addSpacing(self, size: int) -> None:  # noqa: N802 - QBoxLayout's name
        """Rows keep their own spacing."""

    # QLayout ---------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        if 0 <= index < len(self._items):
            item = self._items.pop(index)
            self._stretch.pop(id(item), None)
            return item
        return None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._lay_out(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._lay_out(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """Everything on one line."""
        width = sum(i.sizeHint().width() for i in self._shown()) + \
            self._spacing * max(0, len(self._shown()) - 1)
        height = max((i.sizeHint().height() for i in self._shown()), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        """As narrow as the widest single control."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _gap(self, item: QLayoutItem) -> int:
        if self._spacing >= 0:
            return self._spacing
        widget = item.widget()
        style = widget.style() if widget is not None else None
        if style is None:
            return 8
        return style.layoutSpacing(QSizePolicy.ControlType.PushButton,
                                   QSizePolicy.ControlType.PushButton, Qt.Orientation.Horizontal)

    def _lay_out(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        lines: list[list[QLayoutItem]] = [[]]
        x = 0
        for item in self._shown():
            w = item.sizeHint().width()
            if lines[-1] and x + w > area.width():
                # A caption goes to the next line with its field, never alone at a line's end.
                carried = [lines[-1].pop()] if _captions(lines[-1][-1], item) and \
                    len(lines[-1]) > 1 else []
                lines.append(carried)
                x = sum(i.sizeHint().width() + self._gap(i) for i in carried)
            lines[-1].append(item)
            x += w + self._gap(item)
        y = area.y()
        for line in lines:
            if not line:
                continue
            widths = [i.sizeHint().width() for i in line]
            used = sum(widths) + self._gap(line[0]) * (len(line) - 1)
            spare = area.width() - used
            stretches = [self._stretch.get(id(i), 0) for i in line]
            total = sum(stretches)
            if spare < 0:   # one control alone, wider than the room: it shrinks to fit
                widths = [max(i.minimumSize().width(), w + spare) for i, w in zip(line, widths,
                                                                                strict=True)]
            elif total:
                widths = [w + spare * s // total for w, s in zip(widths, stretches, strict=True)]
            height = max(i.sizeHint().height() for i in line)
            x = area.x()
            for item, w in zip(line, widths, strict=True):
                if apply:
                    h = item.sizeHint().height()
                    item.setGeometry(QRect(QPoint(x, y + (height - h) // 2), QSize(w, h)))
                x += w + self._gap(item)
            y += height + self._gap(line[0])
        return y - self._gap(lines[-1][0]) - rect.y() + m.bottom() if lines[-1] else m.top()


def _captions(before: QLayoutItem, item: QLayoutItem) -> bool:
    label = before.widget()
    return isinstance(label, QLabel) and label.buddy() is not None and \
        label.buddy() is item.widget()
