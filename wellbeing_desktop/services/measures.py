"""Outcome measures: record an administration (in session or from a paper form), list a
client's measures, their series over time, and the episode's paired NHS Talking Therapies
outcome."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wellbeing_desktop.domain.measures import (
    Answer,
    AnswerError,
    DefinitionProblem,
    MeasureDefinition,
    MeasureSeries,
    PairedOutcome,
    Score,
    score,
)
from wellbeing_desktop.domain.measures.change import Change
from wellbeing_desktop.domain.measures.registry import shipped
from wellbeing_desktop.services import access, audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, Entity, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.services.measure_progress import changes_in, in_episode, outcome_of, series_of
from wellbeing_desktop.storage.models import Referral
from wellbeing_desktop.storage.models.measures import MeasureAdministration

ENTITY = Entity.MEASURE


@dataclass(frozen=True)
class Administration:
    id: uuid.UUID
    client_id: uuid.UUID
    referral_id: uuid.UUID | None
    measure_id: str
    measure_title: str
    taken_on: date
    answers: tuple[Answer, ...]
    total: int | float | None
    band: str | None
    caseness: bool | None
    valid: bool
    entered_from_paper: bool
    practitioner_id: uuid.UUID | None

    @property
    def total_text(self) -> str:
        """The total, or for a measure reported item by item (ONS4) each answer in order."""
        if self.total is None:
            if self.valid and self.answers:
                return " · ".join("–" if a is None else str(a) for a in self.answers)
            return "—"
        return f"{self.total:g}"


@dataclass(frozen=True)
class MeasureInput:
    client_id: uuid.UUID
    measure_id: str
    answers: tuple[Answer, ...]
    taken_on: date
    entered_from_paper: bool = False
    referral_id: uuid.UUID | None = None


@dataclass(frozen=True)
class RecordResult:
    administration: Administration
    score: Score
    changed: Changed

    @property
    def risk(self) -> bool:
        return self.score.risk


def definitions() -> list[MeasureDefinition]:
    """The measures this app can administer, in display order."""
    return shipped().ordered()


def definition_problems() -> list[DefinitionProblem]:
    """Definition files that were not loaded, by file and field."""
    return list(shipped().problems)


def definitions_folder() -> str:
    from wellbeing_desktop.domain.measures.registry import definitions_dir

    return str(definitions_dir())


def reload_definitions() -> list[DefinitionProblem]:
    """Read the definition files again (after a service added one); the problems found."""
    from wellbeing_desktop.domain.measures.registry import reload

    return list(reload().problems)


def get_definition(measure_id: str) -> MeasureDefinition:
    found = shipped().find(measure_id)
    if found is None:
        known = ", ".join(d.id for d in definitions())
        raise ValidationError([FieldProblem(
            "measure_id", f"Unknown measure {measure_id!r}. Known measures: {known}.")])
    return found


def preview(measure_id: str, answers: Sequence[Answer]) -> Score:
    """Score without saving (the administer dialog shows this as answers arrive)."""
    definition = get_definition(measure_id)
    try:
        return score(definition, answers)
    except AnswerError as exc:
        raise ValidationError([
            FieldProblem(f"item_{p.item}" if p.item else "answers", p.message)
            for p in exc.problems]) from None


def _view(row: MeasureAdministration) -> Administration:
    definition = shipped().find(row.measure_id)
    total: int | float | None = row.total
    if total is not None and float(total).is_integer():
        total = int(total)
    return Administration(
        id=row.id, client_id=row.client_id, referral_id=row.referral_id,
        measure_id=row.measure_id,
        measure_title=definition.short_title if definition else row.measure_id,
        taken_on=row.taken_on, answers=tuple(row.answers or ()), total=total, band=row.band,
        caseness=row.caseness, valid=row.valid, entered_from_paper=row.entered_from_paper,
        practitioner_id=row.practitioner_id,
    )


def _episode_for(s: Session, client_id: uuid.UUID, on: date) -> uuid.UUID | None:
    """The referral open on `on` (the latest received on or before it)."""
    return s.execute(
        select(Referral.id).where(
            Referral.client_id == client_id, Referral.deleted_at.is_(None),
            Referral.received_on <= on,
            or_(Referral.discharged_on.is_(None), Referral.discharged_on >= on))
        .order_by(Referral.received_on.desc()).limit(1)
    ).scalar()


def record(ctx: AppContext, data: MeasureInput, *, today: date | None = None) -> RecordResult:
    """Score and save one administration. Bad input raises `ValidationError` naming the field
    (`measure_id`, `taken_on`, `item_N`, `answers`) and nothing is written. A form with too
    many missing items is still saved (it happened), marked not valid."""
    permissions.require(ctx.actor, "measures.record")
    problems: list[FieldProblem] = []
    today = today or date.today()
    result: Score | None = None
    try:
        result = preview(data.measure_id, data.answers)
    except ValidationError as exc:
        problems.extend(exc.problems)
    if data.taken_on > today:
        problems.append(FieldProblem("taken_on", "The date cannot be in the future."))
    elif data.taken_on.year < 1990:
        problems.append(FieldProblem("taken_on", "Check the date: it is too long ago."))
    if problems or result is None:
        raise ValidationError(problems)
    definition = get_definition(data.measure_id)
    with ctx.store.session() as s:
        access.require_client(s, ctx.actor, data.client_id)
        referral_id = data.referral_id or _episode_for(s, data.client_id, data.taken_on)
        row = MeasureAdministration(
            client_id=data.client_id, referral_id=referral_id, measure_id=definition.id,
            taken_on=data.taken_on, answers=list(data.answers),
            total=float(result.total) if result.total is not None else None,
            band=result.band, caseness=result.caseness, valid=result.valid,
            entered_from_paper=data.entered_from_paper, practitioner_id=ctx.actor.id,
        )
        s.add(row)
        s.flush()
        audit.record(s, ctx.actor, "measures.record", entity="measure_administration",
                     entity_id=row.id, client_id=data.client_id,
                     detail=f"measure={definition.id} paper={int(data.entered_from_paper)}")
        if result.risk:
            # Identifiers only: that a risk item was answered, never the answer.
            audit.record(s, ctx.actor, "measures.risk_item", entity="measure_administration",
                         entity_id=row.id, client_id=data.client_id,
                         detail=f"measure={definition.id}")
        view = _view(row)
    return RecordResult(view, result, Changed.of(ENTITY, ids=(str(data.client_id), str(view.id))))


def remove(ctx: AppContext, administration_id: uuid.UUID) -> Changed:
    """Mark an administration entered in error (soft delete: it travels as a tombstone)."""
    permissions.require(ctx.actor, "measures.record")
    from wellbeing_desktop.storage.types import utcnow

    with ctx.store.session() as s:
        row = s.get(MeasureAdministration, administration_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("That measure was not found.")
        row.deleted_at = utcnow()
        audit.record(s, ctx.actor, "measures.remove", entity="measure_administration",
                     entity_id=row.id, client_id=row.client_id)
        client_id = row.client_id
    return Changed.of(ENTITY, ids=(str(client_id), str(administration_id)))


_VIEW_COLUMNS = (
    MeasureAdministration.id, MeasureAdministration.client_id, MeasureAdministration.referral_id,
    MeasureAdministration.measure_id, MeasureAdministration.taken_on, MeasureAdministration.answers,
    MeasureAdministration.total, MeasureAdministration.band, MeasureAdministration.caseness,
    MeasureAdministration.valid, MeasureAdministration.entered_from_paper,
    MeasureAdministration.practitioner_id,
)


def _load(s: Session, client_id: uuid.UUID) -> list[Administration]:
    """The client's administrations, oldest first (plain columns: no ORM identity map)."""
    found = shipped()
    out: list[Administration] = []
    for (aid, cid, rid, measure_id, taken_on, answers, total, band, caseness, valid, paper,
         pid) in s.execute(
            select(*_VIEW_COLUMNS).where(
                MeasureAdministration.client_id == client_id,
                MeasureAdministration.deleted_at.is_(None))
            .order_by(MeasureAdministration.taken_on, MeasureAdministration.created_at)):
        definition = found.find(measure_id)
        if total is not None and float(total).is_integer():
            total = int(total)
        out.append(Administration(
            aid, cid, rid, measure_id, definition.short_title if definition else measure_id,
            taken_on, tuple(answers or ()), total, band, caseness, valid, paper, pid))
    return out


