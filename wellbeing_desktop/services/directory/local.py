"""What a clinic keeps about a service locally: favourite, notes, verified, reported wrong."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from wellbeing_desktop.domain.markup import clean_text
from wellbeing_desktop.domain.needs import DOMAIN_CODES, domain_label
from wellbeing_desktop.services import audit
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.directory.lookup import ENTITY
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.services.permissions import require
from wellbeing_desktop.storage.models import directory as m


def _edit(ctx: AppContext, service_id: uuid.UUID, permission: str, action: str,
          values: dict[str, Any]) -> Changed:
    require(ctx.actor, permission)
    with ctx.store.session() as s:
        service = s.get(m.DirService, service_id)
        if service is None or service.deleted_at is not None:
            raise NotFound("That service is not in the directory.")
        for key, value in values.items():
            setattr(service, key, value)
        if "needs" in values:
            org = s.get(m.DirOrganization, service.organization_id) \
                if service.organization_id else None
            terms = s.execute(select(m.DirTaxonomyTerm.name).join(
                m.DirAttribute, m.DirAttribute.taxonomy_term_id == m.DirTaxonomyTerm.id).where(
                m.DirAttribute.service_id == service_id, m.DirAttribute.deleted_at.is_(None))
            ).scalars().all()
            # Clean text only, as the importer indexes it.
            words = [clean_text(org.name) if org else "", *(clean_text(t) for t in terms),
                     " ".join(domain_label(c) for c in service.needs.split())]
            service.search_terms = " ".join(w for w in words if w)
        audit.record(s, ctx.actor, action, entity=ENTITY, entity_id=service_id)
    return Changed.of(ENTITY, ids=(str(service_id),))


def set_favourite(ctx: AppContext, service_id: uuid.UUID, favourite: bool) -> Changed:
    return _edit(ctx, service_id, "directory.note", "directory.favourite",
                 {"favourite": bool(favourite)})


@dataclass(frozen=True)
class LocalDetails:
    needs: tuple[str, ...] = ()
    self_referral: bool | None = None
    how_to_refer: str = ""
    practitioner_notes: str = ""


def save_local_details(ctx: AppContext, service_id: uuid.UUID, details: LocalDetails) -> Changed:
    """The team's own notes about a service: needs it serves, self-referral, how to refer."""
    problems = []
    unknown = [n for n in details.needs if n not in DOMAIN_CODES]
    if unknown:
        problems.append(FieldProblem("needs", f"unknown needs domain: {', '.join(unknown)}"))
    if len(details.practitioner_notes) > 4000:
        problems.append(FieldProblem("practitioner_notes", "keep notes under 4,000 characters"))
    if len(details.how_to_refer) > 2000:
        problems.append(FieldProblem("how_to_refer", "keep this under 2,000 characters"))
    if problems:
        raise ValidationError(problems)
    return _edit(ctx, service_id, "directory.note", "directory.note", {
        "needs": " ".join(sorted(set(details.needs))),
        "self_referral": details.self_referral,
        "how_to_refer": details.how_to_refer.strip(),
        "practitioner_notes": details.practitioner_notes.strip(),
    })


def mark_verified(ctx: AppContext, service_id: uuid.UUID, *, on: date | None = None) -> Changed:
    return _edit(ctx, service_id, "directory.verify", "directory.verify",
                 {"verified_on": on or date.today(), "verified_by": ctx.actor.name})


def report_wrong(ctx: AppContext, service_id: uuid.UUID, reason: str, *,
                 on: date | None = None) -> Changed:
    reason = reason.strip()
    if not reason:
        raise ValidationError([FieldProblem("reason", "say what is wrong (closed, wrong phone "
                                                      "number, moved …)")])
    if len(reason) > 1000:
        raise ValidationError([FieldProblem("reason", "keep this under 1,000 characters")])
    return _edit(ctx, service_id, "directory.note", "directory.report_wrong", {
        "reported_wrong": True, "reported_wrong_reason": reason,
        "reported_wrong_on": on or date.today()})


def clear_reported_wrong(ctx: AppContext, service_id: uuid.UUID) -> Changed:
    return _edit(ctx, service_id, "directory.verify", "directory.clear_wrong", {
        "reported_wrong": False, "reported_wrong_reason": "", "reported_wrong_on": None})


def flag_wrong_in_session(s: Session, service_id: uuid.UUID, reason: str, on: date) -> None:
    """Signposting's "service closed or wrong details" outcome, inside its unit of work."""
    s.execute(update(m.DirService).where(m.DirService.id == service_id).values(
        reported_wrong=True, reported_wrong_reason=reason[:1000], reported_wrong_on=on))
