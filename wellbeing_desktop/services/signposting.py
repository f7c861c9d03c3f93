"""Assisted signposting: connect a client with local services and follow up (issue 5)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select

from wellbeing_desktop.domain.needs import DOMAIN_CODES, NEEDS_DOMAINS, domain_label
from wellbeing_desktop.services import access, audit
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.directory import (
    GOT_THERE,
    ServiceDetail,
    ServiceFigures,
    flag_wrong_in_session,
    load_details,
)
from wellbeing_desktop.services.errors import Changed, Entity, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.services.permissions import require
from wellbeing_desktop.storage.models import Client
from wellbeing_desktop.storage.models.casework import NeedRating, NeedsAssessment
from wellbeing_desktop.storage.models.directory import DirService
from wellbeing_desktop.storage.models.signposting import Signposting, SignpostingFollowUp

ENTITY = Entity.SIGNPOSTING
KINDS: dict[str, str] = {
    "information": "Information given",
    "assisted_referral": "Assisted referral made with the client",
    "warm_handover": "Warm handover",
}
OUTCOMES: dict[str, str] = {
    "engaged": "Engaged with the service",
    "waiting": "On the service's waiting list",
    "not_yet": "Not contacted them yet",
    "declined": "Decided not to go",
    "not_eligible": "Not eligible",
    "service_closed": "Service closed or wrong details",
    "unknown": "Unknown",
}
SHARING_KINDS = ("assisted_referral", "warm_handover")


def kind_label(code: str) -> str:
    return KINDS.get(code, code)


def outcome_label(code: str) -> str:
    return OUTCOMES.get(code, code or "Not followed up yet")


@dataclass(frozen=True)
class SignpostInput:
    service_id: uuid.UUID | None
    need: str
    kind: str
    consent_to_share: bool = False
    shared_what: str = ""
    shared_with: str = ""
    follow_up_on: date | None = None
    note: str = ""
    signposted_on: date | None = None
    session_id: uuid.UUID | None = None


def _validate(item: SignpostInput, today: date) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if item.service_id is None:
        problems.append(FieldProblem("service_id", "choose a service"))
    if item.need not in DOMAIN_CODES:
        problems.append(FieldProblem("need", "choose the need this service addresses"))
    if item.kind not in KINDS:
        problems.append(FieldProblem("kind", "choose the kind of support"))
    on = item.signposted_on or today
    if on > today:
        problems.append(FieldProblem("signposted_on", "cannot be in the future"))
    if item.kind in SHARING_KINDS and not item.consent_to_share:
        problems.append(FieldProblem(
            "consent_to_share", "a referral or handover shares the client's details: record "
                                "their consent first, or choose \"information given\""))
    if item.consent_to_share and item.kind in SHARING_KINDS:
        if not item.shared_what.strip():
            problems.append(FieldProblem("shared_what", "say what was shared"))
        if not item.shared_with.strip():
            problems.append(FieldProblem("shared_with", "say who it was shared with"))
    if not item.consent_to_share and (item.shared_what.strip() or item.shared_with.strip()):
        problems.append(FieldProblem("shared_what", "the client has not agreed to share details"))
    if item.follow_up_on is not None and item.follow_up_on < on:
        problems.append(FieldProblem("follow_up_on", "must be on or after the signposting date"))
    for name, value, limit in (("note", item.note, 2000), ("shared_what", item.shared_what, 1000),
                               ("shared_with", item.shared_with, 300)):
        if len(value) > limit:
            problems.append(FieldProblem(name, f"keep this under {limit:,} characters"))
    return problems


def record(ctx: AppContext, client_id: uuid.UUID, items: list[SignpostInput], *,
           today: date | None = None) -> Changed:
    """Record one or more signpostings for a client in one unit of work."""
    require(ctx.actor, "signposting.record")
    today = today or date.today()
    if not items:
        raise ValidationError([FieldProblem("service_id", "choose at least one service")])
    problems: list[FieldProblem] = []
    for number, item in enumerate(items):
        for p in _validate(item, today):
            problems.append(p if len(items) == 1 else
                            FieldProblem(p.field, f"service {number + 1}: {p.message}"))
    if problems:
        raise ValidationError(problems)
    ids: list[str] = []
    with ctx.store.session() as s:
        access.require_client(s, ctx.actor, client_id)
        for item in items:
            service = s.get(DirService, item.service_id)
            if service is None or service.deleted_at is not None:
                raise ValidationError([FieldProblem("service_id", "that service is not in the "
                                                                  "directory")])
            if service.withdrawn_at is not None:
                raise ValidationError([FieldProblem(
                    "service_id", f"{service.name} has been withdrawn from the directory")])
            row = Signposting(
                client_id=client_id, service_id=service.id,
                practitioner_id=ctx.actor.id, session_id=item.session_id,
                signposted_on=item.signposted_on or today, need=item.need, kind=item.kind,
                consent_to_share=item.consent_to_share,
                shared_what=item.shared_what.strip() if item.consent_to_share else "",
                shared_with=item.shared_with.strip() if item.consent_to_share else "",
                note=item.note.strip(), follow_up_on=item.follow_up_on,
            )
            s.add(row)
            s.flush()
            ids.append(str(row.id))
            audit.record(s, ctx.actor, "signposting.record", entity=ENTITY, entity_id=row.id,
                         client_id=client_id)
    return Changed.of(ENTITY, ids=tuple(ids))


def record_follow_up(ctx: AppContext, signposting_id: uuid.UUID, outcome: str, *,
                     note: str = "", on: date | None = None,
                     next_follow_up_on: date | None = None,
                     today: date | None = None) -> Changed:
    """Record what happened; "service closed or wrong details" reports the service as wrong."""
    require(ctx.actor, "signposting.record")
    today = today or date.today()
    on = on or today
    problems = []
    if outcome not in OUTCOMES:
        problems.append(FieldProblem("outcome", "choose what happened"))
    if on > today:
        problems.append(FieldProblem("on", "cannot be in the future"))
    if next_follow_up_on is not None and next_follow_up_on <= on:
        problems.append(FieldProblem("next_follow_up_on", "must be after the follow-up date"))
    if len(note) > 2000:
        problems.append(FieldProblem("note", "keep this under 2,000 characters"))
    if problems:
        raise ValidationError(problems)
    with ctx.store.session() as s:
        row = s.get(Signposting, signposting_id)
        if row is None or row.deleted_at is not None:
            raise NotFound("That signposting record was not found.")
        s.add(SignpostingFollowUp(signposting_id=row.id, client_id=row.client_id,
                                  followed_up_on=on, outcome=outcome, note=note.strip(),
                                  next_follow_up_on=next_follow_up_on))
        row.outcome = outcome
        row.outcome_on = on
        row.follow_up_on = next_follow_up_on
        entities: list[Entity] = [ENTITY]
        if outcome == "service_closed":
            reason = note.strip() or "Service closed or wrong details (found at a follow-up)"
            flag_wrong_in_session(s, row.service_id, reason, on)
            entities.append(Entity.DIRECTORY)
        audit.record(s, ctx.actor, "signposting.follow_up", entity=ENTITY, entity_id=row.id,
                     client_id=row.client_id, detail=outcome)
    return Changed.of(*entities, ids=(str(signposting_id),))


# ----------------------------------------------------------------------------------- reading

@dataclass(frozen=True)
class FollowUpDue:
    signposting_id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    service_id: uuid.UUID
    service_name: str
    due_on: date
    need: str
    kind: str


def follow_ups_due(ctx: AppContext, on: date) -> list[FollowUpDue]:
    """Follow-ups due on or before `on` (a practitioner sees their own caseload's)."""
    sp, cl, sv = Signposting.__table__, Client.__table__, DirService.__table__
    query = (
        select(sp.c.id, sp.c.client_id, cl.c.given_name, cl.c.preferred_name, cl.c.family_name,
               sp.c.service_id, sv.c.name, sp.c.follow_up_on, sp.c.need, sp.c.kind)
        .join(cl, cl.c.id == sp.c.client_id).join(sv, sv.c.id == sp.c.service_id)
        .where(sp.c.deleted_at.is_(None), cl.c.deleted_at.is_(None),
               sp.c.follow_up_on.is_not(None), sp.c.follow_up_on <= on)
        .order_by(sp.c.follow_up_on, cl.c.family_name)
    )
    if not ctx.actor.is_supervisor:
        query = query.where(cl.c.practitioner_id == ctx.actor.id)
    with ctx.store.read() as s:
        rows = s.execute(query).all()
    return [FollowUpDue(r[0], r[1], f"{r[3] or r[2]} {r[4]}".strip(), r[5], r[6], r[7], r[8],
                        r[9]) for r in rows]


@dataclass(frozen=True)
class SignpostSummary:
    id: uuid.UUID
    client_id: uuid.UUID
    signposted_on: date
    need: str
    kind: str
    consent_to_share: bool
    shared_what: str
    shared_with: str
    note: str
    follow_up_on: date | None
    outcome: str
    outcome_on: date | None
    service: ServiceDetail
    follow_ups: tuple[tuple[date, str, str], ...] = field(default_factory=tuple)

    # Contact details for printed plans (the packs area reads these).
    @property
    def service_name(self) -> str:
        return self.service.name

    @property
    def what_it_does(self) -> str:
        return self.service.description

    @property
    def phones(self) -> tuple[str, ...]:
        return self.service.phone_numbers

    @property
    def address(self) -> str:
        return self.service.address_text

    @property
    def opening_times(self) -> str:
        return self.service.opening_text

    @property
    def website(self) -> str:
        return self.service.url or self.service.organization_website

    @property
    def need_label(self) -> str:
        return domain_label(self.need)

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)

    @property
    def contact_made(self) -> bool:
        return self.outcome in GOT_THERE


