"""Documents built from the store, printing recorded (hash, who, when), the `wellbeing pack` command."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest
from packs_readback import read_pdf
from sqlalchemy import select, update

from wellbeing_desktop.services import packs
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import list_clients
from wellbeing_desktop.services.errors import NotFound, ValidationError
from wellbeing_desktop.storage.models import AuditEvent, Client
from wellbeing_desktop.storage.models.documents import PrintedDocument

DAY = date(2026, 11, 26)


def first_client(ctx: AppContext) -> uuid.UUID:
    return list_clients(ctx, limit=1)[0].id


def set_client(ctx: AppContext, client_id: uuid.UUID, **values: object) -> None:
    with ctx.store.session() as s:
        s.execute(update(Client).where(Client.id == client_id).values(**values))


@pytest.mark.safety
def test_plan_from_the_store_names_the_person_and_practitioner(demo_ctx: AppContext) -> None:
    cid = first_client(demo_ctx)
    snap = packs.build_snapshot(demo_ctx, cid, packs.DocumentChoice(), today=DAY)
    doc = packs.build_document(demo_ctx, cid, packs.DocumentChoice(), today=DAY)
    text = read_pdf(doc.pdf).text
    assert snap.first_name and snap.first_name in text
    assert snap.practitioner_name and snap.practitioner_name in text
    assert "111" in text and "116 123" in text                      # crisis contacts from settings
    assert doc.sha256 == hashlib.sha256(doc.pdf).hexdigest()
    assert doc.pages == len(read_pdf(doc.pdf).pages)


def test_same_day_rebuild_is_byte_identical(demo_ctx: AppContext) -> None:
    cid = first_client(demo_ctx)
    choice = packs.DocumentChoice(kind="discharge", variant="large-print")
    a = packs.build_document(demo_ctx, cid, choice, today=DAY)
    b = packs.build_document(demo_ctx, cid, choice, today=DAY)
    assert a.sha256 == b.sha256


@pytest.mark.safety
def test_default_variant_and_language_follow_communication_needs(ctx: AppContext) -> None:
    from wellbeing_desktop.services.demo import load_demo

    load_demo(ctx, clients=3, services=2, seed=3, today=DAY)
    cid = first_client(ctx)
    set_client(ctx, cid, document_format="large_print", language="ta")
    options = packs.document_options(ctx, cid)
    assert options.default_variant == "large-print"
    assert options.default_language == "en"                 # no Tamil content yet: said so
    assert "Tamil" in options.language_note and "(ta)" not in options.language_note
    # Polish has a draft: offered, and the note says it has not been reviewed.
    set_client(ctx, cid, language="pl")
    options = packs.document_options(ctx, cid)
    assert options.default_language == "pl"
    assert "Polish has not been reviewed" in options.language_note
    assert "draft machine translation" in options.language_note
    set_client(ctx, cid, document_format="braille", language="en")
    options = packs.document_options(ctx, cid)
    assert options.default_variant == "standard" and "braille" in options.format_note


@pytest.mark.safety
def test_recording_a_print_keeps_hash_and_who_never_the_pdf(demo_ctx: AppContext) -> None:
    cid = first_client(demo_ctx)
    doc = packs.build_document(demo_ctx, cid, packs.DocumentChoice(variant="easy-read"), today=DAY)
    changed = packs.record_printed(demo_ctx, doc)
    assert "printed_document" in changed.entities
    [record] = packs.history(demo_ctx, cid)
    assert (record.kind, record.variant, record.sha256, record.size_bytes) == (
        "plan", "easy-read", doc.sha256, len(doc.pdf))
    assert record.printed_by == "Sam Okoye"
    with demo_ctx.store.read() as s:
        columns = {c.name for c in PrintedDocument.__table__.columns}
        assert not {"pdf", "content", "data"} & columns
        event = s.execute(select(AuditEvent).where(AuditEvent.action == "document.printed")).scalar_one()
        assert event.client_id == str(cid) and event.detail == "plan easy-read"


def test_bad_choices_name_the_field_and_change_nothing(demo_ctx: AppContext) -> None:
    cid = first_client(demo_ctx)
    with pytest.raises(ValidationError) as info:
        packs.build_document(demo_ctx, cid, packs.DocumentChoice(kind="poster", language="xx"))
    assert info.value.for_field("kind") and info.value.for_field("language")
    with pytest.raises(NotFound):
        packs.build_document(demo_ctx, uuid.uuid4(), packs.DocumentChoice())
    assert packs.history(demo_ctx, cid) == []


@pytest.mark.safety
def test_a_name_in_a_script_without_a_font_is_refused(demo_ctx: AppContext) -> None:
    cid = first_client(demo_ctx)
    set_client(demo_ctx, cid, preferred_name="ሰላም")
    with pytest.raises(ValidationError) as info:
        packs.build_document(demo_ctx, cid, packs.DocumentChoice())
    assert "Ethiopic" in str(info.value)


@pytest.mark.safety
def test_a_lead_can_add_a_language_by_adding_files(demo_ctx: AppContext, tmp_path: Path) -> None:
    folder = tmp_path / "content" / "pl"
    folder.mkdir(parents=True)
    (folder / "text.json").write_text(json.dumps({"plan.title": "Twój plan"}), encoding="utf-8")
    demo_ctx.settings.section("packs")["content_dir"] = str(tmp_path / "content")  # this ctx only
    cid = first_client(demo_ctx)
    doc = packs.build_document(demo_ctx, cid, packs.DocumentChoice(language="pl"), today=DAY)
    back = read_pdf(doc.pdf)
    assert "Twój plan" in back.text and back.lang == "pl"
    assert back.metadata["/Title"] == "Twój plan"


def test_self_test_documents_build(demo_ctx: AppContext) -> None:
    checks = packs.self_test_documents(demo_ctx)
    # Plan, leaflet, discharge letter in three variants, the referrer's copy, and each of the
    # seven intake letters in standard print (built for someone whose stage fits it).
    assert len(checks) == 17
    for _name, fn in checks:
        result = fn() or ""
        assert " page" in result or result == "no one in the records is at this stage now"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wellbeing_desktop.cli", *args],
                          capture_output=True, text=True, timeout=300)


def test_pack_command(demo_ctx: AppContext, data_dir: Path, tmp_path: Path) -> None:
    cid = first_client(demo_ctx)
    demo_ctx.close()
    out = tmp_path / "plan.pdf"
    done = run("--data-dir", str(data_dir), "pack", str(cid), "--out", str(out), "--kind",
               "discharge", "--variant", "easy-read", "--date", "2026-11-26", "--json")
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert info["variant"] == "easy-read" and info["pages"] >= 1
    bad = run("--data-dir", str(data_dir), "pack", "not-an-id", "--out", str(out))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
    bad = run("--data-dir", str(data_dir), "pack", str(cid), "--out", str(out), "--language", "zz")
    assert bad.returncode == 2 and "language" in bad.stderr


def test_plan_carries_casework_signposting_and_measures(demo_ctx: AppContext) -> None:
    """Goals, services with their phone numbers and scores come from the other areas' records."""
    found = None
    for client in list_clients(demo_ctx, limit=40):
        snap = packs.build_snapshot(demo_ctx, client.id, packs.DocumentChoice(), today=DAY)
        if snap.goals and snap.services and any(s.phone for s in snap.services):
            found = (client.id, snap)
            break
    assert found is not None, "no demo client with goals and signposting"
    cid, snap = found
    text = read_pdf(packs.build_document(demo_ctx, cid, packs.DocumentChoice(), today=DAY).pdf).text
    flat = " ".join(text.replace("\u00a0", " ").split())
    for goal in snap.goals:
        assert " ".join(goal.title.split()) in flat
    for service in snap.services:
        assert service.name in flat
        if service.phone:
            assert service.phone in flat


def test_discharge_letter_from_the_store_has_the_continued_care_plan(demo_ctx: AppContext) -> None:
    for client in list_clients(demo_ctx, limit=40):
        snap = packs.build_snapshot(demo_ctx, client.id, packs.DocumentChoice(kind="discharge"))
        if snap.next_steps.discharged and snap.next_steps.continued_care:
            doc = packs.build_document(demo_ctx, client.id,
                                       packs.DocumentChoice(kind="discharge"))
            flat = " ".join(read_pdf(doc.pdf).text.replace("\u00a0", " ").split())
            for line in snap.next_steps.continued_care:
                assert " ".join(line.split()) in flat
            return
    pytest.skip("the demo data has no discharged client with a continued-care plan")
