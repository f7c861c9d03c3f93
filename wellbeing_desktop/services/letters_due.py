"""Letters due: what the day's events call for, printed together and then marked done.

A letter is due when its event is newer than the last time that letter was printed or saved
for the person: a referral received and not yet acknowledged (to the person, and to the
referrer), an appointment booked (or moved) since the last appointment letter, a missed
appointment since the last did-not-attend letter. Printing records each letter (packs'
printed-document record), which is what takes it off the list. The stage rule still applies:
a letter it refuses (post not safe) is listed with the reason, and not printed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select

from wellbeing_desktop.domain.languages import language_name
from wellbeing_desktop.domain.letters import refusal
from wellbeing_desktop.packs.content import available_languages, language_status
from wellbeing_desktop.services import access, packs, permissions, stages
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.casework import Appointment
from wellbeing_desktop.storage.models.documents import PrintedDocument

# A missed appointment older than this is not news any more: no letter is due for it.
RECENT_DNA = timedelta(days=14)
WHY = {"acknowledgement": "new referral", "appointment": "appointment booked",
       "dna": "missed appointment"}


@dataclass(frozen=True)
class LetterDue:
    client_id: uuid.UUID
    name: str
    kind: str
    recipient: str
    why: str                 # "new referral received 1 Dec"
    blocked: str = ""        # the stage rule's reason it cannot be printed, if any
    language: str = "en"     # the language it prints in (see `batch_language`)
    interpreter_language: str = ""   # an English copy's interpreter note names this language
    language_words: str = ""  # plain words when it is not simply English


    @property
    def label(self) -> str:
        text = packs.KIND_LABELS.get(self.kind, self.kind)
        return text + (" (referrer copy)" if self.recipient == "referrer" else "")


def batch_language(person_language: str, interpreter_needed: bool, recipient: str,
                   reviewed: frozenset[str], available: frozenset[str]) -> tuple[str, str, str]:
    """(language, interpreter language, words) for a letter printed in a batch.

    Nobody looks at each letter of a batch before it is posted, so a draft translation is
    never used there (the Documents tab offers it, marked as a draft): the person gets the
    English letter, with the note that an interpreter in their language goes through it when
    they need one, and the list says so. Copies for referrers and GPs are in English."""
    lang = person_language or "en"
    if recipient != "person" or lang == "en":
        return "en", "", ""
    name = language_name(lang)
    if lang in reviewed:
        return lang, "", f"in {name} (reviewed translation)"
    why = (f"the {name} translation is a draft, not yet reviewed: the Documents tab offers it, "
           "marked as a draft" if lang in available else f"there is no {name} translation")
    if interpreter_needed:
        return "en", lang, (f"in English with a note that an interpreter in {name} goes "
                            f"through it ({why})")
    return "en", "", f"in English ({why})"


def _naive(at: datetime) -> datetime:
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


def due(ctx: AppContext, *, now: datetime | None = None) -> list[LetterDue]:
    permissions.require(ctx.actor, "client.view_own")
    now = (now or datetime.now()).replace(tzinfo=None)
    out: list[LetterDue] = []
    folder = packs.content_dir(ctx)
    available = frozenset(available_languages(folder))
    reviewed = frozenset(code for code in available if language_status(code, folder).reviewed)
    with ctx.store.read() as s:
        live: list[ColumnElement[bool]] = [Client.deleted_at.is_(None)]
        if not access.sees_everyone(ctx.actor):
            live.append(Client.practitioner_id == ctx.actor.id)
        last: dict[tuple[uuid.UUID, str, str], datetime] = {
            (cid, kind, rec): _naive(at) for cid, kind, rec, at in s.execute(
                select(PrintedDocument.client_id, PrintedDocument.kind,
                       PrintedDocument.recipient, func.max(PrintedDocument.printed_at))
                .where(PrintedDocument.deleted_at.is_(None),
                       PrintedDocument.kind.in_(tuple(WHY)))
                .group_by(PrintedDocument.client_id, PrintedDocument.kind,
                          PrintedDocument.recipient)).all()}
        events: list[tuple[uuid.UUID, str, str, datetime, str]] = []
        for cid, created, received in s.execute(
                select(Referral.client_id, Referral.created_at, Referral.received_on)
                .join(Client, Client.id == Referral.client_id)
                .where(*live, Referral.deleted_at.is_(None), Referral.status == "received")):
            for recipient in ("person", "referrer"):
                events.append((cid, "acknowledgement", recipient, _naive(created),
                               f"new referral received {received:%d %b}"))
        for cid, changed, starts in s.execute(
                select(Appointment.client_id, Appointment.updated_at, Appointment.starts_at)
                .join(Client, Client.id == Appointment.client_id)
                .where(*live, Appointment.deleted_at.is_(None), Appointment.outcome == "booked",
                       Appointment.starts_at >= now, Appointment.group_session_id.is_(None))):
            events.append((cid, "appointment", "person", _naive(changed),
                           f"appointment on {starts:%a %d %b at %H:%M}"))
        for cid, changed, starts in s.execute(
                select(Appointment.client_id, Appointment.updated_at, Appointment.starts_at)
                .join(Client, Client.id == Appointment.client_id)
                .where(*live, Appointment.deleted_at.is_(None),
                       Appointment.outcome == "did_not_attend",
                       Appointment.starts_at >= now.replace(hour=0, minute=0) - RECENT_DNA)):
            events.append((cid, "dna", "person", _naive(changed),
                           f"missed the appointment on {starts:%d %b}"))
        seen: set[tuple[uuid.UUID, str, str]] = set()
        clients: dict[uuid.UUID, Client] = {}
        for cid, kind, recipient, at, why in sorted(events, key=lambda e: e[3]):
            key = (cid, kind, recipient)
            printed = last.get(key)
            if key in seen or (printed is not None and printed >= at):
                continue
            seen.add(key)
            client = clients.get(cid) or s.get(Client, cid)
            if client is None:
                continue
            clients[cid] = client
            blocked = refusal(kind, stages.read_stage(s, client, now=now), recipient) or ""
            name = f"{client.preferred_name or client.given_name} {client.family_name}"
            lang, interp, words = batch_language(client.language or "en", client.interpreter_needed,
                                                 recipient, reviewed, available)
            out.append(LetterDue(cid, name.strip(), kind, recipient, why, blocked, lang,
                                 interp, words))
    return sorted(out, key=lambda d: (d.name, d.kind, d.recipient))


def build_batch(ctx: AppContext, items: list[LetterDue], *,
                today: date | None = None) -> list[packs.BuiltDocument]:
    """Build each printable letter (variant and language from the person's needs)."""
    out = []
    for item in items:
        if item.blocked:
            continue
        options = packs.document_options(ctx, item.client_id)
        choice = packs.DocumentChoice(kind=item.kind, variant=options.default_variant,
                                      language=item.language, recipient=item.recipient,
                                      interpreter_language=item.interpreter_language)
        out.append(packs.build_document(ctx, item.client_id, choice, today=today))
    return out


def mark_printed(ctx: AppContext, documents: list[packs.BuiltDocument]) -> Changed:
    """Record each letter of a printed batch: that is what takes it off the list."""
    ids: set[str] = set()
    for document in documents:
        packs.record_printed(ctx, document, "printed")
        ids.add(str(document.client_id))
    return Changed.of("printed_document", "referral", ids=tuple(sorted(ids)))
