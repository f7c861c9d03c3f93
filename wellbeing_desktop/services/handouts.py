"""Signposting handouts without a client: for a need (and an area, or a course), built from
the directory, in the three print variants. Printing is audited (identifiers only: the need,
the area, the hash); there is no person to record it against."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date

from wellbeing_desktop.domain.languages import language_name
from wellbeing_desktop.domain.needs import DOMAIN_CODES, NEEDS_DOMAINS, domain_label
from wellbeing_desktop.packs.content import Content, available_languages
from wellbeing_desktop.packs.handout import course_lines, handout_title, render_handout
from wellbeing_desktop.packs.snapshot import VARIANTS, PackSnapshot, ServiceEntry
from wellbeing_desktop.services import audit, directory, packs, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import FieldProblem, ValidationError

MOST = 12  # a handout for a waiting room: the first dozen, favourites and the freshest first


@dataclass(frozen=True)
class BuiltHandout:
    title: str
    need: str
    area: str
    course_id: uuid.UUID | None
    variant: str
    pdf: bytes
    sha256: str
    pages: int
    services: int


def build_handout(ctx: AppContext, need: str, *, area: str = "",
                  course_id: uuid.UUID | None = None, variant: str = "standard",
                  language: str = "en", today: date | None = None) -> BuiltHandout:
    """Bad input (an unknown need or variant, a course that does not exist) raises
    `ValidationError` naming the field."""
    permissions.require(ctx.actor, "client.view_own")
    problems = []
    if need not in DOMAIN_CODES:
        known = ", ".join(d.code for d in NEEDS_DOMAINS)
        problems.append(FieldProblem("need", f"Unknown need {need!r}; use one of: {known}."))
    if variant not in VARIANTS:
        problems.append(FieldProblem("variant", f"Unknown variant {variant!r}; use one of: "
                                                f"{', '.join(VARIANTS)}."))
    folder = packs.content_dir(ctx)
    if language not in available_languages(folder):
        problems.append(FieldProblem("language", f"No printed text in {language_name(language)} "
                                                 "yet."))
    if problems:
        raise ValidationError(problems)
    today = today or date.today()
    lines: tuple[str, ...] = ()
    label = domain_label(need)
    # The handout's own words in its language (the same catalogues as every document).
    words = Content(language, variant, folder)
    title = handout_title(words, need, label, area.strip())
    if course_id is not None:
        from wellbeing_desktop.services import courses
        from wellbeing_desktop.services.errors import NotFound

        try:
            course = courses.get_course(ctx, course_id)
        except NotFound:
            raise ValidationError([FieldProblem("course", "That course was not found.")]) from None
        title = handout_title(words, need, label, course=course.title)
        lines = course_lines(words, [(s.number, s.starts_at, s.venue or course.venue)
                                     for s in course.sessions], course.mode == "video")
    hits = directory.search(ctx, "", directory.SearchFilters(need=need, area=area.strip()),
                            limit=MOST * 2, today=today)
    entries: list[ServiceEntry] = []
    for hit in hits:
        if hit.reported_wrong or hit.withdrawn:
            continue
        svc = directory.get_service(ctx, hit.id, today=today)
        place = svc.locations[0] if svc.locations else None
        entries.append(ServiceEntry(
            name=svc.name, description=svc.description[:400], reason="",
            phone=svc.phones[0].number if svc.phones else "",
            address=place.address if place else "", postcode=place.postcode if place else "",
            opening_times=svc.opening_times, website=svc.url or svc.organization_website,
            email=svc.email, what_to_expect=svc.how_to_refer))
        if len(entries) == MOST:
            break
    snap = PackSnapshot(
        kind="handout", variant=variant, language=language, issued_on=today, person_name="",
        first_name="", service_name=str(ctx.settings.get("service_name") or ""),
        services=tuple(entries), crisis_contacts=packs.crisis_contacts(ctx))

    pdf = render_handout(snap, title, lines, str(folder) if folder else None)
    digest = hashlib.sha256(pdf).hexdigest()
    with ctx.store.session() as s:
        audit.record(s, ctx.actor, "handout.built", entity="handout", entity_id="",
                     detail=f"need={need} variant={variant} sha256={digest[:16]}")
    return BuiltHandout(title, need, area.strip(), course_id, variant, pdf, digest,
                        packs._page_count(pdf), len(entries))
