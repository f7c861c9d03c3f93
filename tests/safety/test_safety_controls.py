"""Controls the hazard log (docs/safety/hazard-log.toml) needed and no area's tests proved:
crisis numbers that cannot be configured away, no identifiers on take-home documents, a
translation that cannot change the crisis numbers, and UTC times that ignore the time zone."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from packs_readback import read_pdf
from sqlalchemy import update
from sqlalchemy.exc import StatementError

from wellbeing_desktop.services import packs, risk
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients import list_clients
from wellbeing_desktop.storage.models import Client
from wellbeing_desktop.storage.models.casework import RiskConcern

DAY = date(2026, 11, 26)
NATIONAL = ("111", "116 123", "999")
PERSON_DOCUMENTS = (packs.DocumentChoice(kind="plan"), packs.DocumentChoice(kind="leaflet"),
                    packs.DocumentChoice(kind="discharge", recipient="person"))


def _first_client(ctx: AppContext) -> uuid.UUID:
    return list_clients(ctx, limit=1)[0].id


def _text(ctx: AppContext, cid: uuid.UUID, choice: packs.DocumentChoice) -> str:
    pdf = packs.build_document(ctx, cid, choice, today=DAY).pdf
    return read_pdf(pdf).text.replace("\u00a0", " ")


@pytest.mark.safety
@pytest.mark.parametrize("configured", [[], [{"name": "Crisis café", "phone": ""}],
                                        [{"name": "", "phone": "01632 960 999"}]])
def test_documents_and_risk_prompts_fall_back_to_national_crisis_numbers(
        demo_ctx: AppContext, configured: list[dict[str, str]]) -> None:
    demo_ctx.settings.section("packs")["crisis_contacts"] = configured
    cid = _first_client(demo_ctx)
    for choice in PERSON_DOCUMENTS:
        text = _text(demo_ctx, cid, choice)
        assert all(number in text for number in NATIONAL), choice.kind
        assert "We are not an emergency service" in text, choice.kind
    assert [c.phone for c in risk.crisis_contacts(demo_ctx)] == list(NATIONAL)


@pytest.mark.safety
def test_configured_crisis_numbers_replace_the_national_ones(demo_ctx: AppContext) -> None:
    demo_ctx.settings.section("packs")["crisis_contacts"] = [
        {"name": "Kingsmere crisis line", "phone": "01632 960 999"}]
    text = _text(demo_ctx, _first_client(demo_ctx), packs.DocumentChoice())
    assert "01632 960 999" in text and "116 123" not in text


@pytest.mark.safety
def test_take_home_documents_carry_no_nhs_number_or_date_of_birth(demo_ctx: AppContext) -> None:
    cid = _first_client(demo_ctx)
    with demo_ctx.store.session() as s:
        s.execute(update(Client).where(Client.id == cid).values(
            nhs_number="9434765919", date_of_birth=date(1987, 3, 14)))
    for choice in PERSON_DOCUMENTS:
        text = _text(demo_ctx, cid, choice)
        squashed = text.replace(" ", "")
        assert "9434765919" not in squashed, choice.kind
        for written in ("14/03/1987", "1987-03-14", "14 March 1987", "14March1987"):
            assert written.replace(" ", "") not in squashed, (choice.kind, written)


@pytest.mark.safety
def test_a_translation_cannot_change_the_crisis_numbers(demo_ctx: AppContext,
                                                        tmp_path: Path) -> None:
    """The numbers come from settings, never from a language's text; a sentence the
    translation leaves out is printed in English rather than left out."""
    folder = tmp_path / "content" / "pl"
    folder.mkdir(parents=True)
    (folder / "text.json").write_text(json.dumps({
        "plan.title": "Twój plan",
        "help.heading": "Jeśli potrzebujesz pomocy teraz",
        # A careless translation that names a different number must not print it as a contact.
        "help.intro": "Nie jesteśmy służbą ratunkową. Zadzwoń:",
    }), encoding="utf-8")
    demo_ctx.settings.section("packs")["content_dir"] = str(tmp_path / "content")
    cid = _first_client(demo_ctx)
    text = _text(demo_ctx, cid, packs.DocumentChoice(language="pl"))
    assert "Jeśli potrzebujesz pomocy teraz" in text
    assert all(number in text for number in NATIONAL)
    # Not translated (neither here nor in the shipped Polish draft): printed in English.
    assert "This plan is for you" in " ".join(text.split())


@pytest.mark.safety
def test_utc_times_refuse_naive_values_and_ignore_the_machine_time_zone(
        ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    from wellbeing_desktop.services import clients

    cid = clients.create_client(ctx, clients.ClientInput(given_name="Ada", family_name="Cole")).id
    concern = risk.record_concern(ctx, cid, source="practitioner", detail="said unsafe",
                                  action_taken="safety plan")
    auckland = datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=13)))
    with ctx.store.session() as s:
        s.execute(update(RiskConcern).where(RiskConcern.id == concern.id)
                  .values(raised_at=auckland))
    with pytest.raises(StatementError, match="naive datetime"), ctx.store.session() as s:
        s.execute(update(RiskConcern).where(RiskConcern.id == concern.id)
                  .values(raised_at=datetime(2026, 3, 29, 1, 30)))
    for zone in ("Pacific/Auckland", "America/New_York", "Europe/London"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        [back] = risk.open_concerns(ctx, cid)
        assert back.raised_at == auckland and back.raised_at.tzinfo == UTC
        assert back.raised_at.hour == 12  # 01:30 at +13:00 is 12:30 UTC the day before
    monkeypatch.delenv("TZ")
    time.tzset()


@pytest.mark.safety
@pytest.mark.parametrize(("file", "key", "text", "said"), [
    ("advice.json", "safety", {"title": "Bezpieczeństwo w domu", "standard": [
        "W niebezpieczeństwie dzwoń pod 999; jeśli nie możesz mówić, naciśnij 55.",
        "Krajowa infolinia jest bezpłatna: 0808 2000 274."]}, "08082000274"),
    ("advice.json", "alcohol", {"standard": ["Nie więcej niż 41 jednostek tygodniowo."]}, "41"),
    ("text.json", "plan.goals.progress", "Oceniłeś ten cel na {wynik} z 10.", "{wynik}"),
])
def test_a_translation_that_changes_numbers_or_placeholders_is_refused(
        demo_ctx: AppContext, tmp_path: Path, file: str, key: str, text: object,
        said: str) -> None:
    from wellbeing_desktop.services.errors import ValidationError

    folder = tmp_path / "content" / "pl"
    folder.mkdir(parents=True)
    (folder / "text.json").write_text(json.dumps({"plan.title": "Twój plan"}), encoding="utf-8")
    (folder / file).write_text(json.dumps({key: text}), encoding="utf-8")
    demo_ctx.settings.section("packs")["content_dir"] = str(tmp_path / "content")
    with pytest.raises(ValidationError) as err:
        packs.build_document(demo_ctx, _first_client(demo_ctx), packs.DocumentChoice(language="pl"),
                             today=DAY)
    message = str(err.value.problems[0].message)
    assert f"{file}: {key}" in message and "was not used" in message
    assert said.strip("{}") in message


@pytest.mark.safety
def test_numbers_in_any_script_and_spacing_count_as_the_same() -> None:
    from wellbeing_desktop.packs.translation_check import numbers, placeholders

    assert numbers("Call 0808 2000 247 or 999") == numbers("999 অথবা ০৮০৮ ২০০০ ২৪৭")
    assert numbers("{minute:02d} past 10") == ["10"]
    assert placeholders("{hour}:{minute:02d} {ampm}") == ["ampm", "hour", "minute"]


@pytest.mark.safety
def test_a_clock_behind_the_records_is_reported(ctx: AppContext, qtbot: Any,
                                                immediate_tasks: None) -> None:
    from PySide6.QtWidgets import QMainWindow

    from wellbeing_desktop.services import integrity
    from wellbeing_desktop.storage.types import utcnow
    from wellbeing_desktop.ui.clock_check import check_clock

    now = utcnow()
    assert integrity.clock_problem(ctx, now) is None
    assert integrity.clock_problem(ctx, now - timedelta(minutes=5)) is None  # drift
    behind = now - timedelta(days=400)
    problem = integrity.clock_problem(ctx, behind)
    assert problem is not None and "clock" in problem
    assert f"{behind.astimezone():%d %B %Y}" in problem
    report = integrity.full_check(ctx.data_dir, ctx.store.key, now=behind)
    assert [i.name for i in report.items if not i.ok] == ["clock"]
    assert integrity.full_check(ctx.data_dir, ctx.store.key).ok
    window = QMainWindow()
    qtbot.addWidget(window)
    check_clock(window, ctx)
    assert window.statusBar().currentMessage() == ""
    check_clock(window, ctx, now=behind)
    assert window.statusBar().currentMessage() == problem


@pytest.mark.safety
def test_the_documents_tab_shows_how_to_contact_the_person_before_posting(
        demo_ctx: AppContext, qtbot: Any, immediate_tasks: None) -> None:
    from wellbeing_desktop.ui.panels.documents import DocumentsPanel

    cid = _first_client(demo_ctx)
    wish = "Do not write to the home address <b>(partner reads the post)</b>; text first"
    with demo_ctx.store.session() as s:
        s.execute(update(Client).where(Client.id == cid).values(contact_preferences=wish))
    assert packs.document_options(demo_ctx, cid).contact_preferences == wish
    panel = DocumentsPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_client(demo_ctx, cid)
    qtbot.waitUntil(lambda: panel.options is not None, timeout=20_000)
    assert "Before posting anything" in panel.note.text() and wish in panel.note.text()
    with demo_ctx.store.session() as s:
        s.execute(update(Client).where(Client.id == cid).values(contact_preferences=""))
    assert packs.document_options(demo_ctx, cid).contact_preferences == ""


@pytest.mark.safety
def test_a_withdrawn_service_is_left_off_the_plan(ctx: AppContext, tmp_path: Path) -> None:
    from wellbeing_desktop.services import directory, signposting
    from wellbeing_desktop.services.demo import load_demo
    from wellbeing_desktop.services.signposting import SignpostInput

    examples = Path(__file__).resolve().parents[1] / "directory" / "data" / "oruk"
    load_demo(ctx, clients=3, services=0, seed=1, today=DAY)
    doc = json.loads((examples / "service_full.json").read_text(encoding="utf-8"))
    gone = dict(doc, id="9a0e7c1e-5b0f-4c1e-9d55-0f3b2c9d7a11", name="Riverside Befriending Club",
                service_at_locations=[],
                contacts=[], schedules=[], service_areas=[], languages=[], cost_options=[],
                funding=[], attributes=[])
    (tmp_path / "both.json").write_text(json.dumps([doc, gone]), encoding="utf-8")
    (tmp_path / "one.json").write_text(json.dumps([doc]), encoding="utf-8")
    directory.import_feed(ctx, tmp_path / "both.json", feed="Kingsmere Council")
    cid = _first_client(ctx)
    signposting.record(ctx, cid, [SignpostInput(h.id, "social", "information")
                                  for h in directory.search(ctx, "")])
    before = _text(ctx, cid, packs.DocumentChoice())
    assert "Riverside Befriending Club" in before and doc["name"] in before
    # The same publisher's feed no longer lists it (issue 14: withdrawal is within a feed).
    directory.import_feed(ctx, tmp_path / "one.json", feed="Kingsmere Council")
    after = _text(ctx, cid, packs.DocumentChoice())
    assert "Riverside Befriending Club" not in after and doc["name"] in after
