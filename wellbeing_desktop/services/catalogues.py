"""Translations of the printed wording: list them with their review status, export one for a
translator, import it back after checks, record a review (leads only).

Imported catalogues go to the lead's document text folder when one is set, else to
`<data folder>/packs/locale/`, which the documents read before the shipped ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from babel.core import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog

from wellbeing_desktop.domain.languages import language_name
from wellbeing_desktop.packs import catalogues
from wellbeing_desktop.packs.catalogues import CatalogueError, Status
from wellbeing_desktop.packs.content import (
    FALLBACK,
    available_languages,
    catalogue_path,
    content_roots,
    language_status,
)
from wellbeing_desktop.services import permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import FieldProblem, ValidationError

_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


@dataclass(frozen=True)
class LanguageRow:
    code: str
    name: str
    status: Status
    path: str


def text_folder(ctx: AppContext) -> Path:
    """Where imported catalogues go (and documents look first)."""
    configured = ctx.settings.section("packs").get("content_dir") or ""
    return Path(configured) if configured else ctx.data_dir / "packs"


def _english() -> dict[str, dict[str, object]]:
    return catalogues.load_english(content_roots()[-1] / FALLBACK)


def languages(ctx: AppContext) -> list[LanguageRow]:
    permissions.require(ctx.actor, "client.view_own")
    folder = text_folder(ctx)
    rows = []
    for code in available_languages(folder):
        path = catalogue_path(code, folder)
        rows.append(LanguageRow(code, language_name(code), language_status(code, folder),
                                str(path or "")))
    return rows


def _check_code(code: str) -> str:
    code = code.strip()
    if not _CODE.match(code) or code == FALLBACK:
        raise ValidationError([FieldProblem(
            "language", f"{code!r} is not a language code like ar, ur or pa-IN "
            "(English is the source text and has no catalogue)")])
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise ValidationError([FieldProblem(
            "language", f"{code!r} is not a language the plural rules know")]) from None
    return code


def export(ctx: AppContext, code: str, out: Path) -> Status:
    """Write a catalogue for a translator: every English sentence, with the translations the
    language already has (changed English marked fuzzy)."""
    permissions.require(ctx.actor, "client.view_own")
    code = _check_code(code)
    folder = text_folder(ctx)
    existing: Catalog | None = None
    status = Status(catalogues.DRAFT)
    path = catalogue_path(code, folder)
    if path is not None:
        existing, status = catalogues.read(path)
    catalog = catalogues.template(_english(), code, existing)
    catalogues.write(out, catalog, status)
    return catalogues.read(out)[1]


def import_catalogue(ctx: AppContext, source: Path, code: str | None = None
                     ) -> tuple[str, Status]:
    """Check a translator's PO file and put it in use. Nothing changes when a check fails.
    A file cannot mark itself reviewed: that needs `mark_reviewed` by a lead."""
    permissions.require(ctx.actor, "packs.edit_content")
    try:
        catalog, _ = catalogues.read(source)
    except CatalogueError as exc:
        raise ValidationError([FieldProblem("file", str(exc))]) from None
    code = _check_code(code or str(catalog.locale or "").replace("_", "-"))
    problems = catalogues.check(catalog, _english(), code)
    if problems:
        raise ValidationError([FieldProblem("file", f"{source.name}, {p}") for p in problems])
    # Re-base on the current English (drops nothing translated, adds any new sentences).
    merged = catalogues.template(_english(), code, catalog)
    dest = text_folder(ctx) / "locale" / f"{code}.po"
    catalogues.write(dest, merged, Status(catalogues.DRAFT))
    return code, catalogues.read(dest)[1]


def mark_reviewed(ctx: AppContext, code: str, reviewer: str, on: date | None = None) -> Status:
    """Record that a qualified reviewer checked the translation (a lead does this)."""
    permissions.require(ctx.actor, "packs.edit_content")
    reviewer = reviewer.strip()
    if not reviewer:
        raise ValidationError([FieldProblem("reviewer", "say who reviewed the translation")])
    folder = text_folder(ctx)
    path = catalogue_path(code, folder)
    if path is None:
        raise ValidationError([FieldProblem("language", f"there is no {language_name(code)} "
                                            "catalogue to review")])
    catalog, status = catalogues.read(path)
    dest = folder / "locale" / f"{code}.po"
    catalogues.write(dest, catalog, replace(status, status=catalogues.REVIEWED,
                                            reviewed_by=reviewer, reviewed_on=on or date.today()))
    return catalogues.read(dest)[1]
