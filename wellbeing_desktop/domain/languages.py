"""Languages by name, never by code: what the record, the Documents tab and the printed
documents show ("Interpreter: Arabic", not "ar").

The table holds the languages most spoken in England after English (ONS Census 2021, "Main
language", England: Polish, Romanian, Panjabi, Urdu, Portuguese, Spanish, Arabic, Bengali,
Gujarati, Italian, ...) and the others the service records, with the English name the
practitioner reads, the language's own name, and its direction. Codes are BCP 47.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str
    name: str          # in English, as the practitioner reads it
    own_name: str      # as its readers write it
    rtl: bool = False


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English"),
    Language("pl", "Polish", "polski"),
    Language("ro", "Romanian", "română"),
    Language("pa", "Punjabi", "ਪੰਜਾਬੀ"),
    Language("ur", "Urdu", "اردو", rtl=True),
    Language("pt", "Portuguese", "português"),
    Language("es", "Spanish", "español"),
    Language("ar", "Arabic", "العربية", rtl=True),
    Language("bn", "Bengali", "বাংলা"),
    Language("gu", "Gujarati", "ગુજરાતી"),
    Language("it", "Italian", "italiano"),
    Language("lt", "Lithuanian", "lietuvių"),
    Language("zh", "Chinese", "中文"),
    Language("fr", "French", "français"),
    Language("ta", "Tamil", "தமிழ்"),
    Language("tr", "Turkish", "Türkçe"),
    Language("hi", "Hindi", "हिन्दी"),
    Language("so", "Somali", "Soomaali"),
    Language("fa", "Persian (Farsi)", "فارسی", rtl=True),
    Language("uk", "Ukrainian", "українська"),
    Language("ru", "Russian", "русский"),
    Language("el", "Greek", "Ελληνικά"),
    Language("he", "Hebrew", "עברית", rtl=True),
    Language("ku", "Kurdish", "Kurdî"),
    Language("ps", "Pashto", "پښتو", rtl=True),
    Language("ti", "Tigrinya", "ትግርኛ"),
    Language("bsl", "British Sign Language", "British Sign Language"),
    # Pseudo-languages for testing layouts (never offered to practitioners unless asked).
    Language("qps-ploc", "Pseudo-language: 40% longer", "Ƥşḗḗŭŭḓǿǿ"),
    Language("qps-plocm", "Pseudo-language: mirrored right to left", "pseudo-mirrored", rtl=True),
)
_BY_CODE = {lang.code: lang for lang in LANGUAGES}
OTHER = "other"


def language(code: str | None) -> Language | None:
    return _BY_CODE.get((code or "").strip())


def language_name(code: str | None) -> str:
    """The English name of a language code; "Other language" for "other" or one we do not
    know (the code itself is never shown)."""
    found = language(code)
    if found:
        return found.name
    if not code or code == OTHER:
        return "Other language (see notes)"
    try:   # a code outside the table (typed by a lead or imported): ask the CLDR data
        from babel import Locale, UnknownLocaleError

        try:
            return str(Locale.parse(code.replace("-", "_")).get_display_name("en"))
        except (UnknownLocaleError, ValueError):
            pass
    except ImportError:  # pragma: no cover - babel is a dependency
        pass
    return "Other language (see notes)"


def recorded_choices() -> list[tuple[str, str]]:
    """(code, name) for the client form's language list: real languages, then "Other"."""
    return [(lang.code, lang.name) for lang in LANGUAGES if not lang.code.startswith("qps")] + [
        (OTHER, "Other (see notes)")]
