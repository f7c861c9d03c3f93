"""Snapshots built by hand for the renderer tests (no store needed)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from wellbeing_desktop.packs.snapshot import (
    Contact,
    Goal,
    NextSteps,
    Outcome,
    PackSnapshot,
    ServiceEntry,
)

CRISIS = (
    Contact("NHS 111: choose option 2 for mental health", "111"),
    Contact("Samaritans, any time", "116 123"),
    Contact("Emergency: if your life or someone else's is in danger", "999"),
)

FOODBANK = ServiceEntry(
    name="Kingsmere Community Pantry",
    description="Low-cost weekly food shop and a friendly café. No referral needed.",
    reason="You said money for food runs out before payday.",
    phone="01632 960 412",
    address="St Anne's Hall, 14 Mill Lane, Kingsmere",
    postcode="KM4 2QT",
    opening_times=("Tuesday 10am to 2pm", "Thursday 4pm to 7pm"),
    website="kingsmerepantry.example.org",
    what_to_expect="Someone will meet you at the door and show you round. Bring a bag.",
    contact_made=True,
    contact_note="Priya phoned them on Monday 23 November; they expect you on Tuesday.",
)
ADVICE = ServiceEntry(
    name="Kingsmere Money Advice",
    description="Free, confidential help with debts, bills and budgeting.",
    reason="Council tax arrears were worrying you.",
    phone="01632 960 733",
    address="Unit 3, Market Arcade, Kingsmere",
    postcode="KM1 1AB",
    opening_times=("Monday to Friday 9am to 5pm",),
    website="kingsmeremoney.example.org",
    what_to_expect="A first phone call of about 30 minutes. Have your latest bills to hand.",
)


def plan(**changes: object) -> PackSnapshot:
    base = PackSnapshot(
        kind="plan", variant="standard", language="en", issued_on=date(2026, 11, 26),
        person_name="Jo", first_name="Jo", full_name="Joanna Kowalczyk",
        address=("12 Orchard Row", "Kingsmere", "KM3 4DF"),
        practitioner_name="Priya Shah", practitioner_phone="01632 960 101",
        practitioner_email="priya@kingsmere-wellbeing.example",
        service_name="Kingsmere Health and Wellbeing", service_phone="01632 960 100",
        topics=("money_debt", "sleep", "social"),
        goals=(
            Goal("Sleep through the night at least four times a week",
                 ("Get up at 7am every day", "No phone after 10pm"), progress=6),
            Goal("Get the council tax arrears on a payment plan",
                 ("Call Kingsmere Money Advice by Friday",), progress=3),
        ),
        services=(FOODBANK, ADVICE),
        next_steps=NextSteps(next_appointment=datetime(2026, 12, 8, 14, 30),
                             appointment_how="by phone"),
        crisis_contacts=CRISIS,
        sessions_offered=6, sessions_attended=5,
        outcomes=(Outcome("Low mood (PHQ-9, out of 27)", "16", "8", "Much better"),),
        referrer_name="Dr A. Okafor", gp_practice="Riverside Surgery", referred_on=date(2026, 8, 3),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def discharged(**changes: object) -> PackSnapshot:
    changes = {"kind": "discharge", **changes}
    return plan(next_steps=NextSteps(
        discharged=True, discharged_on=date(2026, 11, 24),
        continued_care=("Keep going to the Tuesday walking group",
                        "Call Kingsmere Money Advice if new bills arrive",
                        "See your GP if your sleep gets worse again"),
        follow_up_on=date(2027, 1, 12)), **changes)


def letter(kind: str, **changes: object) -> PackSnapshot:
    """A letter of `kind` with every fact recorded (each sentence of its wording prints)."""
    from wellbeing_desktop.packs.snapshot import LetterFacts

    facts = LetterFacts(
        letterhead=("Kingsmere Talking Therapies", "Health and Wellbeing team",
                    "1 Mill Street, Kingsmere KM1 1AA"),
        signature=("Priya Shah", "Health and Wellbeing Practitioner"),
        recipient_name="Dr A. Okafor", referrer_words="Dr A. Okafor",
        received_on=date(2026, 11, 2), reply_by=date(2026, 12, 10),
        attempts=(date(2026, 11, 9), date(2026, 11, 16)),
        appointment_at=datetime(2026, 12, 8, 14, 30), appointment_minutes=60,
        appointment_how="in person", appointment_mode="in_person",
        venue="Kingsmere Health Centre", directions="Bus 12 stops outside; step-free entrance.",
        missed_on=date(2026, 11, 20), decided_on=date(2026, 11, 18), decision="signposted",
        decision_reasons="Needs are mainly practical: debt and housing.",
        directed_to=("Kingsmere Money Advice",), introduce=ADVICE, need="money and debt",
        need_code="money_debt")
    recipient = "referrer" if kind == "outcome" else "person"
    base = plan(kind=kind, recipient=recipient, letter=facts)
    return replace(base, **changes)  # type: ignore[arg-type]


MULTILINGUAL_NAMES = {
    "polish": "Zażółć gęślą jaźń, Łukasz",
    "romanian": "Știință și țară, Ștefan",
    "turkish": "Çağrı Işık, İstanbul",
    "russian": "Привет, Светлана Иванова",
    "greek": "Γειά σου, Δημήτρης",
    "bengali": "আমার নাম রহিম, শুভ সকাল",
    "urdu": "میرا نام عائشہ ہے اور میں کنگزمیر میں رہتی ہوں",
    "arabic": "مرحبا، اسمي فاطمة",
    "persian": "سلام، نام من مریم است",
    "hebrew": "שלום, שמי דוד",
    "hindi": "नमस्ते, मेरा नाम प्रिया है",
    "punjabi": "ਸਤ ਸ੍ਰੀ ਅਕਾਲ, ਮੇਰਾ ਨਾਮ ਹਰਪ੍ਰੀਤ ਹੈ",
    "gujarati": "નમસ્તે, મારું નામ કિંજલ છે",
    "tamil": "வணக்கம், என் பெயர் கீதா",
    "chinese": "你好，我叫李明",
}
