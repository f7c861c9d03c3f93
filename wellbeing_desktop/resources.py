"""Where the shipped `resources/` folder is: a source checkout, an editable install or a bundle.

Kept outside the layers so that every layer, the domain included, can find its data files.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

RESOURCES_ENV = "WELLBEING_RESOURCES_DIR"


def resources_dir() -> Path:
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
