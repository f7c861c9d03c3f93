"""Measures over time as a reportlab graphics `Drawing` (for plans, letters and reports).

One small panel per series, stacked: scores against dates, the bands shaded lightly, and the
caseness cut-off as a dashed line. Plain shapes only, so no charting dependency is needed and
the look matches the on-screen chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from wellbeing_desktop.domain.measures import MeasureSeries
from wellbeing_desktop.domain.measures.registry import shipped

NHS_BLUE = colors.HexColor("#005EB8")
NHS_RED = colors.HexColor("#DA291C")
GRID = colors.HexColor("#D8DDE0")
TEXT = colors.HexColor("#212B32")
MUTED = colors.HexColor("#4C6272")
# Band shading from calm to concerning (band "level" 0-4).
BOTTOM_PAD = 6.0  # room under the last date labels before the text that follows
LEVEL_FILLS = ["#E8F3EC", "#F3F7E6", "#FFF4D6", "#FDEBD8", "#FDE8E7"]


def short_date(day: date) -> str:
    """Month written out (DESIGN §11: "8 December", not "8 Dec"); the year is on the page."""
    return f"{day.day} {day.strftime('%B')}"


def _x_positions(dates: Sequence[date], left: float, right: float) -> list[float]:
    if not dates:
        return []
    first, last = dates[0], dates[-1]
    span = (last - first).days
    if span == 0:
        return [(left + right) / 2] * len(dates)
    return [left + (right - left) * (d - first).days / span for d in dates]


def _panel(drawing: Drawing, series: MeasureSeries, x: float, y: float, width: float,
           height: float, font: str, bold: str, scale: float = 1.0,
           cut_off_label: str = "cut-off {value}") -> None:
    title_h = 20.0 * scale
    axis_w, axis_h = 26.0 * scale, 14.0 * scale
    small, big = 7 * scale, 9 * scale
    left, right = x + axis_w, x + width - 8
    bottom, top = y + axis_h, y + height - title_h
    low, high = series.minimum, series.maximum or 1

    def y_of(value: float) -> float:
        return bottom + (top - bottom) * (value - low) / (high - low or 1)

    drawing.add(String(x, y + height - big - 1, series.title, fontName=bold, fontSize=big,
                       fillColor=TEXT))
    for band in series.bands:
        fill = colors.HexColor(LEVEL_FILLS[max(0, min(4, band.level))])
        lo, hi = y_of(max(low, band.min - 0.5)), y_of(min(high, band.max + 0.5))
        drawing.add(Rect(left, lo, right - left, hi - lo, fillColor=fill, strokeColor=None))
    drawing.add(Line(left, bottom, right, bottom, strokeColor=GRID, strokeWidth=0.8))
    drawing.add(Line(left, bottom, left, top, strokeColor=GRID, strokeWidth=0.8))
    # Only the ends of the scale: a middle number ("14 of 27") means nothing to a reader.
    for tick in (low, high):
        drawing.add(String(left - 4, y_of(tick) - 3, f"{tick:g}", fontName=font, fontSize=small,
                           fillColor=MUTED, textAnchor="end"))
    if series.caseness_cutoff is not None:
        cy = y_of(series.caseness_cutoff)
        drawing.add(Line(left, cy, right, cy, strokeColor=NHS_RED, strokeWidth=1,
                         strokeDashArray=[4, 3]))
        label = cut_off_label.format(value=f"{series.caseness_cutoff:g}")
        drawing.add(String(right, cy + 2, label, fontName=font, fontSize=small,
                           fillColor=NHS_RED, textAnchor="end"))
    xs = _x_positions(series.dates, left + 6, right - 6)
    points = [(px, y_of(v)) for px, v in zip(xs, series.totals, strict=True)]
    if len(points) > 1:
        drawing.add(PolyLine([c for p in points for c in p], strokeColor=NHS_BLUE,
                             strokeWidth=1.6))
    for (px, py), value in zip(points, series.totals, strict=True):
        drawing.add(Circle(px, py, 2.4, fillColor=NHS_BLUE, strokeColor=colors.white,
                           strokeWidth=0.6))
        drawing.add(String(px, py + 4, f"{value:g}", fontName=font, fontSize=small, fillColor=TEXT,
                           textAnchor="middle"))
    # Date labels: first, last, and those in between when there is room.
    room = max(1, int((right - left) / (58 * scale)))
    step = max(1, (len(xs) + room - 1) // room)
    for index, (px, day) in enumerate(zip(xs, series.dates, strict=True)):
        if index % step == 0 or index == len(xs) - 1:
            drawing.add(String(px, y + 2, short_date(day), fontName=font, fontSize=small,
                               fillColor=MUTED, textAnchor="middle"))


def as_series(one: Any) -> MeasureSeries:
    """Accept the domain's `MeasureSeries`, or any object with `name`, `maximum` and `points`
    of (`on`, `score`) — the shape of the packs snapshot — filling caseness and bands from
    the measure's definition."""
    if isinstance(one, MeasureSeries):
        return one
    name = str(getattr(one, "name", ""))
    definition = shipped().find(name)
    points = sorted(getattr(one, "points", ()), key=lambda p: p.on)
    return MeasureSeries(
        measure_id=definition.id if definition else name,
        title=definition.short_title if definition else name,
        dates=tuple(p.on for p in points),
        totals=tuple(float(p.score) for p in points),
        caseness_cutoff=definition.caseness_at_least if definition else None,
        minimum=definition.min_total if definition else 0,
        maximum=float(getattr(one, "maximum", 0) or (definition.max_total if definition else 0)),
        bands=definition.bands if definition else (),
        higher_is=definition.higher_is if definition else "worse",
    )


def measures_chart(series: Sequence[Any], width: float, height: float | None = None, *,
                   variant: str = "standard", font: str = "Helvetica",
                   bold: str = "Helvetica-Bold", gap: float = 10.0,
                   cut_off_label: str = "cut-off {value}") -> Drawing:
    """A drawing of each series over time (stacked panels), `width` points wide.

    `height` defaults to a panel per series; the large-print variant gets taller panels and
    bigger labels. The dashed line is labelled with `cut_off_label` ("cut-off 10" by default:
    the printed documents are read by the person, for whom "caseness" means nothing).
    """
    large = variant.replace("_", "-") == "large-print"
    shown = [s for s in (as_series(one) for one in series) if s.totals]
    if height is None:
        height = (max(1, len(shown)) * (170.0 if large else 120.0)
                  + gap * max(0, len(shown) - 1) + BOTTOM_PAD)
    drawing = Drawing(width, height)
    if not shown:
        drawing.add(String(width / 2, height / 2, "No scores recorded yet", fontName=font,
                           fontSize=9, fillColor=MUTED, textAnchor="middle"))
        return drawing
    scale = 1.4 if large else 1.0
    panel_h = (height - BOTTOM_PAD - gap * (len(shown) - 1)) / len(shown)
    for index, one in enumerate(shown):
        top = height - index * (panel_h + gap)
        _panel(drawing, one, 0, top - panel_h, width, panel_h, font, bold, scale,
               cut_off_label)
    return drawing
