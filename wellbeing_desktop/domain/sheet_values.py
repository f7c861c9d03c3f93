"""Cell values as referrers' spreadsheets really hold them, read into clean values.

Each reader returns the clean value or raises `CellProblem` with a plain sentence the import
shows beside the spreadsheet's row number and column ("row 4, DOB: …"). UK order only: a date
is day/month/year; one that only reads as month/day (US order) is refused, not guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from wellbeing_desktop.domain import nhs_number


class CellProblem(ValueError):
    """A cell that cannot be read; `str()` says why in plain words."""


# Excel's 1900 date system counts days from 30 December 1899 (its day 60 is the fictitious
# 29 February 1900, so serials from 61 on are right from this epoch). Serials below 61 are
# refused: no referral or birth date of ours falls in early 1900.
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_RANGE = (61, 80_000)  # 1 March 1900 .. about 2119
MONTHS = {name: i for i, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
     ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
     ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}
_NUMERIC = re.compile(r"^(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})$")
_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?[\s\-/]+([a-z]+)\.?,?[\s\-/]+(\d{2,4})$")
_WORDY_US = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_TIME_TAIL = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _year(text: str, *, past: bool, today: date) -> int:
    year = int(text)
    if len(text) == 2:
        # Two-digit years: a birth date is in the past, so "85" is 1985 and "05" 2005 only
        # while 2005 is not after this year; a referral date is this century.
        century = today.year // 100 * 100
        year += century
        if past and year > today.year:
            year -= 100
    elif len(text) != 4:
        raise CellProblem(f"“{text}” is not a year")
    return year


def _make(y: int, m: int, d: int, raw: str) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise CellProblem(f"“{raw}” is not a real date") from None


def read_date(value: object, *, today: date, past: bool = True) -> date | None:
    """A date from a cell: a spreadsheet date, an Excel serial number, or text in day/month/
    year order (03/11/1985, 3-11-85, 1985-11-03, 3 Nov 1985, 03.11.1985). None when empty."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellProblem("is a tick box, not a date")
    if isinstance(value, int | float):
        return _serial(float(value), str(value))
    raw = str(value).strip()
    if not raw:
        return None
    text = _TIME_TAIL.sub("", raw.lower()).strip()
    if re.fullmatch(r"\d{5}(\.\d+)?", text):
        return _serial(float(text), raw)
    m = _NUMERIC.match(text)
    if m:
        a, b, c = m.groups()
        if len(a) == 4:                       # 1985-11-03 (ISO)
            return _make(int(a), int(b), int(c), raw)
        day, month = int(a), int(b)
        if month > 12 and day <= 12:
            raise CellProblem(f"“{raw}” reads as month/day (US order); write it as "
                              "day/month/year")
        return _make(_year(c, past=past, today=today), month, day, raw)
    m = _WORDY.match(text)
    if m and m.group(2) in MONTHS:
        return _make(_year(m.group(3), past=past, today=today), MONTHS[m.group(2)],
                     int(m.group(1)), raw)
    m = _WORDY_US.match(text)
    if m and m.group(1) in MONTHS:
        return _make(int(m.group(3)), MONTHS[m.group(1)], int(m.group(2)), raw)
    raise CellProblem(f"“{raw}” is not a date (use day/month/year, like 03/11/1985)")


def _serial(serial: float, raw: str) -> date:
    if not _SERIAL_RANGE[0] <= serial < _SERIAL_RANGE[1]:
        raise CellProblem(f"“{raw}” is not a date")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def read_nhs_number(value: object) -> str:
    """Ten digits, checked (Modulus 11). Spaces and hyphens are fine, and so is a number the
    spreadsheet stored as a number (9434765919.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip().replace("\u00a0", " ")
    if not text:
        return ""
    issue = nhs_number.problem(text)
    if issue:
        raise CellProblem(f"“{text}” {issue}")
    return nhs_number.normalise(text)


_YES = {"yes", "y", "true", "1", "x", "✓", "required", "needed"}
_NO = {"no", "n", "false", "0", "", "not required", "not needed", "none"}


def read_yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellProblem(f"“{value}” is not yes or no")


# Languages as referrers write them → the codes the client record holds (ISO 639-1).
LANGUAGES = {
    "english": "en", "polish": "pl", "romanian": "ro", "turkish": "tr", "urdu": "ur",
    "bengali": "bn", "bangla": "bn", "arabic": "ar", "russian": "ru", "greek": "el",
    "chinese": "zh", "mandarin": "zh", "cantonese": "yue", "punjabi": "pa",
    "gujarati": "gu", "somali": "so", "portuguese": "pt", "spanish": "es", "french": "fr",
    "lithuanian": "lt", "tamil": "ta", "farsi": "fa", "persian": "fa", "kurdish": "ku",
    "tigrinya": "ti", "pashto": "ps", "italian": "it", "german": "de", "hindi": "hi",
    "ukrainian": "uk", "bulgarian": "bg", "hungarian": "hu", "latvian": "lv",
    "british sign language": "bfi", "bsl": "bfi", "welsh": "cy",
}


def read_language(value: object) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        return "en"
    low = text.lower()
    if low in LANGUAGES:
        return LANGUAGES[low]
    if re.fullmatch(r"[a-z]{2,3}", low):
        return low
    raise CellProblem(f"“{text}” is not a language we know; write its name (Polish) or "
                      "code (pl)")


def tidy_name(text: str) -> str:
    """Names typed in capitals ("SMITH") read as Smith; mixed case is left as typed."""
    text = " ".join(text.split())
    if text.isupper():
        return "-".join(part.capitalize() for part in text.title().split("-"))
    return text


def split_full_name(value: object) -> tuple[str, str]:
    """ "SMITH, John" → (John, Smith); "John Smith" → (John, Smith); "Mr John Smith" too."""
    text = " ".join(("" if value is None else str(value)).split())
    if not text:
        return "", ""
    if "," in text:
        family, given = (p.strip() for p in text.split(",", 1))
    else:
        words = [w for w in text.split() if w.lower().rstrip(".") not in
                 {"mr", "mrs", "ms", "miss", "mx", "dr"}]
        if len(words) < 2:
            raise CellProblem(f"“{text}” needs a first and last name")
        given, family = " ".join(words[:-1]), words[-1]
    return tidy_name(given), tidy_name(family)


def cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing ".0", dates as ISO, spaces tidied."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    return " ".join(str(value).replace("\u00a0", " ").split())