def list_for_client(ctx: AppContext, client_id: uuid.UUID, *,
                    today: date | None = None) -> list[SignpostSummary]:
    """Every signposting of a client, newest first, with the service's full contact details."""
    require(ctx.actor, "client.view_own")
    sp, fu = Signposting.__table__, SignpostingFollowUp.__table__
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        rows = s.execute(select(sp).where(sp.c.client_id == client_id, sp.c.deleted_at.is_(None))
                         .order_by(sp.c.signposted_on.desc(), sp.c.created_at.desc())).all()
        details = load_details(s, [r.service_id for r in rows], today)
        follow: dict[uuid.UUID, list[tuple[date, str, str]]] = {}
        for f in s.execute(select(fu).where(fu.c.client_id == client_id,
                                            fu.c.deleted_at.is_(None))
                           .order_by(fu.c.followed_up_on)):
            follow.setdefault(f.signposting_id, []).append((f.followed_up_on, f.outcome, f.note))
    return [SignpostSummary(
        id=r.id, client_id=r.client_id, signposted_on=r.signposted_on, need=r.need, kind=r.kind,
        consent_to_share=r.consent_to_share, shared_what=r.shared_what,
        shared_with=r.shared_with, note=r.note, follow_up_on=r.follow_up_on, outcome=r.outcome,
        outcome_on=r.outcome_on, service=details[r.service_id],
        follow_ups=tuple(follow.get(r.id, [])),
    ) for r in rows]


