"""Simple pictures drawn beside each easy-read section (vector, so they print sharply)."""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect
from reportlab.lib.colors import white

from wellbeing_desktop.packs.layout import BLUE, GREEN, INK, PALE, RED

PICTURES = ("person", "talk", "goal", "services", "advice", "next", "help", "letter", "info",
            "no", "chart")


def picture(name: str, size: float) -> Drawing:
    """A square picture `size` points wide; 100 units inside."""
    d = Drawing(size, size)
    k = size / 100.0
    shapes = _DRAW[name]()
    d.add(Rect(0, 0, 100, 100, rx=14, ry=14, fillColor=PALE, strokeColor=None))
    for shape in shapes:
        d.add(shape)
    d.scale(k, k)
    d.width = d.height = size
    return d


def _person() -> list[object]:
    return [Circle(50, 66, 14, fillColor=BLUE, strokeColor=None),
            Rect(28, 14, 44, 38, rx=18, ry=18, fillColor=BLUE, strokeColor=None)]


def _talk() -> list[object]:
    return [Rect(10, 46, 52, 34, rx=8, ry=8, fillColor=BLUE, strokeColor=None),
            Polygon([20, 48, 32, 48, 16, 36], fillColor=BLUE, strokeColor=None),
            Rect(40, 16, 50, 30, rx=8, ry=8, fillColor=GREEN, strokeColor=None),
            Polygon([74, 18, 84, 18, 88, 6], fillColor=GREEN, strokeColor=None)]


def _goal() -> list[object]:
    return [Circle(50, 50, 38, fillColor=RED, strokeColor=None),
            Circle(50, 50, 27, fillColor=colors_white(), strokeColor=None),
            Circle(50, 50, 16, fillColor=RED, strokeColor=None),
            Circle(50, 50, 6, fillColor=colors_white(), strokeColor=None)]


def _services() -> list[object]:
    return [Polygon([14, 52, 50, 84, 86, 52], fillColor=BLUE, strokeColor=None),
            Rect(22, 14, 56, 40, fillColor=BLUE, strokeColor=None),
            Rect(42, 14, 16, 24, fillColor=colors_white(), strokeColor=None)]


def _advice() -> list[object]:
    return [Circle(36, 58, 17, fillColor=RED, strokeColor=None),
            Circle(64, 58, 17, fillColor=RED, strokeColor=None),
            Polygon([20.5, 51, 79.5, 51, 50, 18], fillColor=RED, strokeColor=None)]


def _next() -> list[object]:
    out: list[object] = [Rect(14, 14, 72, 66, rx=6, ry=6, fillColor=colors_white(),
                              strokeColor=BLUE, strokeWidth=4),
                         Rect(14, 64, 72, 16, fillColor=BLUE, strokeColor=None)]
    for row in range(3):
        for col in range(4):
            x, y = 22 + col * 16, 48 - row * 14
            out.append(Rect(x, y, 9, 8, fillColor=GREEN if (row, col) == (1, 2) else PALE,
                            strokeColor=None))
    return out


def _help() -> list[object]:
    return [Rect(32, 10, 36, 80, rx=8, ry=8, fillColor=RED, strokeColor=None),
            Rect(37, 24, 26, 54, fillColor=colors_white(), strokeColor=None),
            Circle(50, 17, 4, fillColor=colors_white(), strokeColor=None)]


def _letter() -> list[object]:
    return [Rect(12, 24, 76, 52, fillColor=colors_white(), strokeColor=BLUE, strokeWidth=4),
            Line(12, 76, 50, 46, strokeColor=BLUE, strokeWidth=4),
            Line(88, 76, 50, 46, strokeColor=BLUE, strokeWidth=4)]


def _info() -> list[object]:
    return [Circle(50, 50, 36, fillColor=BLUE, strokeColor=None),
            Rect(45, 24, 10, 34, fillColor=colors_white(), strokeColor=None),
            Circle(50, 70, 6, fillColor=colors_white(), strokeColor=None)]


def _no() -> list[object]:
    return [Circle(50, 50, 36, fillColor=colors_white(), strokeColor=RED, strokeWidth=9),
            Line(25, 25, 75, 75, strokeColor=RED, strokeWidth=9)]


def _chart() -> list[object]:
    out: list[object] = [Line(14, 14, 88, 14, strokeColor=INK, strokeWidth=3),
                         Line(14, 14, 14, 86, strokeColor=INK, strokeWidth=3)]
    for i, h in enumerate((60, 46, 34, 22)):
        out.append(Rect(22 + i * 17, 16, 11, h, fillColor=GREEN, strokeColor=None))
    return out


def colors_white() -> object:
    return white


_DRAW = {"person": _person, "talk": _talk, "goal": _goal, "services": _services,
         "advice": _advice, "next": _next, "help": _help, "letter": _letter, "info": _info,
         "no": _no, "chart": _chart}
