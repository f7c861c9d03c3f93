"""A course's printed documents (register and sign-in sheets, course plan, certificates): one
print job per course, recorded like other documents — a `PrintedDocument` (what, when, which
variant, the SHA-256, never the PDF) for each person the job was for; the register, which is
the team's, is recorded in the audit log."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from wellbeing_desktop.domain import courses as rules
from wellbeing_desktop.domain.languages import language_name
from wellbeing_desktop.packs import fonts
from wellbeing_desktop.packs.content import available_languages
from wellbeing_desktop.packs.course_documents import (
    BY_VIDEO,
    BY_VIDEO_LINK,
    KINDS,
    TITLES,
    CourseRenderer,
    CourseSnapshot,
    Person,
    SessionLine,
)
from wellbeing_desktop.packs.snapshot import VARIANTS
from wellbeing_desktop.services import audit, course_register, courses, packs, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, FieldProblem, ValidationError
from wellbeing_desktop.services.sessions import topic_label
from wellbeing_desktop.storage.models import Client
from wellbeing_desktop.storage.models.documents import PrintedDocument

RECORDED_KIND = {"course_plan": "course_plan", "certificates": "certificate"}


@dataclass(frozen=True)
class BuiltCourseDocument:
    course_id: uuid.UUID
    kind: str
    variant: str
    title: str
    pdf: bytes
    sha256: str
    pages: int
    for_clients: tuple[uuid.UUID, ...]  # whose copy it is (everyone enrolled; finishers)
    language: str = "en"   # the register is always English (packs.course_documents)


def snapshot(ctx: AppContext, course_id: uuid.UUID, variant: str = "standard", *,
             today: date | None = None, language: str = "en"
             ) -> tuple[CourseSnapshot, list[uuid.UUID],
                                                 list[uuid.UUID]]:
    course = courses.get_course(ctx, course_id)
    progress = course_register.progress(ctx, course_id)
    with ctx.store.read() as s:
        full = {cid: (pref or given, family) for cid, pref, given, family in s.execute(
            select(Client.id, Client.preferred_name, Client.given_name, Client.family_name)
            .where(Client.id.in_([p.client_id for p in progress]))).all()}
    people = tuple(Person(
        rules.register_name(p.given_name, p.family_name, course.register_names),
        " ".join(full.get(p.client_id, (p.given_name, p.family_name))).strip(),
        p.marks, p.finished) for p in progress)
    default_where = course.venue or (BY_VIDEO_LINK if course.mode == "video" else "")
    snap = CourseSnapshot(
        title=course.title, audience=course.audience,
        service_name=str(ctx.settings.get("service_name") or ""),
        service_phone=str(ctx.settings.section("packs").get("service_phone") or ""),
        facilitators=course.facilitators,
        rule_text=f"come to at least {course.complete_after} of the {len(course.sessions)} "
                  "sessions",
        sessions=tuple(SessionLine(x.number, x.starts_at, x.minutes,
                                   (BY_VIDEO if x.mode == "video" else x.venue)
                                   or default_where, tuple(topic_label(t) for t in x.topics))
                       for x in course.sessions),
        people=people, crisis_contacts=packs.crisis_contacts(ctx),
        issued_on=today or date.today(), variant=variant, language=language,
        complete_after=course.complete_after)
    return (snap, [p.client_id for p in progress],
            [p.client_id for p in progress if p.finished])


def build(ctx: AppContext, course_id: uuid.UUID, kind: str, variant: str = "standard", *,
          today: date | None = None, language: str = "en") -> BuiltCourseDocument:
    """One document for the whole course. `language`: the participants' documents' wording
    (a draft translation says so on the page); the register stays English."""
    permissions.require(ctx.actor, "packs.print")
    problems = []
    if kind not in KINDS:
        problems.append(FieldProblem("kind", f"Unknown document {kind!r}; use one of: "
                                             f"{', '.join(KINDS)}."))
    if variant not in VARIANTS:
        problems.append(FieldProblem("variant", f"Unknown variant {variant!r}."))
    folder = packs.content_dir(ctx)
    if language not in available_languages(folder):
        problems.append(FieldProblem("language", f"No printed text in {language_name(language)} "
                                                 "yet."))
    if problems:
        raise ValidationError(problems)
    snap, everyone, finished = snapshot(ctx, course_id, variant, today=today, language=language)
    missing = fonts.unrenderable(snap.all_text())
    if missing:
        raise ValidationError([FieldProblem("names", f"{missing[0]} cannot be printed with "
                                                     "the fonts this app has.")])
    renderer = CourseRenderer(snap, kind, str(folder) if folder else None)
    pdf = renderer.render()
    whose = {"register": [], "course_plan": everyone, "certificates": finished}[kind]
    return BuiltCourseDocument(course_id, kind, variant, f"{TITLES[kind]}: {snap.title}", pdf,
                               hashlib.sha256(pdf).hexdigest(), packs._page_count(pdf),
                               tuple(whose), renderer.language)


def record_printed(ctx: AppContext, doc: BuiltCourseDocument,
                   action: str = "printed") -> Changed:
    """One job for the course: a printed-document record for each person it was for."""
    permissions.require(ctx.actor, "packs.print")
    if action not in ("printed", "saved"):
        raise ValidationError([FieldProblem("action", "must be printed or saved")])
    with ctx.store.session() as s:
        audit.record(s, ctx.actor, f"course.{doc.kind}.{action}", entity="course",
                     entity_id=doc.course_id, detail=f"{doc.variant} sha256={doc.sha256[:16]}")
        for client_id in doc.for_clients:
            row = PrintedDocument(client_id=client_id, kind=RECORDED_KIND[doc.kind],
                                  variant=doc.variant, language=doc.language,
                                  recipient="person",
                                  action=action, sha256=doc.sha256, size_bytes=len(doc.pdf),
                                  pages=doc.pages, printed_by=ctx.actor.id)
            s.add(row)
            s.flush()
            audit.record(s, ctx.actor, f"document.{action}", entity="printed_document",
                         entity_id=row.id, client_id=client_id,
                         detail=f"{RECORDED_KIND[doc.kind]} {doc.variant}")
    return Changed.of("printed_document", ids=tuple(str(c) for c in doc.for_clients))
