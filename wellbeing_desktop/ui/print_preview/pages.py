"""PDF bytes → page images, in memory (no temporary file holds client data).

This module is the only one that touches PDFium (a test checks no other module imports
pypdfium2). PDFium is not thread-safe: two renders at once (a preview on the pool, a zoom
starting a second one, a print) abort or segfault the process. So every call into it — open,
count, render, close — happens while holding `PDFIUM`, one process-wide lock; only the
conversion of the finished bitmap to a QImage runs outside it.
"""

from __future__ import annotations

import threading

import pypdfium2 as pdfium
from PySide6.QtGui import QImage

# Re-entrant so that a caller can hold it across several calls (e.g. one print job).
PDFIUM = threading.RLock()


def page_count(pdf: bytes) -> int:
    with PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        try:
            return len(doc)
        finally:
            doc.close()


def render_pages(pdf: bytes, dpi: float = 96.0, first: int = 0,
                 last: int | None = None) -> list[QImage]:
    """Render pages [first, last) at `dpi`; safe on any thread (QImage, not QPixmap)."""
    rendered: list[tuple[bytes, int, int]] = []
    with PDFIUM:
        doc = pdfium.PdfDocument(pdf)
        try:
            end = len(doc) if last is None else min(last, len(doc))
            for index in range(first, end):
                page = doc[index]
                try:
                    bitmap = page.render(scale=dpi / 72.0, rev_byteorder=True)
                    try:
                        pil = bitmap.to_pil().convert("RGB")  # copies out of PDFium's buffer
                    finally:
                        bitmap.close()
                finally:
                    page.close()
                rendered.append((pil.tobytes(), pil.width, pil.height))
        finally:
            doc.close()
    images: list[QImage] = []
    for data, width, height in rendered:
        image = QImage(data, width, height, width * 3, QImage.Format.Format_RGB888)
        images.append(image.copy())  # own the pixels before `data` goes away
    return images
