"""The profile's `format` rules (uuid, email, uri), as the importer applies them.

A link is stored only when it is an absolute http(s) address with a host: anything else
(`javascript:`, `data:`, a relative path, text) is never stored as a link. A bare domain that
real feeds send ("www.council.gov.uk") is read as https and noted.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def is_email(value: str) -> bool:
    """One @, something before it, a dotted domain after it, no spaces or angle brackets."""
    if any(ch.isspace() or ch in "<>()[],;:\\\"" for ch in value) or value.count("@") != 1:
        return False
    local, domain = value.split("@")
    labels = domain.split(".")
    return bool(local) and len(labels) >= 2 and all(labels) and len(value) <= 254


def web_address(value: str) -> tuple[str | None, bool]:
    """(the address to store, whether it was repaired) — (None, False) when it is not one."""
    text = value.strip()
    if not text or any(ch.isspace() for ch in text):
        return None, False
    try:
        parts = urlsplit(text)
    except ValueError:
        return None, False
    if parts.scheme in ("http", "https") and parts.hostname and "." in parts.hostname:
        return text, False
    if not parts.scheme and text.casefold().startswith("www.") and "." in text[4:]:
        fixed = f"https://{text}"
        host = urlsplit(fixed).hostname
        return (fixed, True) if host and "." in host else (None, False)
    return None, False
