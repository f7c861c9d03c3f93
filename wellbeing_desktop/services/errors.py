"""Errors a service raises for the user to read. Anything else is a bug."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class WellbeingError(Exception):
    """A problem the user can fix; `str()` is one plain-language line."""

    exit_code = 1


@dataclass
class FieldProblem:
    field: str
    message: str


class ValidationError(WellbeingError):
    """Bad input. Lists each field and what is wrong with it; nothing was written."""

    exit_code = 2

    def __init__(self, problems: list[FieldProblem] | str, *, where: str = "") -> None:
        if isinstance(problems, str):
            problems = [FieldProblem("", problems)]
        self.problems = problems
        self.where = where
        super().__init__(self._line())

    def _line(self) -> str:
        parts = [f"{p.field}: {p.message}" if p.field else p.message for p in self.problems]
        prefix = f"{self.where}: " if self.where else ""
        return prefix + "; ".join(parts)

    def for_field(self, name: str) -> str | None:
        return next((p.message for p in self.problems if p.field == name), None)


class NotFound(WellbeingError):
    exit_code = 3


class PermissionDenied(WellbeingError):
    exit_code = 4


class Entity(StrEnum):
    """Every kind of thing whose change the GUI hears about. A screen's `watches` and a
    service's `Changed` name members of this, so a misspelt name fails at once instead of a
    screen silently never refreshing. (Members are strings: `"client" in changed.entities`
    still works.)"""

    AMENDMENT = "amendment"
    APPOINTMENT = "appointment"
    ATTENDANCE = "attendance"
    CLIENT = "client"
    CONTACT_ATTEMPT = "contact_attempt"
    COURSE = "course"
    DIRECTORY = "directory"
    DISCHARGE = "discharge"
    DRAFT = "draft"
    GOAL = "goal"
    GROUP = "group"
    MEASURE = "measure"
    NEEDS = "needs"
    PRACTITIONER = "practitioner"
    PRINTED_DOCUMENT = "printed_document"
    REFERRAL = "referral"
    RESTORE = "restore"
    RISK = "risk"
    SETTINGS = "settings"
    SIGNPOSTING = "signposting"
    SUITABILITY = "suitability"
    SYNC = "sync"


def entities(*names: Entity | str) -> frozenset[Entity]:
    """Names → members; an unknown name raises ValueError naming it and the known ones."""
    found: set[Entity] = set()
    for name in names:
        try:
            found.add(Entity(name))
        except ValueError:
            known = ", ".join(e.value for e in Entity)
            raise ValueError(f"unknown entity {name!r} (known: {known})") from None
    return frozenset(found)


@dataclass(frozen=True)
class Changed:
    """What a mutating service changed; the GUI announces it once on the app-wide signal."""

    entities: frozenset[Entity]
    ids: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "entities", entities(*self.entities))

    @classmethod
    def of(cls, *names: Entity | str, ids: tuple[str, ...] = ()) -> Changed:
        return cls(entities(*names), frozenset(ids))


class NewerStore(WellbeingError):
    """The records were made by a newer release; this one refuses to open (or change) them."""


class StoreLocked(WellbeingError):
    """The store is encrypted and nobody has signed in."""

    exit_code = 5


class SignInFailed(WellbeingError):
    """Wrong username or passphrase, a switched-off account, or a lock-out delay.
    `wait_seconds` is how long until the next try is allowed (0: at once)."""

    exit_code = 5

    def __init__(self, message: str, wait_seconds: int = 0) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class DamagedStore(WellbeingError):
    """The database failed its start-up check; it is not opened (so never written to).
    `backups` lists the good backups, newest first."""

    exit_code = 6

    def __init__(self, message: str, backups: list[str] | None = None) -> None:
        super().__init__(message)
        self.backups = backups or []
