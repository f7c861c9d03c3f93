"""Pictures beside each idea in easy read documents: OpenMoji (CC BY-SA 4.0), shipped as SVG in
`resources/pictures/` and drawn as reportlab vector graphics (svglib), so they print sharply.

`index.json` there names each picture and says what it means (its alternative text). The
attribution the licence asks for is printed on the last page of every easy read document.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from typing import Any

from reportlab.graphics.shapes import Drawing, Group

from wellbeing_desktop.resources import resource

ATTRIBUTION = ("Pictures: OpenMoji, the open-source emoji and icon project (openmoji.org), "
               "licence CC BY-SA 4.0.")


@cache
def index() -> dict[str, dict[str, str]]:
    data = json.loads((resource("pictures") / "index.json").read_text(encoding="utf-8"))
    return {str(k): {"file": str(v["file"]), "means": str(v["means"])} for k, v in data.items()}


PICTURES = tuple(index())


def meaning(name: str) -> str:
    """What the picture stands for, as alternative text."""
    return index()[name]["means"]


@cache
def _template(name: str) -> tuple[Any, float, float]:
    from svglib.svglib import svg2rlg

    # svglib warns about SVG features it ignores (none that OpenMoji's drawings need).
    logging.getLogger("svglib").setLevel(logging.ERROR)
    drawing = svg2rlg(str(resource("pictures") / index()[name]["file"]))
    if drawing is None:
        raise ValueError(f"picture {name!r} could not be read")
    group = Group(*drawing.contents)
    return group, float(drawing.width), float(drawing.height)


@cache
def _svg(name: str) -> bytes:
    return (resource("pictures") / index()[name]["file"]).read_bytes()


def picture(name: str, size: float) -> Drawing:
    """Picture `name` as a square drawing `size` points wide."""
    group, width, height = _template(name)
    scale = size / max(width, height)
    d = Drawing(size, size)
    holder = Group(group)
    holder.transform = (scale, 0, 0, scale, (size - width * scale) / 2,
                        (size - height * scale) / 2)
    d.add(holder)
    # Drawing refuses unknown attributes; these are for the accessible HTML copy.
    d.__dict__["alt_text"] = meaning(name)
    d.__dict__["svg"] = _svg(name)
    return d
