"""How long to wait after failed sign-ins: none for the first few, then doubling."""

from __future__ import annotations

FREE_ATTEMPTS = 4
FIRST_DELAY_S = 30
MAX_DELAY_S = 15 * 60


def lock_delay_seconds(failures: int) -> int:
    """Seconds the account stays locked after `failures` consecutive failed sign-ins."""
    if failures <= FREE_ATTEMPTS:
        return 0
    return int(min(FIRST_DELAY_S * 2 ** (failures - FREE_ATTEMPTS - 1), MAX_DELAY_S))


MIN_PASSPHRASE_LENGTH = 10


def passphrase_problem(passphrase: str, username: str = "") -> str | None:
    """A plain-language reason the passphrase is too weak, or None."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return f"Use at least {MIN_PASSPHRASE_LENGTH} characters (a few words are easy to remember)."
    if username and passphrase.strip().casefold() == username.strip().casefold():
        return "Do not use your username as your passphrase."
    if len(set(passphrase)) < 4:
        return "Use a mix of characters or a few different words."
    return None


def username_problem(username: str) -> str | None:
    name = username.strip()
    if not name:
        return "Enter a username."
    if len(name) > 60:
        return "Use 60 characters or fewer."
    if any(c.isspace() for c in name):
        return "Use no spaces (for example hprice)."
    return None
