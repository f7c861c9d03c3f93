"""Pure rules of the services directory: freshness, opening times in words, search queries."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from wellbeing_desktop.domain.text import fold

STALE_AFTER = timedelta(days=365)
DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
             "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}
DAY_ORDER = tuple(DAY_NAMES)
MODES = {"in_person": "In person", "phone": "By phone", "online": "Online"}


def last_checked(verified_on: date | None, assured_date: date | None,
                 last_modified: str | None) -> date | None:
    """The latest date anyone vouched for the entry: our team, the publisher's assurer, an edit."""
    dates = [d for d in (verified_on, assured_date) if d is not None]
    if last_modified:
        try:
            dates.append(datetime.fromisoformat(last_modified).date())
        except ValueError:
            pass
    return max(dates) if dates else None


def is_stale(checked_on: date | None, today: date) -> bool:
    """Not checked for twelve months (or never) → shown as stale until someone verifies it."""
    return checked_on is None or today - checked_on > STALE_AFTER


def _time(value: str | None) -> str:
    if not value:
        return ""
    parts = value.split(":")
    return f"{int(parts[0])}:{parts[1]}" if len(parts) >= 2 and parts[0].isdigit() else value


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def days_in_words(byday: str | None) -> str:
    codes = [c.strip().upper()[-2:] for c in (byday or "").split(",") if c.strip()]
    known = [c for c in DAY_ORDER if c in codes]
    if known == list(DAY_ORDER[:5]):
        return "Monday to Friday"
    if known == list(DAY_ORDER):
        return "Every day"
    return _join([DAY_NAMES[c] for c in known])


def opening_text(byday: str | None, opens_at: str | None, closes_at: str | None,
                 description: str | None = None, freq: str | None = None) -> str:
    """One schedule in plain words, e.g. "Monday to Friday, 9:00 to 17:00"."""
    days = days_in_words(byday) if (freq or "WEEKLY") == "WEEKLY" else ""
    hours = f"{_time(opens_at)} to {_time(closes_at)}" if opens_at and closes_at else ""
    text = ", ".join(p for p in (days, hours) if p)
    if description and not text:
        return description.strip()
    if description and description.strip() not in text:
        return f"{text}. {description.strip()}" if text else description.strip()
    return text


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str:
    """A safe FTS5 query: every word must match, each as a prefix. "" when there are no words."""
    words = _WORD.findall(fold(text))
    longer = [w for w in words if len(w) > 1]
    if words and not longer:
        # One keystroke: names with a word starting with it (every service matches a lone
        # letter somewhere else).
        return f'name : "{words[0]}"*'
    # A lone letter beside other words ("women's" → "women" "s", "walk a" half typed) narrows
    # nothing and is the dearest prefix to look up: leave it out.
    words = longer
    return " AND ".join(f'"{w}"*' for w in words[:12])


def postcode_district(text: str) -> str:
    """ "km3 4ab" → "KM3"; "KM3" → "KM3"; a town name is returned folded."""
    cleaned = text.strip()
    if not cleaned:
        return ""
    first = cleaned.split()[0].upper()
    if any(ch.isdigit() for ch in first) and first[:1].isalpha():
        if len(first) > 4 and " " not in cleaned:
            return first[:-3]  # a postcode typed without its space
        return first
    return fold(cleaned)
