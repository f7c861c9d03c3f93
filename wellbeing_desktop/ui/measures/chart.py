"""Measures over time drawn with QPainter (QtCharts is not available): one small panel per
series, bands shaded lightly, the caseness cut-off as a dashed line. Mirrors
`packs.charts.measures_chart` so the screen and the printed plan look alike."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from wellbeing_desktop.domain.measures import MeasureSeries
from wellbeing_desktop.ui import theme

LEVEL_FILLS_LIGHT = ["#E8F3EC", "#F3F7E6", "#FFF4D6", "#FDEBD8", "#FDE8E7"]
LEVEL_FILLS_DARK = ["#1E3A2B", "#2E3A20", "#4A3B10", "#4A2E18", "#4A1B18"]


def short_date(day: date) -> str:
    return f"{day.day} {day.strftime('%b')}"


class MeasuresChart(QWidget):
    """Paints the series it is given; empty, it says there is nothing to show yet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: list[MeasureSeries] = []
        self.setObjectName("measuresChart")
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.tr("Chart of scores over time"))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(520, 150 * max(1, len(self.series)))

    def set_series(self, series: list[MeasureSeries]) -> None:
        self.series = [s for s in series if s.totals]
        # A screen reader cannot see the picture: describe it.
        parts = []
        for s in self.series:
            values = ", ".join(f"{short_date(d)} {v:g}" for d, v in s.points)
            cut = f"; caseness at {s.caseness_cutoff:g}" if s.caseness_cutoff is not None else ""
            parts.append(f"{s.title}: {values}{cut}")
        self.setAccessibleDescription("; ".join(parts) or self.tr("No scores recorded yet"))
        self.setToolTip("\n".join(parts))
        self.updateGeometry()
        self.update()

    def paintEvent(self, _event: object) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = theme.colours()
        painter.fillRect(self.rect(), QColor(c["panel"]))
        if not self.series:
            painter.setPen(QColor(c["muted"]))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                             self.tr("No scores recorded yet"))
            return
        gap = 12.0
        height = (self.height() - gap * (len(self.series) - 1) - 8) / len(self.series)
        for index, one in enumerate(self.series):
            top = 4 + index * (height + gap)
            self._panel(painter, one, QRectF(8, top, self.width() - 16, height), c)
        painter.end()

    def _panel(self, p: QPainter, s: MeasureSeries, area: QRectF, c: dict[str, str]) -> None:
        metrics = p.fontMetrics()
        line_h = metrics.height()
        title_font = QFont(p.font())
        title_font.setBold(True)
        p.setFont(title_font)
        p.setPen(QColor(c["text"]))
        latest = f"   latest {s.latest:g}" if s.latest is not None else ""
        p.drawText(QPointF(area.left(), area.top() + line_h), f"{s.title}{latest}")
        p.setFont(self.font())
        axis_w = metrics.horizontalAdvance("40") + 10
        plot = QRectF(area.left() + axis_w, area.top() + line_h + 8,
                      area.width() - axis_w - 6, area.height() - 2 * line_h - 14)
        if plot.height() < 10 or plot.width() < 20:
            return
        low, high = s.minimum, s.maximum or 1

        def y_of(value: float) -> float:
            return plot.bottom() - plot.height() * (value - low) / ((high - low) or 1)

        fills = LEVEL_FILLS_DARK if theme.is_dark() else LEVEL_FILLS_LIGHT
        for band in s.bands:
            top_y = y_of(min(high, band.max + 0.5))
            bottom_y = y_of(max(low, band.min - 0.5))
            p.fillRect(QRectF(plot.left(), top_y, plot.width(), bottom_y - top_y),
                       QColor(fills[max(0, min(4, band.level))]))
        p.setPen(QPen(QColor(c["border"]), 1))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.drawLine(plot.bottomLeft(), plot.topLeft())
        p.setPen(QColor(c["muted"]))
        for tick in (low, round((low + high) / 2), high):
            y = y_of(tick)
            p.drawText(QRectF(area.left(), y - line_h / 2, axis_w - 6, line_h),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, f"{tick:g}")
        if s.caseness_cutoff is not None:
            y = y_of(s.caseness_cutoff)
            # NHS red is too dark on the dark bands; the dark theme's error red reads well.
            red = c["error"] if theme.is_dark() else theme.NHS_RED
            pen = QPen(QColor(red), 1.5, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            label = self.tr("caseness %1").replace("%1", f"{s.caseness_cutoff:g}")
            p.drawText(QPointF(plot.right() - metrics.horizontalAdvance(label) - 2, y - 3), label)
        xs = self._xs(s.dates, plot.left() + 8, plot.right() - 8)
        points = [QPointF(x, y_of(v)) for x, v in zip(xs, s.totals, strict=True)]
        accent = QColor(c["accent"])
        if len(points) > 1:
            path = QPainterPath(points[0])
            for point in points[1:]:
                path.lineTo(point)
            p.setPen(QPen(accent, 2.2))
            p.drawPath(path)
        p.setPen(QPen(QColor(c["panel"]), 1.2))
        p.setBrush(accent)
        for point, value in zip(points, s.totals, strict=True):
            p.setPen(QPen(QColor(c["panel"]), 1.2))
            p.drawEllipse(point, 4, 4)
            p.setPen(QColor(c["text"]))
            text = f"{value:g}"
            p.drawText(QPointF(point.x() - metrics.horizontalAdvance(text) / 2, point.y() - 7),
                       text)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QColor(c["muted"]))
        room = max(1, int(plot.width() / (metrics.horizontalAdvance("30 Sep") + 12)))
        step = max(1, (len(xs) + room - 1) // room)
        for index, (x, day) in enumerate(zip(xs, s.dates, strict=True)):
            if index % step == 0 or index == len(xs) - 1:
                text = short_date(day)
                p.drawText(QPointF(x - metrics.horizontalAdvance(text) / 2,
                                   plot.bottom() + line_h + 2), text)

    @staticmethod
    def _xs(dates: tuple[date, ...], left: float, right: float) -> list[float]:
        if not dates:
            return []
        span = (dates[-1] - dates[0]).days
        if span == 0:
            return [(left + right) / 2] * len(dates)
        return [left + (right - left) * (d - dates[0]).days / span for d in dates]
