"""Who is acting. Every service call takes an `Actor`; audit and permissions read it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

ROLE_PRACTITIONER = "practitioner"
ROLE_SUPERVISOR = "supervisor"
ROLE_SYSTEM = "system"


@dataclass(frozen=True)
class Actor:
    id: uuid.UUID | None
    name: str
    role: str = ROLE_PRACTITIONER

    @property
    def is_supervisor(self) -> bool:
        return self.role in (ROLE_SUPERVISOR, ROLE_SYSTEM)

    @property
    def audit_id(self) -> str:
        return str(self.id) if self.id else self.role


SYSTEM = Actor(None, "system", ROLE_SYSTEM)
