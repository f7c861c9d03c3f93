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



def actual_texts(pdf: bytes, page: int = 0) -> list[str]:
    """The logical text of each shaped line, from its marked-content span's /ActualText
    (what a conforming reader copies, searches and reads aloud)."""
    import re

    data = PdfReader(io.BytesIO(pdf)).pages[page].get_contents().get_data().decode("latin-1")
    return [bytes.fromhex(h).decode("utf-16-be").lstrip("\ufeff")
            for h in re.findall(r"/ActualText <([0-9A-F]+)>", data)]


def _to_unicode(font: object) -> dict[int, str]:
    import re

    out: dict[int, str] = {}
    if "/ToUnicode" not in font:   # type: ignore[operator]
        return {code: chr(code) for code in range(32, 127)}   # a standard font
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")  # type: ignore[index]
    for code, uni in re.findall(r"<([0-9A-Fa-f]{2})> <([0-9A-Fa-f]+)>", cmap):
        # reportlab writes each character's code point in hex (not UTF-16 pairs).
        out[int(code, 16)] = chr(int(uni, 16))
    return out


def glyph_lines(pdf: bytes, page: int = 0) -> list[str]:
    """Each line's drawn glyphs from left to right, as characters (joined Arabic forms folded
    back to their letters with NFKC; glyphs with no character of their own left out): the
    order a reader's eye meets them on paper. Reads the content stream itself, because text
    extractors reorder right-to-left text by their own rules."""
    import unicodedata

    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(pdf))
    pg = reader.pages[page]
    fonts = pg["/Resources"]["/Font"]
    maps: dict[str, dict[int, str]] = {}
    glyphs: list[tuple[float, float, str]] = []
    cm = [(0.0, 0.0)]
    x = y = 0.0
    current: dict[int, str] = {}
    for operands, op in ContentStream(pg.get_contents(), reader).operations:
        if op == b"q":
            cm.append(cm[-1])
        elif op == b"Q":
            cm.pop()
        elif op == b"cm":
            cm[-1] = (cm[-1][0] + float(operands[4]), cm[-1][1] + float(operands[5]))
        elif op == b"Tm":
            x, y = float(operands[4]), float(operands[5])
        elif op == b"Tf":
            name = str(operands[0])
            if name not in maps:
                maps[name] = _to_unicode(fonts[name].get_object())
            current = maps[name]
        elif op == b"Tj":
            raw = bytes(operands[0].original_bytes if hasattr(operands[0], "original_bytes")
                        else operands[0])
            text = "".join(current.get(b, "") for b in raw)
            glyphs.append((round(cm[-1][1] + y), cm[-1][0] + x, text))
    lines: dict[float, list[tuple[float, str]]] = {}
    for gy, gx, text in glyphs:
        lines.setdefault(gy, []).append((gx, text))
    out = []
    for gy in sorted(lines, reverse=True):
        text = "".join(t for _, t in sorted(lines[gy], key=lambda g: g[0]))
        text = "".join(ch for ch in text if not 0xE000 <= ord(ch) <= 0xF8FF)
        out.append(unicodedata.normalize("NFKC", text).strip())
    return out


def readable_text(pdf: bytes) -> str:
    """Each shaped line in logical order (its ActualText), then the plain extraction: what a
    test searches for words in, whatever the script."""
    back = read_pdf(pdf)
    lines = [line for p in range(len(back.pages)) for line in actual_texts(pdf, p)]
    return ("\n".join(lines) + "\n" + " ".join(back.text.split())).replace("\u00a0", " ")
