"""The printed wording in other languages as gettext catalogues (PO files).

English stays the source (`resources/packs/en/*.json`); every sentence is one catalogue entry,
its context naming where it is used ("plan.intro", "easy-read:plan.intro",
"advice:housing.standard[0]", "days[2]"). A language is a file `locale/<code>.po` in a
content folder. Translators and their tools (Poedit, Weblate, OmegaT) know PO files; Babel
reads and writes them.

Each catalogue says in its header whether it is a draft or has been reviewed, by whom and
when (`X-Review-Status`, `X-Reviewed-By`, `X-Reviewed-On`; Babel drops headers it does not
know, so these are read and written here). An entry left empty or marked fuzzy prints in
English. Importing a translator's file checks placeholders, plural forms and lengths first.
"""

from __future__ import annotations

import gettext
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from wellbeing_desktop.domain.languages import language_name

REVIEWED = "reviewed"
DRAFT = "draft"
SOURCE = "source"   # English, which the service writes
MACHINE = "machine-unreviewed"
# Content files and the context prefix their entries carry. Letters' and courses' sentences
# share the documents' namespace (their keys start "letter.", "course."), as `Content` merges
# them.
SOURCES = (("text.json", ""), ("easy_read.json", "easy-read:"), ("advice.json", "advice:"),
           ("letters.json", ""), ("letters_easy_read.json", "easy-read:"), ("courses.json", ""))
_SKIP = {"language_name", "translation_status", "pictures"}   # notes for the practitioner stay English


