"""PDF bytes → page images, in memory (no temporary file holds client data)."""

from __future__ import annotations

import pypdfium2 as pdfium
from PySide6.QtGui import QImage


def page_count(pdf: bytes) -> int:
    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


def render_pages(pdf: bytes, dpi: float = 96.0, first: int = 0,
                 last: int | None = None) -> list[QImage]:
    """Render pages [first, last) at `dpi`; safe to call on a worker thread (QImage, not QPixmap)."""
    doc = pdfium.PdfDocument(pdf)
    try:
        end = len(doc) if last is None else min(last, len(doc))
        images: list[QImage] = []
        for index in range(first, end):
            page = doc[index]
            bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True)
            pil = bitmap.to_pil().convert("RGB")
            data = pil.tobytes()
            image = QImage(data, pil.width, pil.height, pil.width * 3, QImage.Format.Format_RGB888)
            images.append(image.copy())  # own the pixels before `data` goes away
            page.close()
        return images
    finally:
        doc.close()
