"""Printed documents for a client: assemble the snapshot from the store, build the PDF in
memory, refuse text that cannot be printed, and record what was printed (never the PDF).

Client details, referral and practitioner come from the store now; goals, sessions' topics,
discharge, next appointment, signposting and measures are read from their areas' services
(see `_casework` and friends), each section saying plainly when nothing is recorded.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from wellbeing_desktop.domain import intake
from wellbeing_desktop.domain.languages import language_name as english_name
from wellbeing_desktop.domain.letters import RECIPIENTS_FOR, Stage, refusal
from wellbeing_desktop.packs import fonts, pseudo
from wellbeing_desktop.packs.content import (
    ContentError,
    available_languages,
    language_name,
    language_status,
)
from wellbeing_desktop.packs.documents import render, render_html
from wellbeing_desktop.packs.snapshot import (
    KINDS,
    LETTER_KINDS,
    RECIPIENTS,
    VARIANTS,
    Contact,
    PackSnapshot,
)
from wellbeing_desktop.services import (
    access,
    audit,
    letter_sources,
    pack_sources,
    permissions,
    stages,
)
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.context import Actor
from wellbeing_desktop.services.errors import Changed, FieldProblem, NotFound, ValidationError
from wellbeing_desktop.storage.models import Client, Practitioner, Referral
from wellbeing_desktop.storage.models.documents import PrintedDocument

# The client's recorded format (Accessible Information Standard) → the printed variant.
FORMAT_TO_VARIANT = {"standard": "standard", "large_print": "large-print",
                     "large-print": "large-print", "easy_read": "easy-read",
                     "easy-read": "easy-read"}
KIND_LABELS = {"plan": "Take-home plan and signposting pack", "leaflet": "What to expect leaflet",
               "discharge": "Discharge letter",
               "acknowledgement": "Referral acknowledgement", "optin": "Opt-in letter",
               "appointment": "Appointment letter", "no_contact": "“We tried to contact you” letter",
               "dna": "Did-not-attend letter", "outcome": "Assessment outcome letter",
               "introduction": "Introduction letter to a service"}
VARIANT_LABELS = {"standard": "Standard print", "large-print": "Large print",
                  "easy-read": "Easy read"}


@dataclass(frozen=True)
class DocumentChoice:
    kind: str = "plan"
    variant: str = "standard"
    language: str = "en"
    recipient: str = "person"
    include_chart: bool = True
    # An English copy with a note that an interpreter in this language goes through it.
    interpreter_language: str = ""


@dataclass(frozen=True)
class DocumentOptions:
    """What the documents panel offers for one client, with the client's defaults."""

    first_name: str
    default_variant: str
    default_language: str
    languages: tuple[tuple[str, str], ...]    # (code, the language's English name)
    format_note: str        # e.g. "Recorded format: braille — print standard and arrange braille"
    interpreter_needed: bool
    # The person's recorded language by name ("Arabic"), and plain words on its translation
    # ("" when English): the panel shows them and offers the interpreter note.
    person_language: str = ""
    person_code: str = ""
    language_note: str = ""
    reviewed: frozenset[str] = frozenset({"en"})   # languages with a reviewed catalogue
    statuses: tuple[tuple[str, str], ...] = ()     # (code, "Draft translation, ...")
    # What the person is most likely given now: the leaflet before sessions start, the
    # discharge letter once discharged, else the plan.
    default_kind: str = "plan"
    # "How and when to contact", shown beside the document: a letter posted to a home the
    # person asked us not to write to can put them at risk (hazard log H08).
    contact_preferences: str = ""
    # The stage rule: (kind, why it does not fit now) for each kind that is refused.
    refused: tuple[tuple[str, str], ...] = ()
    stage: Stage | None = None

    def refusal(self, kind: str, recipient: str | None = None) -> str | None:
        if recipient is not None and self.stage is not None:
            return refusal(kind, self.stage, recipient)
        return dict(self.refused).get(kind)


@dataclass(frozen=True)
class BuiltDocument:
    client_id: uuid.UUID
    choice: DocumentChoice
    issued_on: date
    title: str
    pdf: bytes
    sha256: str
    pages: int
    # The accessible copy (headings, lists, alternative text, language) saved beside a PDF.
    html: str = ""


