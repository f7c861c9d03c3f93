"""Record-level access: a practitioner works with their own caseload and with people not yet
allocated to anyone (new referrals); supervisors see everyone (DESIGN §7, issue 8).

Role-level rules live in `permissions`; this module adds the one rule that needs the record.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from wellbeing_desktop.services import permissions
from wellbeing_desktop.services.context import Actor
from wellbeing_desktop.services.errors import NotFound, PermissionDenied
from wellbeing_desktop.storage.models import Client


def sees_everyone(actor: Actor) -> bool:
    return actor.id is None or permissions.allowed(actor, "client.view_all")


def may_see(actor: Actor, practitioner_id: uuid.UUID | None) -> bool:
    """Whether `actor` may open a record allocated to `practitioner_id`."""
    return sees_everyone(actor) or practitioner_id is None or practitioner_id == actor.id


def require_client(session: Session, actor: Actor, client_id: uuid.UUID) -> None:
    """Refuse, with a reason a practitioner can act on, a record on someone else's caseload."""
    row = session.execute(
        select(Client.practitioner_id).where(Client.id == client_id, Client.deleted_at.is_(None))
    ).first()
    if row is None:
        raise NotFound("That client record was not found (it may have been merged or removed).")
    if not may_see(actor, row[0]):
        raise PermissionDenied(
            "This person is on another practitioner's caseload. Ask a supervisor to reallocate "
            "the record if you are now working with them."
        )