class CatalogueError(Exception):
    """A catalogue cannot be read or imported; `problems` name each entry and what is wrong."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message + ("" if not problems else "\n" + "\n".join(problems)))
        self.problems = problems or []


@dataclass(frozen=True)
class Status:
    status: str               # "reviewed", "draft"
    reviewed_by: str = ""
    reviewed_on: date | None = None
    translated: int = 0       # entries with a translation
    total: int = 0
    # How a draft was made: "machine-unreviewed" for a machine translation nobody has checked
    # (`X-Draft-Origin`); empty for a translator's draft. A review clears it.
    origin: str = ""

    @property
    def reviewed(self) -> bool:
        return self.status in (REVIEWED, SOURCE)

    def describe(self) -> str:
        """Plain words for the practitioner."""
        if self.status == SOURCE:
            return "The source text"
        if self.reviewed:
            when = f" on {self.reviewed_on:%d %B %Y}" if self.reviewed_on else ""
            return f"Reviewed translation (checked by {self.reviewed_by or 'a reviewer'}{when})"
        part = (f"; {self.translated} of {self.total} sentences translated, the rest in English"
                if self.translated < self.total else "")
        if self.origin == MACHINE:
            return f"Draft machine translation, not checked by any person{part}"
        return f"Draft translation, not yet checked by a reviewer{part}"


# ---- English source → entries -----------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    context: str
    source: str | tuple[str, str]     # a sentence, or (one, other) for plurals


def _walk(prefix: str, value: Any) -> Iterator[Entry]:
    if isinstance(value, str):
        yield Entry(prefix, value)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(f"{prefix}[{i}]", item)
    elif isinstance(value, dict) and set(value) == {"one", "other"}:
        yield Entry(prefix, (str(value["one"]), str(value["other"])))
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "same_as":
                yield from _walk(f"{prefix}.{key}" if prefix else key, item)


def english_entries(english: dict[str, dict[str, Any]]) -> list[Entry]:
    """Every translatable sentence of the English content ({file name: its JSON})."""
    out: list[Entry] = []
    for file_name, prefix in SOURCES:
        data = english.get(file_name, {})
        for key, value in data.items():
            if key not in _SKIP:
                out.extend(_walk(f"{prefix}{key}", value))
    return out


# ---- reading and writing catalogues ----------------------------------------------------
_HEADER = re.compile(r'^"X-(Review-Status|Reviewed-By|Reviewed-On|Draft-Origin): (.*)\\n"\s*$',
                     re.M)


def _header_fields(text: str) -> dict[str, str]:
    head = text.split('\n\n', 1)[0]
    return {m.group(1): m.group(2).strip() for m in _HEADER.finditer(head)}


def read(path: Path) -> tuple[Catalog, Status]:
    try:
        text = path.read_text(encoding="utf-8")
        catalog = read_po(io.StringIO(text), abort_invalid=True)
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path}: cannot be read ({exc})") from exc
    except Exception as exc:  # babel's PoFileError and friends
        raise CatalogueError(f"{path}: not a readable PO file ({exc})") from exc
    fields = _header_fields(text)
    status = fields.get("Review-Status", DRAFT).lower()
    reviewed_on = None
    if fields.get("Reviewed-On"):
        try:
            reviewed_on = date.fromisoformat(fields["Reviewed-On"])
        except ValueError:
            reviewed_on = None
    entries = [m for m in catalog if m.id]
    translated = sum(1 for m in entries if _translated(m))
    status = status if status in (REVIEWED, DRAFT) else DRAFT
    origin = fields.get("Draft-Origin", "") if status == DRAFT else ""
    return catalog, Status(status, fields.get("Reviewed-By", ""), reviewed_on, translated,
                           len(entries), origin)


def _translated(message: Any) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(s for s in strings)


def write(path: Path, catalog: Catalog, status: Status) -> None:
    buf = io.BytesIO()
    write_po(buf, catalog, width=96, sort_output=False)
    text = buf.getvalue().decode("utf-8")
    extra = f'"X-Review-Status: {status.status}\\n"\n'
    if status.reviewed_by:
        extra += f'"X-Reviewed-By: {status.reviewed_by}\\n"\n'
    if status.reviewed_on:
        extra += f'"X-Reviewed-On: {status.reviewed_on.isoformat()}\\n"\n'
    if status.origin and status.status == DRAFT:
        extra += f'"X-Draft-Origin: {status.origin}\\n"\n'
    head, rest = text.split("\n\n", 1)
    text = head + "\n" + extra.rstrip("\n") + "\n\n" + rest
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".po.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def template(english: dict[str, dict[str, Any]], code: str,
             existing: Catalog | None = None) -> Catalog:
    """A catalogue of every English sentence for language `code`, keeping the translations
    `existing` already has for sentences whose English is unchanged."""
    catalog = Catalog(locale=code.replace("-", "_"), project="Wellbeing Desktop printed documents",
                      version="1", copyright_holder="Wellbeing Desktop",
                      header_comment=f"# {language_name(code)} translation of the printed "
                      "documents' wording.\n# Each entry's context says where it is used.")
    old_by_context = {m.context: m for m in existing if m.id} if existing else {}
    for entry in english_entries(english):
        old = old_by_context.get(entry.context)
        empty: Any = ("",) * catalog.num_plurals if isinstance(entry.source, tuple) else ""
        string: Any = old.string if old is not None else empty
        # The English changed since it was translated: keep the translation as a guess for
        # the translator (fuzzy, so it prints in English until they confirm it).
        stale = old is not None and old.id != entry.source
        if old is not None and isinstance(string, tuple) != isinstance(entry.source, tuple):
            string, stale = empty, False
        catalog.add(entry.source, string, context=entry.context,
                    flags=("fuzzy",) if old is not None and (old.fuzzy or stale) else ())
    return catalog


def translations(catalog: Catalog, count_rule: str | None = None) -> dict[str, Any]:
    """{context: translated sentence or plural forms} for the entries a translator filled."""
    return {m.context: m.string for m in catalog if m.id and m.context and _translated(m)}


def plural_index(catalog: Catalog, n: int) -> int:
    return int(gettext.c2py(catalog.plural_expr)(n))


def apply(english: dict[str, Any], prefix: str, found: dict[str, Any],
          plural_forms: Any = None) -> dict[str, Any]:
    """A copy of one English content file with each translated sentence put in."""
    def put(path: str, value: Any) -> Any:
        if isinstance(value, str):
            got = found.get(path)
            return got if isinstance(got, str) else value
        if isinstance(value, list):
            return [put(f"{path}[{i}]", v) for i, v in enumerate(value)]
        if isinstance(value, dict) and set(value) == {"one", "other"}:
            got = found.get(path)
            return {"forms": list(got), "rule": plural_forms} if isinstance(got, tuple) else value
        if isinstance(value, dict):
            return {k: v if k == "same_as" else put(f"{path}.{k}" if path else k, v)
                    for k, v in value.items()}
        return value

    return {key: value if key in _SKIP else put(f"{prefix}{key}", value)
            for key, value in english.items()}


def load_english(folder: Path) -> dict[str, dict[str, Any]]:
    out = {}
    for file_name, _ in SOURCES:
        path = folder / file_name
        if path.is_file():
            out[file_name] = json.loads(path.read_text(encoding="utf-8"))
    return out


# ---- checking a translator's file --------------------------------------------------------
_FIELD = re.compile(r"\{([^{}:!]*)[^{}]*\}")
# Room the layouts leave: a translation may be this many times the English (German, Polish
# and Tamil run 30-60% longer; the 40% pseudo-language proves that much fits everywhere).
LENGTH_FACTOR = 2.5
LENGTH_SLACK = 25


def _fields(text: str) -> set[str]:
    return set(_FIELD.findall(text))


def _format_problem(text: str) -> str | None:
    try:
        text.format(**{name: 1 for name in _fields(text)})
    except (ValueError, KeyError, IndexError) as exc:
        return str(exc)
    return None


def check(catalog: Catalog, english: dict[str, dict[str, Any]], code: str) -> list[str]:
    """Problems that stop a catalogue being used, one line each naming the entry."""
    problems: list[str] = []
    wanted = {e.context: e.source for e in english_entries(english)}
    locale = str(catalog.locale or "").replace("_", "-")
    if locale and locale.lower() != code.lower():
        problems.append(f"header: the file is for language {locale!r}, not {code!r}")
    for m in catalog:
        if not m.id:
            continue
        where = f"line {m.lineno} ({m.context or 'no context'})"
        if m.context not in wanted:
            problems.append(f"{where}: not a sentence of the printed documents "
                            "(its context is unknown; export a fresh catalogue)")
            continue
        source = wanted[m.context]
        plural = isinstance(source, tuple)
        strings: tuple[str, ...] = (tuple(m.string) if isinstance(m.string, tuple | list)
                                    else (str(m.string),))
        if not any(strings):
            continue    # untranslated: prints in English
        if plural and not all(strings):
            # Babel pads missing forms with empty ones when it reads the file.
            problems.append(f"{where}: needs {catalog.num_plurals} plural forms for "
                            f"{language_name(code)}, has {sum(1 for x in strings if x)}")
            continue
        if plural and not isinstance(m.string, tuple):
            problems.append(f"{where}: needs {catalog.num_plurals} plural forms, has one")
            continue
        if plural and len(strings) != catalog.num_plurals:
            problems.append(f"{where}: needs {catalog.num_plurals} plural forms for "
                            f"{language_name(code)}, has {len(strings)}")
        if not plural and isinstance(m.string, tuple):
            problems.append(f"{where}: has plural forms but the English has none")
            continue
        english_texts = source if isinstance(source, tuple) else (source,)
        allowed = set().union(*(_fields(t) for t in english_texts))
        longest = max(len(t) for t in english_texts)
        for form in strings:
            if not form:
                continue
            bad = _format_problem(form)
            if bad:
                problems.append(f"{where}: braces do not form placeholders ({bad})")
                continue
            extra = _fields(form) - allowed
            if extra:
                has = ", ".join("{" + f + "}" for f in sorted(allowed)) or "none"
                problems.append(f"{where}: placeholder {{{sorted(extra)[0]}}} is not in the "
                                f"English (it has {has})")
            missing = allowed - _fields(form)
            if missing and not plural:
                problems.append(f"{where}: placeholder {{{sorted(missing)[0]}}} is missing")
            limit = max(longest * LENGTH_FACTOR, longest + LENGTH_SLACK)
            if len(form) > limit:
                problems.append(f"{where}: {len(form)} characters where the English has "
                                f"{longest}; the layouts have room for about {int(limit)}")
    return problems