@dataclass(frozen=True)
class PrintedRecord:
    id: uuid.UUID
    kind: str
    variant: str
    language: str
    recipient: str
    action: str
    sha256: str
    size_bytes: int
    pages: int
    printed_by: str
    printed_at: datetime


def content_dir(ctx: AppContext) -> Path | None:
    """The lead's document text folder, else the data folder's (imported translations)."""
    raw = ctx.settings.section("packs").get("content_dir") or ""
    if raw:
        return Path(raw)
    local = ctx.data_dir / "packs"
    return local if local.is_dir() else None


def crisis_contacts(ctx: AppContext) -> tuple[Contact, ...]:
    from wellbeing_desktop.services.settings import crisis_contact_rows

    return tuple(Contact(r["name"], r["phone"], r["note"]) for r in crisis_contact_rows(ctx.settings))


def _validate(ctx: AppContext, choice: DocumentChoice) -> None:
    problems = []
    if choice.kind not in KINDS:
        problems.append(FieldProblem("kind", f"choose one of {', '.join(KINDS)}"))
    if choice.variant not in VARIANTS:
        problems.append(FieldProblem("variant", f"choose one of {', '.join(VARIANTS)}"))
    if choice.recipient not in RECIPIENTS:
        problems.append(FieldProblem("recipient", f"choose one of {', '.join(RECIPIENTS)}"))
    langs = available_languages(content_dir(ctx), pseudo_languages=True)
    if choice.language not in langs:
        problems.append(FieldProblem(
            "language", f"no printed text in {english_name(choice.language)} yet (available: "
            f"{', '.join(english_name(code) for code in langs if code not in pseudo.CODES)})"))
    if problems:
        raise ValidationError(problems)


def _client(s: Any, client_id: uuid.UUID, actor: Actor) -> Client:
    access.require_client(s, actor, client_id)
    client: Client | None = s.get(Client, client_id)
    if client is None or client.deleted_at is not None:
        raise NotFound("No client with that id.")
    return client


STATUS_TO_KIND = {"referred": "leaflet", "assessed": "leaflet", "discharged": "discharge"}


def document_options(ctx: AppContext, client_id: uuid.UUID) -> DocumentOptions:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        c = _client(s, client_id, ctx.actor)
        fmt, lang, interp = c.document_format, c.language or "en", c.interpreter_needed
        first = c.preferred_name or c.given_name
        kind = STATUS_TO_KIND.get(c.status, "plan")
        contact = (c.contact_preferences or "").strip()
        stage = stages.read_stage(s, c)
    refused = tuple((k, why) for k in KINDS
                    if (why := refusal(k, stage, RECIPIENTS_FOR.get(k, ("person",))[0]))
                    is not None)
    if kind in dict(refused):
        kind = "plan"
    folder = content_dir(ctx)
    pseudo_on = bool(ctx.settings.section("packs").get("pseudo_languages"))
    langs = tuple(available_languages(folder, pseudo_languages=pseudo_on))
    variant = FORMAT_TO_VARIANT.get(fmt)
    note = ""
    if variant is None:
        configured = ctx.settings.section("packs").get("default_variant") or "standard"
        variant = configured if configured in VARIANTS else "standard"
        note = (f"Recorded format: {fmt.replace('_', ' ')}. Print is offered in "
                f"{VARIANT_LABELS[variant].lower()}; arrange the {fmt.replace('_', ' ')} "
                "version separately.")
    statuses = {code: language_status(code, folder) for code in langs}
    reviewed = frozenset(code for code, st in statuses.items() if st.reviewed)
    person = english_name(lang) if lang != "en" else ""
    person_code = lang if lang != "en" else ""
    language_note = ""
    if lang != "en" and lang not in langs:
        language_note = (f"There is no translation of the printed documents into {person}. "
                         "The English copy is offered; you can add a note that an interpreter "
                         "will go through it with them.")
        lang = "en"
    elif lang != "en" and lang not in reviewed:
        language_note = (f"The translation into {person} has not been reviewed: "
                         f"{statuses[lang].describe().lower()}. Check it with an interpreter, "
                         "or print the English copy with the interpreter note.")
    names = tuple((code, language_name(code, folder)) for code in langs)
    descriptions = tuple((code, st.describe()) for code, st in statuses.items() if code != "en")
    return DocumentOptions(first, variant, lang, names, note, interp, default_kind=kind,
                           contact_preferences=contact, refused=refused, stage=stage,
                           person_language=person, person_code=person_code,
                           language_note=language_note,
                           reviewed=reviewed, statuses=descriptions)


