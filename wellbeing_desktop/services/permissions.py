"""Who may do what (DESIGN §7). Services call `require` before acting; the GUI hides what
`allowed` says no to. The security issue owns this matrix."""

from __future__ import annotations

from wellbeing_desktop.services.context import ROLE_PRACTITIONER, ROLE_SUPERVISOR, ROLE_SYSTEM, Actor
from wellbeing_desktop.services.errors import PermissionDenied

BOTH = frozenset({ROLE_PRACTITIONER, ROLE_SUPERVISOR, ROLE_SYSTEM})
LEADS = frozenset({ROLE_SUPERVISOR, ROLE_SYSTEM})

MATRIX: dict[str, frozenset[str]] = {
    "client.view_own": BOTH,
    "client.view_all": LEADS,
    "client.edit": BOTH,
    "client.merge": BOTH,
    "client.erase": LEADS,
    "casework.record": BOTH,
    "measures.record": BOTH,
    "signposting.record": BOTH,
    "directory.view": BOTH,
    "directory.note": BOTH,          # notes, favourites, "reported wrong"
    "directory.import": LEADS,
    "directory.export": LEADS,
    "directory.verify": LEADS,
    "packs.print": BOTH,
    "packs.edit_content": LEADS,
    "sync.export": LEADS,
    "settings.edit": LEADS,
    "users.manage": LEADS,
    "audit.view": LEADS,
    "privacy.subject_access": LEADS,  # subject access exports and the retention report
    "backup.run": BOTH,
    "backup.restore": LEADS,
    "reports.view": BOTH,
    "reports.view_all": LEADS,
}

DESCRIPTIONS = {
    "client.view_all": "see every practitioner's clients",
    "client.erase": "erase a client's record",
    "directory.import": "import the services directory",
    "directory.export": "export the services directory",
    "directory.verify": "mark directory entries as verified",
    "packs.edit_content": "edit the advice printed in plans",
    "sync.export": "export records for central records",
    "settings.edit": "change the service's settings",
    "users.manage": "add or change user accounts",
    "audit.view": "view the audit log",
    "privacy.subject_access": "export everything held about a client",
    "backup.restore": "restore a backup",
    "reports.view_all": "see reports for the whole team",
}


def allowed(actor: Actor, permission: str) -> bool:
    roles = MATRIX.get(permission)
    if roles is None:
        raise KeyError(f"unknown permission {permission!r}")
    return actor.role in roles


def require(actor: Actor, permission: str) -> None:
    if not allowed(actor, permission):
        what = DESCRIPTIONS.get(permission, permission.replace(".", " "))
        raise PermissionDenied(f"Only a supervisor can {what}.")
