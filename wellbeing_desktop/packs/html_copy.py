"""The accessible copy of a printed document: one HTML file saved beside the PDF.

reportlab writes no structure tree (no tagged PDF: no headings, lists, reading order or
alternative text a screen reader can use), so every document is also written as plain,
self-contained HTML made from the same story the PDF is laid out from: headings as h1-h3,
bullet lines as lists, the crisis numbers as a table, each picture and chart as an image or
figure with alternative text, the document's language and direction on the root, each
paragraph's own direction from its text. Screen readers, browsers' reading modes, zoom and
high-contrast settings all work on it. See docs/packs.md ("Accessible copies").
"""

from __future__ import annotations

import base64
import re
from html import escape, unescape
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from wellbeing_desktop.packs.passage_lang import UNKNOWN, Passage, is_rtl, main_language, segments

HEADINGS = {"Title": "h1", "Heading": "h2", "Subheading": "h3", "BoxTitle": "h3"}
STRONG = {"Label", "Callout", "TightCallout"}

STYLE = """
body { font-family: "Noto Sans", Arial, sans-serif; font-size: 1.2rem; line-height: 1.5;
       max-width: 44rem; margin: 1rem auto; padding: 0 1rem; color: #212b32; }
h1 { color: #005eb8; } h2 { color: #003087; }
.box { background: #e8edee; border-inline-start: 4px solid #005eb8; padding: 0.5rem 1rem;
       margin: 1rem 0; }
.idea { display: flex; gap: 1rem; align-items: center; margin: 0.5rem 0; }
.idea img { width: 4rem; height: 4rem; flex: none; }
table { border-collapse: collapse; } th, td { text-align: start; padding: 0.2rem 0.8rem 0.2rem 0; }
"""


def _text(flowable: Any) -> str:
    plain = getattr(flowable, "_plain", None)
    if plain is None:
        raw = str(getattr(flowable, "text", "") or "")
        plain = re.sub(r"<[^>]+>", "", unescape(re.sub(r"<br\s*/?>", "\n", raw)))
    return str(plain).replace("\u00a0", " ")


def _style(flowable: Any) -> str:
    return str(getattr(getattr(flowable, "style", None), "name", ""))