def _assemble(ctx: AppContext, s: Any, client: Client, choice: DocumentChoice,
              issued_on: date) -> PackSnapshot:
    referral = s.execute(
        select(Referral).where(Referral.client_id == client.id, Referral.deleted_at.is_(None))
        .order_by(Referral.received_on.desc()).limit(1)).scalar()
    pid = client.practitioner_id or (referral.practitioner_id if referral else None)
    practitioner = s.get(Practitioner, pid) if pid else None
    first = client.preferred_name or client.given_name
    address = tuple(line.strip() for line in (client.address or "").splitlines() if line.strip())
    if client.postcode and client.postcode not in address:
        address = (*address, client.postcode)
    return PackSnapshot(
        kind=choice.kind, variant=choice.variant, language=choice.language, issued_on=issued_on,
        person_name=first, first_name=first,
        full_name=f"{client.given_name} {client.family_name}".strip(),
        address=address,
        practitioner_name=practitioner.display_name if practitioner else "",
        practitioner_phone=practitioner.phone if practitioner else "",
        practitioner_email=practitioner.email if practitioner else "",
        service_name=ctx.settings.get("service_name") or "",
        service_phone=ctx.settings.get("service_phone") or "",
        crisis_contacts=crisis_contacts(ctx),
        include_chart=choice.include_chart,
        sessions_offered=referral.sessions_offered if referral else 6,
        recipient=choice.recipient,
        referrer_name=referral.referrer if referral else "",
        gp_practice=client.gp_practice,
        referred_on=referral.received_on if referral else None,
        interpreter_language=(choice.interpreter_language
                              if choice.language == "en" and choice.interpreter_language != "en"
                              else ""),
    )


def build_snapshot(ctx: AppContext, client_id: uuid.UUID, choice: DocumentChoice,
                   *, today: date | None = None) -> PackSnapshot:
    permissions.require(ctx.actor, "client.view_own")
    _validate(ctx, choice)
    with ctx.store.read() as s:
        client = _client(s, client_id, ctx.actor)
        # The stage rule comes before anything is built: a letter that does not fit the
        # person's stage is never made, for preview or print (domain/letters.py).
        stages.require_fits(stages.read_stage(s, client), choice.kind, choice.recipient)
        snapshot = _assemble(ctx, s, client, choice, today or date.today())
    for extend in pack_sources.EXTENDERS:  # casework, signposting, measures
        snapshot = extend(ctx, client_id, snapshot)
    return letter_sources.letter_facts(ctx, client_id, snapshot)




def check_printable(snapshot: PackSnapshot) -> None:
    """Refuse, before anything is printed, text that no bundled font can show."""
    problems = fonts.unrenderable(snapshot.all_text())
    if problems:
        raise ValidationError([FieldProblem("text", p.message()) for p in problems])


def render_snapshot(snapshot: PackSnapshot, content: Path | None = None) -> bytes:
    check_printable(snapshot)
    try:
        return render(snapshot, content)
    except ContentError as exc:
        raise ValidationError([FieldProblem("content", str(exc))]) from None


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _page_count(pdf: bytes) -> int:
    # Every page object carries "/Type /Page" (the tree root is "/Type /Pages").
    return len(_PAGE.findall(pdf))


def build_document(ctx: AppContext, client_id: uuid.UUID, choice: DocumentChoice,
                   *, today: date | None = None) -> BuiltDocument:
    """Build the PDF in memory (for preview, printing or saving). Nothing is written."""
    snapshot = build_snapshot(ctx, client_id, choice, today=today)
    pdf = render_snapshot(snapshot, content_dir(ctx))
    html = render_html(snapshot, content_dir(ctx))
    title = KIND_LABELS[choice.kind]
    return BuiltDocument(client_id, choice, snapshot.issued_on, title, pdf,
                         hashlib.sha256(pdf).hexdigest(), _page_count(pdf), html)