def service_figures(ctx: AppContext) -> list[ServiceFigures]:
    """Per service: how often it was used, how often people got there, how often found wrong."""
    require(ctx.actor, "reports.view")
    sp, sv = Signposting.__table__, DirService.__table__
    query = (
        select(sv.c.id, sv.c.name, func.count(sp.c.id),
               func.sum(case((sp.c.outcome.in_(GOT_THERE), 1), else_=0)),
               func.sum(case((sp.c.outcome == "service_closed", 1), else_=0)))
        .join(sp, sp.c.service_id == sv.c.id)
        .where(sp.c.deleted_at.is_(None))
        .group_by(sv.c.id, sv.c.name)
        .order_by(func.count(sp.c.id).desc(), sv.c.name)
    )
    with ctx.store.read() as s:
        return [ServiceFigures(r[0], r[1], int(r[2]), int(r[3] or 0), int(r[4] or 0))
                for r in s.execute(query).all()]


@dataclass(frozen=True)
class ClientNeed:
    """A needs domain to suggest services for, and why."""

    domain: str
    level: int = 0  # from the latest needs check: 1 some, 2 high; 0 = only signposted before
    priority: int = 0  # the client's own priority: 2 now, 1 later, 0 not now
    assessed_on: date | None = None

    @property
    def label(self) -> str:
        return domain_label(self.domain)

    @property
    def why(self) -> str:
        if self.assessed_on is None:
            return f"{self.label} (signposted for before)"
        level = {2: "high need", 1: "some need"}.get(self.level, "need")
        priority = {2: ", their priority now", 1: ", a priority later"}.get(self.priority, "")
        return f"{self.label} ({level}{priority})"


def client_needs(ctx: AppContext, client_id: uuid.UUID) -> list[ClientNeed]:
    """The client's needs to suggest services for, most pressing first.

    From the latest needs check (casework): domains rated as a need, the client's own priority
    first, then high need before some need. Needs signposted for before and not rated in that
    check follow; with no needs check at all, those alone.
    """
    require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        latest = s.execute(select(NeedsAssessment.id, NeedsAssessment.assessed_on).where(
            NeedsAssessment.client_id == client_id, NeedsAssessment.deleted_at.is_(None))
            .order_by(NeedsAssessment.assessed_on.desc(), NeedsAssessment.created_at.desc())
            .limit(1)).first()
        rated: list[ClientNeed] = []
        rated_domains: set[str] = set()
        if latest is not None:
            for domain, level, priority in s.execute(
                    select(NeedRating.domain, NeedRating.level, NeedRating.priority).where(
                        NeedRating.assessment_id == latest.id,
                        NeedRating.deleted_at.is_(None))):
                rated_domains.add(domain)
                if level > 0 and domain in DOMAIN_CODES:
                    rated.append(ClientNeed(domain, level, priority, latest.assessed_on))
        before = s.execute(select(Signposting.need).where(
            Signposting.client_id == client_id, Signposting.deleted_at.is_(None))
            .group_by(Signposting.need).order_by(func.max(Signposting.created_at).desc())
        ).scalars().all()
    order = {d.code: i for i, d in enumerate(NEEDS_DOMAINS)}
    rated.sort(key=lambda n: (-n.priority, -n.level, order[n.domain]))
    return rated + [ClientNeed(n) for n in before
                    if n in DOMAIN_CODES and n not in rated_domains]
