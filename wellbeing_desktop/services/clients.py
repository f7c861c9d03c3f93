"""Client records: listing and search (the casework issue extends this module)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, or_, select

from wellbeing_desktop.domain.text import fold
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.storage.models import Client


@dataclass(frozen=True)
class ClientSummary:
    id: uuid.UUID
    given_name: str
    family_name: str
    preferred_name: str
    date_of_birth: date | None
    nhs_number: str | None
    postcode: str
    status: str

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.given_name
        return f"{first} {self.family_name}".strip()


_COLUMNS = (
    Client.id,
    Client.given_name,
    Client.family_name,
    Client.preferred_name,
    Client.date_of_birth,
    Client.nhs_number,
    Client.postcode,
    Client.status,
)


def _filtered(search: str) -> Select[int]:
    query = select(func.count()).select_from(Client).where(Client.deleted_at.is_(None))
    return _apply_search(query, search)


def _apply_search(query: Select, search: str) -> Select:  # type: ignore[type-arg]
    text = search.strip()
    if not text:
        return query
    digits = text.replace(" ", "").replace("-", "")
    conditions = [Client.search_name.like(f"{fold(text)}%"),
                  Client.search_name.like(f"% {fold(text)}%")]
    if digits.isdigit():
        conditions.append(Client.nhs_number.like(f"{digits}%"))
    compact = text.upper().replace(" ", "")
    if 2 <= len(compact) <= 8 and any(c.isdigit() for c in compact):
        conditions.append(func.replace(Client.postcode, " ", "").like(f"{compact}%"))
    return query.where(or_(*conditions))


def count_clients(ctx: AppContext, search: str = "") -> int:
    with ctx.store.read() as s:
        total: int = s.execute(_filtered(search)).scalar_one()
        return total


def list_clients(
    ctx: AppContext, search: str = "", *, limit: int = 200, offset: int = 0
) -> list[ClientSummary]:
    query = _apply_search(
        select(*_COLUMNS).where(Client.deleted_at.is_(None)), search
    ).order_by(Client.search_name, Client.id).limit(limit).offset(offset)
    with ctx.store.read() as s:
        return [ClientSummary(*row) for row in s.execute(query).all()]
