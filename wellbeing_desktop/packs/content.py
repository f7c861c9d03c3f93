"""The fixed text of every document, per language (resources/packs/<language>/).

A language is a folder holding `text.json` (every fixed sentence), `easy_read.json` (easy-read
wording that replaces the standard one) and `advice.json` ("Looking after yourself" per needs
domain). Adding a language is adding a folder; a lead can point the app at an edited copy
(`packs.content_dir` in settings). Missing sentences in a language fall back to English, so a
half-translated folder still prints whole documents.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from wellbeing_desktop.resources import resource

FALLBACK = "en"


class ContentError(Exception):
    """The content folder is missing or damaged; `str()` says which file and why."""


def content_roots(override: Path | str | None = None) -> list[Path]:
    roots = []
    if override:
        roots.append(Path(override))
    roots.append(resource("packs"))
    return roots


def available_languages(override: Path | str | None = None) -> list[str]:
    found: set[str] = set()
    for root in content_roots(override):
        if root.is_dir():
            found.update(p.name for p in root.iterdir() if (p / "text.json").is_file())
    return sorted(found)


def language_name(language: str, override: Path | str | None = None) -> str:
    """The language's own name for itself, from its text.json (the code if it has none)."""
    for root in content_roots(override):
        name = _load(root / language / "text.json").get("language_name")
        if isinstance(name, str) and name:
            return name
    return language


def _load(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ContentError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ContentError(f"{path}: expected an object of named texts")
    return data


def _layered(language: str, name: str, override: Path | str | None) -> dict[str, Any]:
    """English under the language, bundled under the lead's override folder."""
    merged: dict[str, Any] = {}
    langs = [FALLBACK] if language == FALLBACK else [FALLBACK, language]
    for lang in langs:
        for root in reversed(content_roots(override)):
            merged.update(_load(root / lang / name))
    return merged


def _refuse_changed_meaning(language: str, override: Path | str | None) -> None:
    """A translation whose numbers or placeholders differ from the English is not used: a
    wrong phone number or "41 units a week" must never print (hazard log H10)."""
    from wellbeing_desktop.packs.translation_check import compare

    text = _layered(FALLBACK, "text.json", override)
    easy = {**text, **_layered(FALLBACK, "easy_read.json", override)}
    english = {"text.json": text, "easy_read.json": easy,
               "advice.json": _layered(FALLBACK, "advice.json", override)}
    problems: list[str] = []
    for root in content_roots(override):
        for name, theirs in english.items():
            path = root / language / name
            problems += compare(theirs, _load(path), path)
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ContentError(f"The {language} printed text was not used: it differs from the "
                           "English in a way that could change its meaning. "
                           + "; ".join(problems[:3]) + more)


@dataclass(frozen=True)
class Advice:
    title: str
    lines: tuple[str, ...]


class Content:
    def __init__(self, language: str, variant: str, override: Path | str | None = None) -> None:
        if language not in available_languages(override):
            raise ContentError(
                f"There is no printed text in language {language!r} yet "
                f"(available: {', '.join(available_languages(override))}).")
        if language != FALLBACK:
            _refuse_changed_meaning(language, override)
        self.language = language
        self.variant = variant
        self._text = _layered(language, "text.json", override)
        self._text.update(_layered(language, "letters.json", override))
        if variant == "easy-read":
            self._text.update(_layered(language, "easy_read.json", override))
            self._text.update(_layered(language, "letters_easy_read.json", override))
        self._advice = _layered(language, "advice.json", override)

    def raw(self, key: str) -> Any:
        try:
            return self._text[key]
        except KeyError:
            raise ContentError(f"text {key!r} is missing from the {self.language} content") from None

    def has(self, key: str) -> bool:
        return key in self._text

    def t(self, key: str, **values: Any) -> str:
        value = self.raw(key)
        if not isinstance(value, str):
            raise ContentError(f"text {key!r} should be one sentence")
        return value.format(**values) if values else value

    def items(self, key: str) -> list[str]:
        value = self.raw(key)
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def advice(self, topic: str) -> Advice | None:
        entry = self._advice.get(topic)
        if isinstance(entry, dict) and isinstance(entry.get("same_as"), str):
            entry = self._advice.get(entry["same_as"])  # one topic known by two codes
        if not isinstance(entry, dict):
            return None
        lines = entry.get("easy" if self.variant == "easy-read" else "standard") or []
        return Advice(str(entry.get("title", topic)), tuple(str(x) for x in lines))

    def measure_label(self, name: str) -> str:
        return str(self._text.get(f"measure.{name}", name))

    def date(self, day: date) -> str:
        return self.t("date", weekday=self.raw("days")[day.weekday()], day=day.day,
                      month=self.raw("months")[day.month - 1], year=day.year)

    def time(self, at: datetime) -> str:
        hour = at.hour % 12 or 12
        return self.t("time", hour=hour, minute=at.minute,
                      ampm=self.raw("am") if at.hour < 12 else self.raw("pm"))
