"""The profile's `format` rules (uuid, email, uri), as the importer applies them.

A link is stored only when it is an absolute http(s) address with a host: anything else
(`javascript:`, `data:`, a relative path, text) is never stored as a link. A bare domain that
real feeds send ("www.council.gov.uk") is read as https and noted.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

# The form nearly every feed uses; anything else goes through `uuid.UUID` (braces, no hyphens,
# urn:uuid:). Checked for every record of a feed, so the common case skips building a UUID.
_CANONICAL = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                        r"[0-9a-fA-F]{12}")


def is_uuid(value: str) -> bool:
    if _CANONICAL.fullmatch(value):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


_NOT_IN_EMAIL = re.compile(r'[\s<>()\[\],;:\\"]')
_SPACE = re.compile(r"\s")

# Top-level domains reserved so that they never resolve (RFC 2606, RFC 6761). Real feeds fill a
# required e-mail with them ("Unknown-1777…@noemail.invalid" in Bristol's Open Place feed): an
# address that can never receive mail is no address.
RESERVED_DOMAINS = frozenset({"invalid", "example", "test", "localhost"})


def is_email(value: str) -> bool:
    """One @, something before it, a dotted domain after it (not a reserved, never-resolving
    one), no spaces or angle brackets."""
    if _NOT_IN_EMAIL.search(value) or value.count("@") != 1:
        return False
    local, domain = value.split("@")
    labels = domain.split(".")
    return (bool(local) and len(labels) >= 2 and all(labels) and len(value) <= 254
            and labels[-1].casefold() not in RESERVED_DOMAINS)


def web_address(value: str) -> tuple[str | None, bool]:
    """(the address to store, whether it was repaired) — (None, False) when it is not one."""
    text = value.strip()
    if not text or _SPACE.search(text):
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
