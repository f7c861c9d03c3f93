"""Consent withdrawn: the clients whose records central records must restrict."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from wellbeing_desktop.storage.models.sync import Restriction
from wellbeing_desktop.storage.types import utcnow

# ---------------------------------------------------------------- consent withdrawn

def _note_withdrawals(conn: Connection, notices: list[dict[str, Any]], device_id: str,
                      export_id: uuid.UUID) -> int:
    """Keep each client's newest withdrawal notice (by the record key); returns how many."""
    r = Restriction.__table__.c
    now = utcnow()
    for notice in notices:
        key = (notice["version"], notice["updated_at"], notice["origin_device"])
        held = conn.execute(select(r.version, r.updated_at, r.origin_device).where(
            r.client_id == notice["client_id"])).first()
        values = {"version": key[0], "updated_at": key[1], "origin_device": key[2],
                  "device_id": device_id, "export_id": export_id}
        if held is None:
            conn.execute(insert(Restriction).values(client_id=notice["client_id"],
                                                    first_noted_at=now, **values))
        elif key > tuple(held):
            conn.execute(update(Restriction).where(r.client_id == notice["client_id"])
                         .values(**values))
    return len(notices)


@dataclass(frozen=True)
class Restricted:
    client_id: str
    first_noted_at: Any
    device_id: str
    held: bool  # the centre holds records of theirs (a notice can arrive before them)


def restricted_clients(conn: Connection) -> list[Restricted]:
    """Clients whose withdrawal is in force: no later version of their record (by the merge
    key) says they consent again."""
    from wellbeing_desktop.storage.models.clients import Client

    r = Restriction.__table__.c
    c = Client.__table__.c
    out = []
    rows = conn.execute(select(r.client_id, r.version, r.updated_at, r.origin_device,
                               r.first_noted_at, r.device_id, c.version.label("cv"),
                               c.updated_at.label("cu"), c.origin_device.label("co"),
                               c.consent_central_records).outerjoin(
        Client.__table__, c.id == r.client_id).order_by(r.first_noted_at, r.client_id))
    for row in rows:
        if row.cv is not None and row.consent_central_records and (
                (row.cv, row.cu, row.co) > (row.version, row.updated_at, row.origin_device)):
            continue  # consent given again, later than the withdrawal
        out.append(Restricted(str(row.client_id), row.first_noted_at, row.device_id,
                              row.cv is not None))
    return out