def record_printed(ctx: AppContext, document: BuiltDocument, action: str = "printed") -> Changed:
    """Record that a document was printed or saved: who, when, which, and the SHA-256."""
    permissions.require(ctx.actor, "packs.print")
    if action not in ("printed", "saved"):
        raise ValidationError([FieldProblem("action", "must be printed or saved")])
    with ctx.store.session() as s:
        _client(s, document.client_id, ctx.actor)
        row = PrintedDocument(
            client_id=document.client_id, kind=document.choice.kind,
            variant=document.choice.variant, language=document.choice.language,
            recipient=document.choice.recipient, action=action, sha256=document.sha256,
            size_bytes=len(document.pdf), pages=document.pages,
            printed_by=ctx.actor.id)
        s.add(row)
        letter_sources.after_print(s, document.client_id, document.choice.kind,
                                   document.issued_on,
                                   intake.Rules.from_settings(ctx.settings.section("intake")))
        s.flush()
        audit.record(s, ctx.actor, f"document.{action}", entity="printed_document",
                     entity_id=row.id, client_id=document.client_id,
                     detail=f"{document.choice.kind} {document.choice.variant}")
    return Changed.of("printed_document", "referral", ids=(str(document.client_id),))


def history(ctx: AppContext, client_id: uuid.UUID) -> list[PrintedRecord]:
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        access.require_client(s, ctx.actor, client_id)
        rows = s.execute(
            select(PrintedDocument, Practitioner.display_name)
            .outerjoin(Practitioner, Practitioner.id == PrintedDocument.printed_by)
            .where(PrintedDocument.client_id == client_id, PrintedDocument.deleted_at.is_(None))
            .order_by(PrintedDocument.printed_at.desc(), PrintedDocument.id)).all()
        return [PrintedRecord(r.id, r.kind, r.variant, r.language, r.recipient, r.action,
                              r.sha256, r.size_bytes, r.pages, name or "", r.printed_at)
                for r, name in rows]


def _client_for(ctx: AppContext, kind: str, recipient: str) -> uuid.UUID | None:
    """The first client (by name) whose stage fits `kind` (the stage rule applies here too)."""
    with ctx.store.read() as s:
        for client in s.execute(select(Client).where(Client.deleted_at.is_(None))
                                .order_by(Client.search_name).limit(200)).scalars():
            if refusal(kind, stages.read_stage(s, client), recipient) is None:
                return client.id
    return None


def self_test_documents(ctx: AppContext) -> list[tuple[str, Callable[[], str | None]]]:
    """For `wellbeing self-test`: build every kind and variant for a demo client whose stage
    fits it (a discharge letter for someone discharged)."""

    def check(choice: DocumentChoice) -> Callable[[], str | None]:
        def fn() -> str | None:
            client_id = _client_for(ctx, choice.kind, choice.recipient)
            if client_id is None and choice.kind in LETTER_KINDS:
                return "no one in the records is at this stage now"
            if client_id is None:
                raise RuntimeError(f"no client whose stage fits a {choice.kind} document")
            doc = build_document(ctx, client_id, choice)
            if not doc.pdf.startswith(b"%PDF") or doc.pages < 1:
                raise RuntimeError("the document is not a PDF")
            return f"{doc.pages} page{'' if doc.pages == 1 else 's'}, {len(doc.pdf) // 1024} KB"
        return fn

    out: list[tuple[str, Callable[[], str | None]]] = []
    for kind in KINDS:
        for variant in VARIANTS if kind not in LETTER_KINDS else ("standard",):
            out.append((f"{KIND_LABELS[kind]} ({VARIANT_LABELS[variant].lower()})",
                        check(DocumentChoice(kind=kind, variant=variant,
                                             recipient=RECIPIENTS_FOR[kind][0]))))
    out.append(("Discharge letter, copy for the referrer",
                check(DocumentChoice(kind="discharge", recipient="referrer"))))
    return out

