"""Directory text as a practitioner reads it: HTML or Markdown from a feed → clean plain text.

HSDS says descriptions "can contain markup such as HTML or Markdown", and real council feeds
send HTML (`<p>`, `<h4>`, `&nbsp;`, `&amp;`). We keep what the feed said and show, print and
search this clean text: paragraphs, line breaks, lists and links kept (a link as "text (url)"),
every tag and entity resolved, anything active removed. The sanitising is nh3 (the Ammonia
sanitiser): scripts and styles go with their content, event attributes go, and only http(s)
links survive; Markdown is rendered by markdown-it-py first. Turning the sanitised HTML into
text is the standard library's HTML parser, walking tags (no regular expressions over markup).
"""

from __future__ import annotations

import html
from functools import lru_cache
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt

_BLOCKS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
                     "blockquote", "pre", "table", "tr", "section", "article", "dl", "dt",
                     "dd", "address", "hr"})
_ALLOWED_TAGS = _BLOCKS | {"br", "a", "strong", "em", "b", "i", "u", "span", "td", "th",
                          "tbody", "thead", "sup", "sub", "small", "code"}
# Characters that mean the text may be more than plain text (fast path for the rest).
_MAYBE_MARKUP = frozenset("<>&*_#[]`-+0123456789|")


def clean_text(raw: str | None) -> str:
    """Plain text for display, print and search (empty for None or whitespace)."""
    if raw is None:
        return ""
    text = str(raw)
    if not text.strip():
        return ""
    if not any(ch in _MAYBE_MARKUP for ch in text):
        return _tidy(text)
    return _clean(text)


@lru_cache(maxsize=4096)  # the same organisation or eligibility text repeats across a feed
def _clean(text: str) -> str:
    if nh3.is_html(text):
        return _html_to_text(text)
    if _is_markdown(text):
        return _html_to_text(_markdown().render(text))
    return _tidy(html.unescape(text))


def is_markup(raw: str | None) -> bool:
    """True when the text is HTML or Markdown (a data-quality note, not an error)."""
    if not raw:
        return False
    return bool(nh3.is_html(raw)) or _is_markdown(raw)


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    # Raw HTML inside Markdown is escaped (html=False); single newlines are line breaks, as
    # people who type into a directory's form expect.
    return MarkdownIt("commonmark", {"html": False, "breaks": True})


_PLAIN_BLOCKS = frozenset({"paragraph_open", "paragraph_close", "inline"})
_PLAIN_INLINE = frozenset({"text", "softbreak"})


def _is_markdown(text: str) -> bool:
    """Whether markdown-it finds any structure (lists, emphasis, links, headings) in it."""
    for token in _markdown().parse(text):
        if token.type not in _PLAIN_BLOCKS:
            return True
        if token.type == "inline" and any(c.type not in _PLAIN_INLINE
                                          for c in token.children or ()):
            return True
    return False


def _html_to_text(markup: str) -> str:
    safe = nh3.clean(
        markup,
        tags=set(_ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https"},
        link_rel=None,
        strip_comments=True,
    )
    walker = _TextWalker()
    walker.feed(safe)
    walker.close()
    return walker.text()


class _TextWalker(HTMLParser):
    """Sanitised HTML → text: blocks become paragraphs, `<br>` a line break, list items
    "• " (or "1. "), links "text (url)" unless the text already is the address."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list[int]] = []  # per open list: [is_ordered, counter]
        self.links: list[tuple[str, int]] = []  # (href, index of the first part of its text)

    def _break(self, kind: str) -> None:
        self.parts.append(kind)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._break("\n")
        elif tag in ("ul", "ol"):
            self._break("\n\n" if not self.lists else "\n")
            self.lists.append([1 if tag == "ol" else 0, 0])
        elif tag == "li":
            self._break("\n")
            depth = max(len(self.lists) - 1, 0)
            if self.lists and self.lists[-1][0]:
                self.lists[-1][1] += 1
                bullet = f"{self.lists[-1][1]}. "
            else:
                bullet = "• "
            self.parts.append("\x00" + "  " * depth + bullet)
        elif tag in _BLOCKS:
            self._break("\n\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self.links.append((href, len(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._break("\n\n" if not self.lists else "\n")
        elif tag in _BLOCKS and tag != "li":
            self._break("\n\n")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            shown = " ".join("".join(p for p in self.parts[start:] if p[:1] not in "\n\x00")
                             .split())
            if href and href.rstrip("/") not in shown and shown.rstrip("/") not in href:
                self.parts.append(f" ({href})")
            elif href and not shown:
                self.parts.append(href)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def text(self) -> str:
        out: list[str] = []
        pending = ""  # the strongest break waiting before the next text
        for part in self.parts:
            if part in ("\n", "\n\n"):
                if len(part) > len(pending):
                    pending = part
                continue
            if part.startswith("\x00"):  # a list bullet: its own line, indent kept
                pending = pending or "\n"
                out.append(pending if out else "")
                pending = ""
                out.append(part[1:])
                continue
            words = " ".join(part.replace("\xa0", " ").split())
            if not words:
                if part and out and not pending and not out[-1].endswith((" ", "\n")):
                    out.append(" ")
                continue
            if pending and out:
                out.append(pending)
            elif out and part[:1].isspace() and not out[-1].endswith((" ", "\n")):
                out.append(" ")
            pending = ""
            out.append(words)
            if part[-1:].isspace():
                out.append(" ")
        return _tidy("".join(out))


def _tidy(text: str) -> str:
    """Trim each line, at most one blank line between paragraphs, no blank lines at the ends."""
    lines = [" ".join(line.replace("\xa0", " ").split()) if not line.lstrip().startswith(
        ("• ", "- ")) else line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    out: list[str] = []
    for line in lines:
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        out.append(line if line.startswith("  ") else line.strip())
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)