@dataclass(frozen=True)
class Overview:
    """Everything the Measures tab shows, read in one unit of work."""

    administrations: list[Administration]  # newest first
    series: list[MeasureSeries]
    outcome: PairedOutcome | None
    changes: tuple[Change, ...] = ()  # first against last in the episode, every measure


def overview(ctx: AppContext, client_id: uuid.UUID) -> Overview:
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        rows = _load(s, client_id)
        outcome = outcome_of(s, client_id, rows)
        found = changes_in(in_episode(s, client_id, rows))
    return Overview(list(reversed(rows)), series_of(rows), outcome, tuple(found))


def changes(ctx: AppContext, client_id: uuid.UUID) -> list[Change]:
    """Change over the client's latest episode (first against last valid administration) for
    each measure taken at least twice in it: totals, and item by item where there is none."""
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        return changes_in(in_episode(s, client_id, _load(s, client_id)))


def administrations(ctx: AppContext, client_id: uuid.UUID) -> list[Administration]:
    """The client's measures, newest first."""
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        return list(reversed(_load(s, client_id)))


def series(ctx: AppContext, client_id: uuid.UUID) -> list[MeasureSeries]:
    """Per measure (and per item for a measure with no total), valid scores over time."""
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        return series_of(_load(s, client_id))


def episode_outcome(ctx: AppContext, client_id: uuid.UUID) -> PairedOutcome | None:
    """First against last valid PHQ-9 and GAD-7 of the client's latest episode; None until
    each has been taken at least twice in it."""
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        return outcome_of(s, client_id, _load(s, client_id))


def acknowledge_risk_prompt(ctx: AppContext, client_id: uuid.UUID,
                            administration_id: uuid.UUID | None) -> None:
    """Note (identifiers only) that the practitioner saw and acknowledged the risk prompt."""
    permissions.require(ctx.actor, "measures.record")
    with ctx.store.session() as s:
        audit.record(s, ctx.actor, "measures.risk_prompt_acknowledged",
                     entity="measure_administration", entity_id=administration_id or "",
                     client_id=client_id)


def goal_titles(ctx: AppContext, client_id: uuid.UUID) -> list[str]:
    """The client's active goals (oldest first), to name the goal-based outcome ratings."""
    from wellbeing_desktop.services import goals

    active = [g for g in goals.list_for_client(ctx, client_id) if g.status == "active"]
    # The list comes newest first; reversed, a stable sort keeps goals set the same day in order.
    return [g.what for g in sorted(reversed(active), key=lambda g: g.set_on)]
