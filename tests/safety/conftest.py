"""Area fixtures: the packs read-back helper beside the packs tests is importable by name."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "packs"))
