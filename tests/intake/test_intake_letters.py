"""Intake letters built from templates by the packs renderer, in the three variants, recorded
when printed; contact preferences and the stage rule decide which are offered."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "packs"))
from packs_readback import read_pdf  # noqa: E402

from wellbeing_desktop.domain.letters import RECIPIENTS_FOR  # noqa: E402
from wellbeing_desktop.packs.snapshot import LETTER_KINDS  # noqa: E402
from wellbeing_desktop.resources import resource  # noqa: E402
from wellbeing_desktop.services import (  # noqa: E402
    contact_attempts,
    packs,
    referral_import,
    sessions,
    waiting_list,
)
from wellbeing_desktop.services.app import AppContext  # noqa: E402
from wellbeing_desktop.services.errors import ValidationError  # noqa: E402

DATA = Path(__file__).parent / "data"


def flat(pdf: bytes) -> str:
    return " ".join(read_pdf(pdf).text.replace("\u00a0", " ").split())


@pytest.fixture
def people(ctx: AppContext) -> dict[str, object]:
    ctx.settings.section("letters").update({
        "letterhead": ["Kingsmere Talking Therapies", "Health and Wellbeing team",
                       "1 Mill Street, Kingsmere KM1 1AA"],
        "directions": {"Kingsmere Health Centre": "Bus 12 stops outside; step-free entrance."}})
    p = referral_import.preview(ctx, DATA / "riverside.xlsx", source="gp",
                                today=date.today())
    referral_import.commit(ctx, p)
    return {r.name.split()[0]: r.client_id for r in waiting_list.waiting_list(ctx)}


def test_every_letter_kind_has_its_wording() -> None:
    text = json.loads((resource("packs") / "en" / "letters.json").read_text(encoding="utf-8"))
    for kind in LETTER_KINDS:
        assert f"letter.{kind}.title" in text and f"letter.{kind}.body" in text, kind


@pytest.mark.parametrize("variant", ["standard", "large-print", "easy-read"])
def test_acknowledgements_to_person_and_referrer(ctx: AppContext, people: dict, variant: str
                                                 ) -> None:
    grace = people["Grace"]
    doc = packs.build_document(ctx, grace, packs.DocumentChoice(kind="acknowledgement",
                                                                variant=variant))
    text = flat(doc.pdf)
    assert "Kingsmere Talking Therapies" in text and "Grace" in text
    assert "1 December 2026" in text and "Dr Patel" in text
    assert "9990001014" not in text and "999 000 1014" not in text   # no NHS number
    ref = packs.build_document(ctx, grace, packs.DocumentChoice(
        kind="acknowledgement", variant=variant, recipient="referrer"))
    ref_text = flat(ref.pdf)
    assert "Thank you for referring Grace Okafor" in ref_text and "Dear Dr Patel" in ref_text


def test_appointment_letter_says_when_where_and_how_to_change(ctx: AppContext,
                                                              people: dict) -> None:
    zoe = people["Zoë"]
    with pytest.raises(ValidationError, match="without an appointment"):
        packs.build_document(ctx, zoe, packs.DocumentChoice(kind="appointment"))
    when = datetime.combine(date.today() + timedelta(days=5), datetime.min.time()).replace(
        hour=14, minute=30)
    sessions.save_appointment(ctx, zoe, sessions.AppointmentInput(
        when, minutes=60, mode="in_person", venue="Kingsmere Health Centre"))
    text = flat(packs.build_document(ctx, zoe, packs.DocumentChoice(kind="appointment")).pdf)
    assert "2:30" in text and str(when.day) in text
    assert "Kingsmere Health Centre" in text and "Bus 12 stops outside" in text
    assert "about 60 minutes" in text and "different time, please phone" in text


def test_two_attempts_and_an_opt_in_letter_set_the_deadline(ctx: AppContext,
                                                            people: dict) -> None:
    grace = people["Grace"]
    today = date.today()
    for days, outcome in ((2, "no_answer"), (1, "no_answer")):
        contact_attempts.record(ctx, grace, contact_attempts.AttemptInput(
            "phone", outcome, attempted_on=max(today - timedelta(days=days),
                                               date(2026, 12, 1))))
    doc = packs.build_document(ctx, grace, packs.DocumentChoice(kind="optin"))
    reply_by = today + timedelta(days=14)
    text = flat(doc.pdf)
    assert "tried to reach you 2 times" in text
    assert f"{reply_by.day} " in text and "close your referral" in text
    packs.record_printed(ctx, doc)
    [row] = [r for r in waiting_list.waiting_list(ctx) if r.client_id == grace]
    assert row.opt_in_by == reply_by and row.next_action.startswith("Waiting for a reply")
    assert packs.history(ctx, grace)[0].kind == "optin"


@pytest.mark.safety
def test_no_post_means_no_letter_to_the_person(ctx: AppContext, people: dict) -> None:
    amina = people["Amina"]
    contact_attempts.set_contact_preferences(ctx, amina, post_allowed=False,
                                             message_allowed=True)
    with pytest.raises(ValidationError, match="not safe to send post"):
        packs.build_document(ctx, amina, packs.DocumentChoice(kind="acknowledgement"))
    options = packs.document_options(ctx, amina)
    assert "not safe to send post" in (options.refusal("acknowledgement", "person") or "")
    assert options.refusal("acknowledgement", "referrer") is None
    packs.build_document(ctx, amina, packs.DocumentChoice(kind="acknowledgement",
                                                          recipient="referrer"))


def test_outcome_letters_and_the_gp_copy(demo_ctx: AppContext) -> None:
    from wellbeing_desktop.services import stages
    from wellbeing_desktop.services.clients import list_clients

    for client in list_clients(demo_ctx):
        stage = stages.stage_of(demo_ctx, client.id)
        if stage.suitability and stage.source != "gp":
            break
    else:
        pytest.skip("no assessed client referred by someone other than a GP")
    for recipient in RECIPIENTS_FOR["outcome"]:
        doc = packs.build_document(demo_ctx, client.id, packs.DocumentChoice(
            kind="outcome", recipient=recipient))
        text = flat(doc.pdf)
        assert "Outcome:" in text
        if stage.suitability in ("suitable", "suitable_adjusted"):
            assert "What happens next: we will offer" in text
    with pytest.raises(ValidationError, match="not written for the person"):
        packs.build_document(demo_ctx, client.id, packs.DocumentChoice(kind="outcome"))
