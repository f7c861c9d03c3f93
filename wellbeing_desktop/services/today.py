"""The Today dashboard's figures (the casework issue adds appointments, reviews, follow-ups)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.storage.models import Client, Referral


@dataclass(frozen=True)
class TodaySummary:
    service_name: str
    practitioner_name: str
    clients_by_status: dict[str, int] = field(default_factory=dict)
    waiting_first_contact: int = 0


def summary(ctx: AppContext) -> TodaySummary:
    with ctx.store.read() as s:
        counts = dict(
            s.execute(
                select(Client.status, func.count())
                .where(Client.deleted_at.is_(None))
                .group_by(Client.status)
            ).all()
        )
        waiting = s.execute(
            select(func.count()).select_from(Referral).where(
                Referral.deleted_at.is_(None), Referral.first_contact_on.is_(None)
            )
        ).scalar() or 0
    return TodaySummary(
        service_name=str(ctx.settings.get("service_name") or ""),
        practitioner_name=ctx.actor.name,
        clients_by_status={str(k): int(v) for k, v in counts.items()},
        waiting_first_contact=int(waiting),
    )
