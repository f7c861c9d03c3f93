"""Render PDF pages to images (pdftoppm, poppler-utils) and compare them tolerantly.

Approved images live in tests/packs/approved/; regenerate them after a deliberate change with
`python tests/packs/packs_images.py` and look at every one before committing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops, ImageStat

HERE = Path(__file__).parent
APPROVED = HERE / "approved"
DPI = 50


def page_image(pdf: bytes, page: int = 1, dpi: int = DPI) -> Image.Image:
    if shutil.which("pdftoppm") is None:
        raise RuntimeError("pdftoppm (poppler-utils) is needed: apt-get install poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-f", str(page), "-l",
                        str(page), "-singlefile", str(src), str(Path(tmp) / "page")], check=True)
        return Image.open(Path(tmp) / "page.png").convert("L").copy()


def difference(a: Image.Image, b: Image.Image) -> float:
    """Per mille of pixels that differ clearly (by more than a quarter of the grey range);
    anti-aliasing and small font-hinting shifts stay near 0, a changed word does not."""
    if a.size != b.size:
        return 1000.0
    diff = ImageChops.difference(a, b).point(lambda v: 255 if v > 64 else 0)
    return 1000.0 * float(ImageStat.Stat(diff).mean[0]) / 255.0


def script_snapshots() -> dict[str, object]:
    import packs_samples as samples

    from wellbeing_desktop.packs.snapshot import Goal

    out = {}
    for script, text in samples.MULTILINGUAL_NAMES.items():
        out[script] = samples.plan(
            person_name=text.split()[-1], first_name=text.split()[-1], topics=(), services=(),
            crisis_contacts=(), goals=(Goal(text, (text, f"{text} 01632 960 555")),))
    return out


def main() -> None:
    sys.path.insert(0, str(HERE))
    from wellbeing_desktop.packs.documents import render

    APPROVED.mkdir(exist_ok=True)
    for script, snap in script_snapshots().items():
        page_image(render(snap)).save(APPROVED / f"{script}.png", optimize=True)
        print("wrote", APPROVED / f"{script}.png")


if __name__ == "__main__":
    main()
