"""The facts a letter prints (packs/snapshot.LetterFacts), read from the store and Settings.

Settings → letters: `letterhead` (lines: the service's name and address), `signature` (lines:
who signs, else the practitioner and `signature_role`), `directions` (venue → how to get
there). The opt-in reply-by date is fixed when the opt-in letter is first printed or saved.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wellbeing_desktop.domain import intake
from wellbeing_desktop.domain.needs import domain_label
from wellbeing_desktop.packs.snapshot import LETTER_KINDS, LetterFacts, PackSnapshot
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.casework import Appointment, SuitabilityDecision
from wellbeing_desktop.storage.models.intake import ContactAttempt
from wellbeing_desktop.storage.models.signposting import Signposting

# English words; the letter's language has its own (`letter.how.*`, `letter.referred_by.*`).
HOW = {"in_person": "in person", "phone": "by phone", "video": "by video call",
       "group": "in a group", "text": "by text message"}
# The person's letters name who referred them in words they know.
SOURCE_WORDS = {"gp": "Your GP", "step2": "Your therapist", "step3": "Your therapist",
                "self": "", "community": "A local service", "other": ""}


def letters_settings(ctx: AppContext) -> dict[str, Any]:
    return ctx.settings.section("letters")


def _lines(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(x.strip() for x in value.splitlines() if x.strip())
    if isinstance(value, list):
        return tuple(str(x).strip() for x in value if str(x).strip())
    return ()


def _newest_referral(s: Session, client_id: uuid.UUID) -> Referral | None:
    return s.execute(
        select(Referral).where(Referral.client_id == client_id, Referral.deleted_at.is_(None))
        .order_by(Referral.received_on.desc(), Referral.created_at.desc()).limit(1)).scalar()


def letter_facts(ctx: AppContext, client_id: uuid.UUID, snap: PackSnapshot,
                 *, now: datetime | None = None) -> PackSnapshot:
    if snap.kind not in LETTER_KINDS:
        return snap
    now = (now or datetime.now()).replace(tzinfo=None)
    conf = letters_settings(ctx)
    rules = intake.Rules.from_settings(ctx.settings.section("intake"))
    with ctx.store.read() as s:
        client = s.get(Client, client_id)
        referral = _newest_referral(s, client_id)
        received = referral.received_on if referral else None
        attempts = tuple(a for (a,) in s.execute(
            select(ContactAttempt.attempted_on).where(
                ContactAttempt.client_id == client_id, ContactAttempt.deleted_at.is_(None),
                ContactAttempt.outcome.not_in(intake.REACHED))
            .order_by(ContactAttempt.attempted_on)).all()
            if received is None or a >= received)
        live = (Appointment.client_id == client_id, Appointment.deleted_at.is_(None))
        upcoming = s.execute(select(Appointment.starts_at, Appointment.minutes,
                                    Appointment.mode, Appointment.venue).where(
            *live, Appointment.outcome == "booked", Appointment.starts_at >= now)
            .order_by(Appointment.starts_at).limit(1)).first()
        missed = s.execute(select(Appointment.starts_at).where(
            *live, Appointment.outcome == "did_not_attend")
            .order_by(Appointment.starts_at.desc()).limit(1)).scalar()
        decision = s.execute(select(SuitabilityDecision.decided_on,
                                    SuitabilityDecision.decision,
                                    SuitabilityDecision.reasons).where(
            SuitabilityDecision.client_id == client_id, SuitabilityDecision.deleted_at.is_(None))
            .order_by(SuitabilityDecision.decided_on.desc(),
                      SuitabilityDecision.created_at.desc()).limit(1)).first()
        need = s.execute(select(Signposting.need).where(
            Signposting.client_id == client_id, Signposting.deleted_at.is_(None))
            .order_by(Signposting.signposted_on.desc()).limit(1)).scalar()
        referrer = referral.referrer if referral else ""
        source = referral.source if referral else ""
        opt_in_by = referral.opt_in_by if referral else None
        gp = client.gp_practice if client else ""
    signature = _lines(conf.get("signature"))
    if not signature and snap.practitioner_name:
        role = str(conf.get("signature_role") or "Health and Wellbeing Practitioner")
        signature = (snap.practitioner_name, role)
    if snap.recipient == "gp":
        recipient = gp or "The GP"
    elif snap.recipient == "referrer":
        recipient = referrer or gp
    else:
        recipient = ""
    directions = conf.get("directions") or {}
    self_referred = source == "self" or referrer.lower().startswith("self")
    venue = upcoming.venue if upcoming else ""
    facts = LetterFacts(
        letterhead=_lines(conf.get("letterhead")) or ((snap.service_name,) if snap.service_name
                                                      else ()),
        signature=signature, recipient_name=recipient,
        referrer_words=("" if self_referred else referrer or SOURCE_WORDS.get(source, "")),
        referrer_source="" if self_referred or referrer else source,
        received_on=received,
        reply_by=opt_in_by or intake.reply_by(snap.issued_on, rules),
        attempts=attempts,
        appointment_at=upcoming.starts_at if upcoming else None,
        appointment_minutes=upcoming.minutes if upcoming else 0,
        appointment_how=HOW.get(upcoming.mode, "") if upcoming else "",
        appointment_mode=upcoming.mode if upcoming else "",
        venue=venue if upcoming and upcoming.mode == "in_person" else "",
        directions=str(directions.get(venue, "")) if isinstance(directions, dict) else "",
        missed_on=missed.date() if missed else None,
        decided_on=decision.decided_on if decision else None,
        decision=decision.decision if decision else "",
        decision_reasons=decision.reasons if decision else "",
        directed_to=(tuple(svc.name for svc in snap.services)
                     if decision and decision.decision in ("signposted", "not_suitable")
                     else ()),
        introduce=snap.services[-1] if snap.services else None,
        need=domain_label(need).lower() if need else "",
        need_code=need or "",
    )
    return replace(snap, letter=facts,
                   referrer_name=referrer or snap.referrer_name, gp_practice=gp)


def after_print(s: Session, client_id: uuid.UUID, kind: str, issued_on: date,
                rules: intake.Rules) -> None:
    """An opt-in letter printed or saved fixes the referral's reply-by date (once)."""
    if kind != "optin":
        return
    referral = _newest_referral(s, client_id)
    if referral is not None and referral.opt_in_by is None:
        referral.opt_in_by = intake.reply_by(issued_on, rules)

