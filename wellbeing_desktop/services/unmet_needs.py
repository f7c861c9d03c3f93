"""Unmet need: a signposting attempt that found "no suitable service" for a need in an area.

Recorded with a note, listed on the client's record, and counted centrally as gaps in
provision (sync/report_queries.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from wellbeing_desktop.domain.needs import DOMAIN_CODES, domain_label
from wellbeing_desktop.services import access, audit
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, FieldProblem, ValidationError
from wellbeing_desktop.services.permissions import require
from wellbeing_desktop.storage.models.signposting import UnmetNeed

ENTITY = "unmet_need"
# What the signposting dialog offers as the end of an attempt with no service chosen.
NO_SUITABLE_SERVICE = "no_suitable_service"


@dataclass(frozen=True)
class UnmetNeedInput:
    need: str
    area: str = ""
    note: str = ""
    recorded_on: date | None = None


@dataclass(frozen=True)
class UnmetNeedRow:
    id: uuid.UUID
    recorded_on: date
    need: str
    need_label: str
    area: str
    note: str


def _validate(item: UnmetNeedInput, today: date) -> list[FieldProblem]:
    problems = []
    if item.need not in DOMAIN_CODES:
        problems.append(FieldProblem("need", "choose the need no service could meet"))
    if len(item.area.strip()) > 80:
        problems.append(FieldProblem("area", "keep the area under 80 characters"))
    if len(item.note) > 4000:
        problems.append(FieldProblem("note", "keep this under 4,000 characters"))
    if item.recorded_on is not None and item.recorded_on > today:
        problems.append(FieldProblem("recorded_on", "the date cannot be in the future"))
    return problems


def record_unmet_need(ctx: AppContext, client_id: uuid.UUID, item: UnmetNeedInput, *,
                      today: date | None = None) -> Changed:
    """End a signposting attempt with "no suitable service" for the need and area."""
    require(ctx.actor, "signposting.record")
    today = today or date.today()
    problems = _validate(item, today)
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        access.require_client(s, ctx.actor, client_id)
        row = UnmetNeed(client_id=client_id, practitioner_id=ctx.actor.id,
                        recorded_on=item.recorded_on or today, need=item.need,
                        area=item.area.strip(), note=item.note.strip())
        s.add(row)
        s.flush()
        audit.record(s, ctx.actor, "unmet_need.record", entity=ENTITY, entity_id=row.id,
                     client_id=client_id)
        # Announced as a signposting change: it is how a signposting attempt ended.
        return Changed.of("signposting", ids=(str(row.id),))


def list_for_client(ctx: AppContext, client_id: uuid.UUID) -> list[UnmetNeedRow]:
    require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        rows = s.execute(select(UnmetNeed).where(
            UnmetNeed.client_id == client_id, UnmetNeed.deleted_at.is_(None))
            .order_by(UnmetNeed.recorded_on.desc())).scalars().all()
        return [UnmetNeedRow(r.id, r.recorded_on, r.need, domain_label(r.need), r.area, r.note)
                for r in rows]
