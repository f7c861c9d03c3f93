"""The fixed text of every document, per language.

English is the source: `resources/packs/en/` holds `text.json` (every fixed sentence),
`easy_read.json` (easy-read wording that replaces the standard one) and `advice.json`
("Looking after yourself" per needs domain). Other languages are gettext catalogues,
`locale/<code>.po` (see `catalogues`), each with its review status. A lead can point the app at
a folder of edited or added files (`packs.content_dir` in settings); files there come first.
Untranslated sentences print in English, so a half-translated catalogue still prints whole
documents (and says it is a draft). Two pseudo-languages (see `pseudo`) test layouts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from string import Formatter
from typing import Any

from wellbeing_desktop.domain.languages import language_name as english_name
from wellbeing_desktop.packs import catalogues, pseudo
from wellbeing_desktop.packs.catalogues import Status
from wellbeing_desktop.packs.passage_lang import Passage
from wellbeing_desktop.resources import resource

FALLBACK = "en"
SOURCE_STATUS = Status(catalogues.SOURCE)


class ContentError(Exception):
    """The content folder is missing or damaged; `str()` says which file and why."""


def content_roots(override: Path | str | None = None) -> list[Path]:
    roots = []
    if override:
        roots.append(Path(override))
    roots.append(resource("packs"))
    return roots


def catalogue_path(language: str, override: Path | str | None = None) -> Path | None:
    for root in content_roots(override):
        path = root / "locale" / f"{language}.po"
        if path.is_file():
            return path
    return None


def available_languages(override: Path | str | None = None, *, pseudo_languages: bool = False
                        ) -> list[str]:
    """English, every language with a catalogue (or, from before catalogues, a folder with
    its own text.json), and the pseudo-languages when asked for."""
    found: set[str] = {FALLBACK}
    for root in content_roots(override):
        if (root / "locale").is_dir():
            found.update(p.stem for p in (root / "locale").glob("*.po"))
        if root.is_dir():
            found.update(p.name for p in root.iterdir() if (p / "text.json").is_file())
    if pseudo_languages:
        found.update(pseudo.CODES)
    return sorted(found, key=lambda code: (code != FALLBACK, english_name(code)))


def language_name(language: str, override: Path | str | None = None) -> str:
    """The language's English name ("Arabic"), never its code."""
    return english_name(language)


def language_status(language: str, override: Path | str | None = None) -> Status:
    """Whether the printed text in `language` has been reviewed, by whom and when."""
    if language == FALLBACK:
        return SOURCE_STATUS
    if language in pseudo.CODES:
        return Status(catalogues.DRAFT, "", None, 0, 0)
    path = catalogue_path(language, override)
    if path is None:
        return Status(catalogues.DRAFT)   # an old-style folder: nobody recorded a review
    return catalogues.read(path)[1]


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


def _plural(value: dict[str, Any], count: int) -> Any:
    """English {"one", "other"}, or a catalogue's forms with its plural rule."""
    if "forms" in value:
        import gettext

        index = int(gettext.c2py(value["rule"])(count)) if value.get("rule") else 0
        forms = value["forms"]
        return forms[min(index, len(forms) - 1)]
    return value["one"] if count == 1 else value["other"]


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


def _refuse_changed_meaning_of(problems: list[str], language: str) -> None:
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ContentError(f"The {english_name(language)} printed text was not used: it differs "
                           "from the English in a way that could change its meaning. "
                           + "; ".join(problems[:3]) + more)


def _refuse_changed_catalogue(language: str, path: Path,
                              english: tuple[dict[str, Any], ...],
                              translated: tuple[dict[str, Any], ...]) -> None:
    """The same numbers check for a catalogue's sentences (hazard log H10)."""
    from wellbeing_desktop.packs.translation_check import compare

    problems: list[str] = []
    for theirs, ours in zip(english, translated, strict=True):
        plain = {k: v for k, v in theirs.items() if k != "pictures"}
        problems += compare(plain, {k: v for k, v in ours.items() if k in plain}, path)
    _refuse_changed_meaning_of(problems, language)


@dataclass(frozen=True)
class Advice:
    title: str
    lines: tuple[str, ...]