def _lines(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


def _dir(lang: str) -> str:
    return "auto" if lang == UNKNOWN else "rtl" if is_rtl(lang) else "ltr"


def _attrs(lang: str) -> str:
    return f' lang="{escape(lang)}" dir="{_dir(lang)}"'


class _Writer:
    def __init__(self, passages: dict[str, Passage] | None = None, language: str = "en"
                 ) -> None:
        self.out: list[str] = []
        self.in_list = False
        self.passages = passages or {}
        self.language = language

    def tagged(self, tag: str, text: str, extra: str = "", inner: str = "") -> str:
        """`<tag lang dir>` around `text`, each run in another language in its own span."""
        runs = segments(text, self.passages, self.language)
        main = main_language(runs, self.language)
        body = "".join(_lines(run) if lang == main else f"<span{_attrs(lang)}>{_lines(run)}</span>"
                       for run, lang in runs)
        if inner:
            body = f"<{inner}>{body}</{inner}>"
        return f"<{tag}{extra}{_attrs(main)}>{body}</{tag}>"

    def close_list(self) -> None:
        if self.in_list:
            self.out.append("</ul>")
            self.in_list = False

    def para(self, flowable: Any) -> None:
        text = _text(flowable)
        if not text.strip():
            return
        style = _style(flowable)
        if style == "Bullet" or getattr(flowable, "bulletText", None) or getattr(
                flowable, "bullet", None):
            if not self.in_list:
                self.out.append("<ul>")
                self.in_list = True
            self.out.append(self.tagged("li", text))
            return
        self.close_list()
        tag = HEADINGS.get(style)
        if tag:
            self.out.append(self.tagged(tag, text))
        elif style in STRONG:
            self.out.append(self.tagged("p", text, inner="strong"))
        else:
            self.out.append(self.tagged("p", text))

    def drawing(self, drawing: Drawing) -> None:
        alt = drawing.__dict__.get("alt_text", "")
        svg = drawing.__dict__.get("svg")
        data = drawing.__dict__.get("data")
        if svg:
            src = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
            # The pictures' meanings are English words (resources/pictures).
            self.out.append(f'<img src="{src}" alt="{escape(alt)}"{_attrs("en")}>')
        elif data:   # a chart: its numbers as a table a screen reader can walk
            self.close_list()
            row_head = ' scope="row"'
            rows = "".join(f"<tr>{self.tagged('th', day, row_head)}"
                           f"<td>{escape(score)}</td></tr>" for day, score in data)
            self.out.append(f"<figure>{self.tagged('figcaption', alt)}"
                            f"<table><tr{_attrs('en')}><th scope=\"col\">Date</th>"
                            f"<th scope=\"col\">Score</th></tr>{rows}</table></figure>")
        elif alt:
            self.out.append(f'<p role="img" aria-label="{escape(alt)}"{_attrs("en")}></p>')

    def table(self, table: Table) -> None:
        self.close_list()
        rows = table._cellvalues
        width = max((len(r) for r in rows), default=0)
        pictured = any(isinstance(_first(c), Drawing) for r in rows for c in r)
        if width == 1:             # a tinted box around its content
            self.out.append('<div class="box">')
            for row in rows:
                for cell in row:
                    self.walk(_cell(cell))
            self.close_list()
            self.out.append("</div>")
        elif pictured:             # easy read: each idea beside its picture
            for row in rows:
                picture, content = _first(row[0]), _cell(row[1]) if len(row) > 1 else []
                if not isinstance(picture, Drawing):   # the heading row; a label
                    self.walk(_cell(row[0]) + content)
                    continue
                self.out.append('<div class="idea">')
                self.drawing(picture)
                self.out.append("<div>")
                self.walk(content)
                self.close_list()
                self.out.append("</div></div>")
        else:                      # a real table (the crisis numbers): first column heads
            self.out.append("<table>")
            for row in rows:
                cells = [" ".join(_text(f) for f in _cell(c) if _text(f)) for c in row]
                head, rest = cells[0], cells[1:]
                self.out.append("<tr>" + self.tagged("th", head, ' scope="row"')
                                + "".join(self.tagged("td", c) for c in rest) + "</tr>")
            self.out.append("</table>")

    def walk(self, flowables: list[Any]) -> None:
        for f in flowables:
            if isinstance(f, KeepTogether):
                self.walk(list(f._content))
            elif isinstance(f, Table):
                self.table(f)
            elif isinstance(f, Drawing):
                self.drawing(f)
            elif isinstance(f, Spacer):
                continue
            elif isinstance(f, Paragraph) or hasattr(f, "_plain") or hasattr(f, "text"):
                self.para(f)
            elif isinstance(f, list):
                self.walk(f)


def _first(cell: Any) -> Any:
    if isinstance(cell, list | tuple):
        return cell[0] if cell else None
    return cell


def _cell(cell: Any) -> list[Any]:
    if isinstance(cell, list | tuple):
        return list(cell)
    return [] if cell in ("", None) else [cell]


def html_copy(story: list[Flowable], *, title: str, language: str, rtl: bool,
              footer: str = "", passages: dict[str, Passage] | None = None) -> str:
    """The whole document as one HTML page (same story → same text, in reading order).
    `passages`: the content's sentences and the language each is in (`passage_lang`)."""
    writer = _Writer(passages, language)
    writer.walk(story)
    writer.close_list()
    if footer:
        writer.out.append(f"<footer>{writer.tagged('p', footer)}</footer>")
    body = "\n".join(writer.out)
    direction = "rtl" if rtl else "ltr"
    return (f'<!DOCTYPE html>\n<html lang="{escape(language)}" dir="{direction}">\n<head>\n'
            f'<meta charset="utf-8">\n<meta name="viewport" content="width=device-width">\n'
            f"{writer.tagged('title', title)}\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<main>\n{body}\n</main>\n</body>\n</html>\n")
