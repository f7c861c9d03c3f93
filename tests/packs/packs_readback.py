"""Read printed documents back with pypdf: text per page, font sizes, fonts, metadata."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from pypdf import PdfReader


@dataclass
class ReadBack:
    pages: list[str]
    sizes: list[float] = field(default_factory=list)   # every font size text was set in
    fonts: set[str] = field(default_factory=set)
    metadata: dict[str, str] = field(default_factory=dict)
    lang: str = ""

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def read_pdf(pdf: bytes) -> ReadBack:
    reader = PdfReader(io.BytesIO(pdf))
    sizes: list[float] = []
    fonts: set[str] = set()

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            # The size on paper: the font size times the text and page transforms' scale
            # (a scaled drawing, like the measures chart, scales its text too).
            scale = (abs(tm[3]) or 1.0) * (abs(cm[3]) or 1.0)
            sizes.append(round(size * scale, 2))
            if isinstance(font, dict):
                fonts.add(str(font.get("/BaseFont", "")))

    pages = [page.extract_text(visitor_text=visit) for page in reader.pages]
    meta = {k: str(v) for k, v in (reader.metadata or {}).items()}
    lang = str(reader.trailer["/Root"].get("/Lang", ""))
    return ReadBack(pages, sizes, fonts, meta, lang)