class Content:
    def __init__(self, language: str, variant: str, override: Path | str | None = None) -> None:
        if language not in available_languages(override) and language not in pseudo.CODES:
            names = ", ".join(english_name(code) for code in available_languages(override))
            raise ContentError(
                f"There is no printed text in {english_name(language)} yet (available: {names}).")
        if language != FALLBACK and language not in pseudo.CODES:
            _refuse_changed_meaning(language, override)
        self.language = language
        self.variant = variant
        text = _layered(language, "text.json", override)
        text.update(_layered(language, "letters.json", override))
        text.update(_layered(language, "courses.json", override))
        easy = _layered(language, "easy_read.json", override)
        easy.update(_layered(language, "letters_easy_read.json", override))
        advice = _layered(language, "advice.json", override)
        self.status = language_status(language, override)
        path = catalogue_path(language, override)
        if path is not None:
            catalog, _ = catalogues.read(path)
            # A lead's own wording (an old-style `<code>/text.json`) wins over a catalogue.
            own = {key for root in content_roots(override) for name in
                   ("text.json", "letters.json", "easy_read.json", "letters_easy_read.json",
                    "courses.json")
                   for key in _load(root / language / name)}
            found = {context: value for context, value in catalogues.translations(catalog).items()
                     if context.removeprefix("easy-read:").split("[")[0] not in own}
            rule = catalog.plural_expr
            translated = (catalogues.apply(text, "", found, rule),
                          catalogues.apply(easy, "easy-read:", found, rule),
                          catalogues.apply(advice, "advice:", found, rule))
            _refuse_changed_catalogue(language, path, (text, easy, advice), translated)
            text, easy, advice = translated
            self._found: set[str] | None = set(found)
            self._own = own
        else:
            self._found, self._own = None, set()   # English, pseudo or an old-style folder
        if language in pseudo.CODES:
            text, easy, advice = (pseudo.transform(language, d) for d in (text, easy, advice))
        self._english = _layered(FALLBACK, "text.json", override)
        self._text = text
        if variant == "easy-read":
            self._text.update(easy)
        self._advice = advice
        # The English under every sentence: a sentence left untranslated prints in English
        # whole, with its dates, times and coded words in English too (never "on মঙ্গলবার").
        source = {**self._english, **_layered(FALLBACK, "letters.json", override),
                  **_layered(FALLBACK, "courses.json", override)}
        self._easy_keys: set[str] = set()
        if variant == "easy-read":
            easy_source = {**_layered(FALLBACK, "easy_read.json", override),
                           **_layered(FALLBACK, "letters_easy_read.json", override)}
            source.update(easy_source)
            self._easy_keys = set(easy_source)
        self._source = source
        self._source_advice = _layered(FALLBACK, "advice.json", override)
        # Every passage handed out → the language it is in (the accessible copy's `lang`).
        self.passages: dict[str, Passage] = {}

    def raw(self, key: str) -> Any:
        try:
            return self._text[key]
        except KeyError:
            raise ContentError(f"text {key!r} is missing from the {self.language} content") from None

    def pictures(self, key: str) -> tuple[str, ...]:
        """Easy read: the picture beside each idea of a sentence, in order."""
        found = self._text.get("pictures")
        names = found.get(key) if isinstance(found, dict) else None
        return tuple(str(n) for n in names) if isinstance(names, list) else ()

    def english(self, key: str) -> str:
        """A sentence in English whatever the language (notes for the practitioner)."""
        value = self._english.get(key)
        if not isinstance(value, str):
            raise ContentError(f"text {key!r} is missing from the English content")
        return value

    def has(self, key: str) -> bool:
        return key in self._text

    def translated(self, key: str, index: int | None = None) -> bool:
        """Whether the sentence (or item `index` of a list) is in the content's language;
        False when it falls back to the English."""
        if self.language == FALLBACK:
            return True
        if self._found is not None:   # what the translator filled (it may equal the English)
            if key in self._own:    # the lead's own wording for the whole entry
                return True
            context = ("easy-read:" if key in self._easy_keys else "") + key
            return (context if index is None else f"{context}[{index}]") in self._found
        mine, english = self._text.get(key), self._source.get(key)
        if index is not None:
            mine = mine[index] if isinstance(mine, list) and index < len(mine) else None
            english = (english[index] if isinstance(english, list) and index < len(english)
                       else None)
        return mine is not None and mine != english

    def lang_of(self, key: str, index: int | None = None) -> str:
        return self.language if self.translated(key, index) else FALLBACK

    def _fill(self, value: Any, key: str, values: dict[str, Any]
              ) -> tuple[str, tuple[tuple[int, int], ...]]:
        """The sentence with its values put in, and where each value went."""
        if isinstance(value, dict) and "count" in values:
            value = _plural(value, int(values["count"]))
        if not isinstance(value, str):
            raise ContentError(f"text {key!r} should be one sentence")
        if not values:
            return value, ()
        out: list[str] = []
        holes: list[tuple[int, int]] = []
        at = 0
        for literal, field, spec, conversion in Formatter().parse(value):
            out.append(literal)
            at += len(literal)
            if field is None:
                continue
            if field not in values:
                raise KeyError(field)
            got: Any = values[field]
            if conversion:
                got = {"r": repr, "a": ascii}.get(conversion, str)(got)
            text = format(got, spec or "")
            holes.append((at, at + len(text)))
            out.append(text)
            at += len(text)
        return "".join(out), tuple(holes)

    def fill(self, key: str, values: dict[str, Any], index: int | None = None) -> Localised:
        """The sentence `key` (item `index` of a list) with `values` put in, in one language:
        when it falls back to English, its localised values are put in in English too.
        KeyError when a value it needs is not given."""
        mine = self.raw(key) if index is None else self.items(key)[index]
        english = self._source.get(key, mine)
        if index is not None:
            english = english[index] if isinstance(english, list) else mine
        english_values = {k: v.english if isinstance(v, Localised) else v
                          for k, v in values.items()}
        in_english = self._fill(english, key, english_values)
        if self.translated(key, index):
            (text, holes), lang = self._fill(mine, key, values), self.language
        else:
            (text, holes), lang = in_english, FALLBACK
        return self.passage(text, lang, in_english[0], holes)

    def passage(self, text: str, lang: str, english: str | None = None,
                holes: tuple[tuple[int, int], ...] = ()) -> Localised:
        """Note the language a piece of text is in, for the accessible copy."""
        if text.strip():
            self.passages.setdefault(text, Passage(lang, holes))
        return Localised(text, english if english is not None else text)

    def t(self, key: str, **values: Any) -> str:
        return self.fill(key, values)

    def items(self, key: str) -> list[str]:
        value = self.raw(key)
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def advice(self, topic: str) -> Advice | None:
        entry = self._advice.get(topic)
        if isinstance(entry, dict) and isinstance(entry.get("same_as"), str):
            entry = self._advice.get(entry["same_as"])  # one topic known by two codes
        if not isinstance(entry, dict):
            return None
        field = "easy" if self.variant == "easy-read" else "standard"
        lines = entry.get(field) or []
        english = self._source_advice.get(topic)
        if isinstance(english, dict) and isinstance(english.get("same_as"), str):
            english = self._source_advice.get(english["same_as"])
        english = english if isinstance(english, dict) else {}
        theirs = english.get(field) or []

        def note(text: str, source: object) -> str:
            return self.passage(text, FALLBACK if self.language != FALLBACK and text == source
                                else self.language)

        title = note(str(entry.get("title", topic)), english.get("title"))
        return Advice(title, tuple(note(str(x), theirs[i] if i < len(theirs) else None)
                                   for i, x in enumerate(lines)))

    def translated_advice(self, topic: str) -> bool:
        entry, english = self._advice.get(topic), self._source_advice.get(topic)
        if isinstance(english, dict) and isinstance(english.get("same_as"), str):
            entry = self._advice.get(english["same_as"])
            english = self._source_advice.get(english["same_as"])
        if self.language == FALLBACK:
            return True
        return (isinstance(entry, dict) and isinstance(english, dict)
                and entry.get("title") != english.get("title"))

    def measure_label(self, name: str) -> str:
        return str(self._text.get(f"measure.{name}", name))

    def join(self, items: list[str] | tuple[str, ...], and_key: str) -> Localised:
        """"a, b and c", with the English beside it for an untranslated sentence."""
        def joined(words: list[str], conjunction: str) -> str:
            if len(words) <= 1:
                return "".join(words)
            return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"

        and_ = self.t(and_key)
        english = [w.english if isinstance(w, Localised) else w for w in items]
        return self.passage(joined(list(items), and_), self.lang_of(and_key),
                            joined(english, getattr(and_, "english", and_)))

    def word(self, key: str, index: int | None = None) -> Localised:
        """A day or month name, in the language with the English beside it."""
        mine = self.raw(key) if index is None else self.raw(key)[index]
        english = self._source.get(key, mine)
        english = english[index] if index is not None and isinstance(english, list) else english
        return self.passage(str(mine), self.lang_of(key, index), str(english))

    def date(self, day: date) -> str:
        return self.t("date", weekday=self.word("days", day.weekday()), day=day.day,
                      month=self.word("months", day.month - 1), year=day.year)

    def time(self, at: datetime) -> str:
        hour = at.hour % 12 or 12
        return self.t("time", hour=hour, minute=at.minute,
                      ampm=self.word("am" if at.hour < 12 else "pm"))


class Localised(str):
    """Text in the document's language that knows its English (a date, a coded word), so an
    untranslated sentence can put it in in English."""

    english: str

    def __new__(cls, text: str, english: str) -> Localised:
        obj = super().__new__(cls, text)
        obj.english = english
        return obj
