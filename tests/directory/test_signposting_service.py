"""Assisted signposting: recording, validation, follow-ups, Today's list, figures, packs' view."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from wellbeing_desktop.services import clients, directory, signposting
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.services.signposting import SignpostInput

TODAY = date(2026, 11, 24)


def _client(ctx: Any) -> Any:
    return clients.list_clients(ctx)[0]


def _service(ctx: Any, text: str = "debt advice line") -> Any:
    return directory.search(ctx, text)[0]


def test_record_then_list_with_full_contact_details(demo_ctx: Any) -> None:
    client, service = _client(demo_ctx), _service(demo_ctx)
    before = len(signposting.list_for_client(demo_ctx, client.id))
    changed = signposting.record(demo_ctx, client.id, [SignpostInput(
        service.id, "money_debt", "assisted_referral", consent_to_share=True,
        shared_what="Name and phone number", shared_with="Duty adviser",
        follow_up_on=TODAY + timedelta(days=14), signposted_on=TODAY)], today=TODAY)
    assert "signposting" in changed.entities
    items = signposting.list_for_client(demo_ctx, client.id, today=TODAY)
    assert len(items) == before + 1
    item = next(i for i in items if i.service.id == service.id and i.signposted_on == TODAY)
    assert item.service_name == "Debt Advice Line"
    assert item.phones and item.phones[0].startswith(("01632 960", "07700 900"))
    assert "Monday to Friday" in item.opening_times
    assert item.what_it_does.startswith("Free, confidential debt advice")
    assert item.website.startswith("https://")
    assert item.need_label == "Money and debt"
    assert item.kind_label == "Assisted referral made with the client"
    assert item.outcome_label == "Not followed up yet" and not item.contact_made


@pytest.mark.parametrize(("item", "field"), [
    (dict(need="astrology"), "need"),
    (dict(kind="telepathy"), "kind"),
    (dict(kind="warm_handover", consent_to_share=False), "consent_to_share"),
    (dict(kind="assisted_referral", consent_to_share=True, shared_with="Adviser"),
     "shared_what"),
    (dict(shared_what="Everything"), "shared_what"),
    (dict(follow_up_on=TODAY - timedelta(days=1)), "follow_up_on"),
    (dict(signposted_on=TODAY + timedelta(days=1)), "signposted_on"),
])
@pytest.mark.safety
def test_bad_signposting_names_the_field_and_writes_nothing(
        demo_ctx: Any, item: dict[str, Any], field: str) -> None:
    client, service = _client(demo_ctx), _service(demo_ctx)
    before = signposting.list_for_client(demo_ctx, client.id)
    values = dict(service_id=service.id, need="money_debt", kind="information",
                  signposted_on=TODAY)
    values.update(item)
    with pytest.raises(ValidationError) as info:
        signposting.record(demo_ctx, client.id, [SignpostInput(**values)], today=TODAY)
    assert info.value.for_field(field), str(info.value)
    assert signposting.list_for_client(demo_ctx, client.id) == before


@pytest.mark.safety
def test_follow_up_due_today_then_outcome_recorded(demo_ctx: Any) -> None:
    client, service = _client(demo_ctx), _service(demo_ctx, "carers centre")
    signposting.record(demo_ctx, client.id, [SignpostInput(
        service.id, "caring", "information", follow_up_on=TODAY,
        signposted_on=TODAY - timedelta(days=14))], today=TODAY)
    due = signposting.follow_ups_due(demo_ctx, on=TODAY)
    mine = [d for d in due if d.client_id == client.id and d.service_id == service.id]
    assert len(mine) == 1 and mine[0].due_on == TODAY and mine[0].service_name == "Carers' Centre"
    assert client.family_name in mine[0].client_name
    assert all(d.due_on <= TODAY for d in due)
    signposting.record_follow_up(demo_ctx, mine[0].signposting_id, "engaged",
                                 note="Went to the group", on=TODAY, today=TODAY)
    assert not [d for d in signposting.follow_ups_due(demo_ctx, on=TODAY)
                if d.signposting_id == mine[0].signposting_id]
    item = next(i for i in signposting.list_for_client(demo_ctx, client.id)
                if i.id == mine[0].signposting_id)
    assert item.contact_made and item.follow_ups == ((TODAY, "engaged", "Went to the group"),)
    with pytest.raises(ValidationError) as info:
        signposting.record_follow_up(demo_ctx, item.id, "vanished", today=TODAY)
    assert info.value.for_field("outcome")


@pytest.mark.safety
def test_service_closed_outcome_reports_the_service_wrong(demo_ctx: Any) -> None:
    client = _client(demo_ctx)
    service = next(h for h in directory.search(demo_ctx, "", limit=500) if not h.reported_wrong)
    signposting.record(demo_ctx, client.id, [SignpostInput(
        service.id, "social", "information", follow_up_on=TODAY, signposted_on=TODAY)],
        today=TODAY)
    sid = next(i.id for i in signposting.list_for_client(demo_ctx, client.id)
               if i.service.id == service.id)
    changed = signposting.record_follow_up(demo_ctx, sid, "service_closed",
                                           note="Number not in use", today=TODAY)
    assert "directory" in changed.entities
    wrong = directory.search(demo_ctx, "", directory.SearchFilters(reported_wrong_only=True),
                             limit=500)
    assert service.id in [h.id for h in wrong]
    assert directory.get_service(demo_ctx, service.id).reported_wrong_reason == "Number not in use"


def test_service_figures_count_use_and_arrival(demo_ctx: Any) -> None:
    client, service = _client(demo_ctx), _service(demo_ctx, "stop smoking service")
    before = {f.service_id: f for f in signposting.service_figures(demo_ctx)}
    old = before.get(service.id)
    signposting.record(demo_ctx, client.id, [SignpostInput(
        service.id, "smoking", "information", signposted_on=TODAY)], today=TODAY)
    sid = next(i.id for i in signposting.list_for_client(demo_ctx, client.id)
               if i.service.id == service.id)
    signposting.record_follow_up(demo_ctx, sid, "engaged", today=TODAY)
    after = {f.service_id: f for f in signposting.service_figures(demo_ctx)}[service.id]
    assert after.times_used == (old.times_used if old else 0) + 1
    assert after.times_got_there == (old.times_got_there if old else 0) + 1
    assert directory.get_service(demo_ctx, service.id).times_used == after.times_used


@pytest.mark.safety
def test_withdrawn_services_cannot_be_signposted(ctx: Any, examples: Any, tmp_path: Any) -> None:
    import json

    from wellbeing_desktop.services.demo import load_demo

    load_demo(ctx, clients=3, services=0, seed=1, today=TODAY)
    doc = json.loads((examples / "service_full.json").read_text(encoding="utf-8"))
    other = dict(doc, id="0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b", name="Other",
                 service_at_locations=[], contacts=[], schedules=[], service_areas=[],
                 languages=[], cost_options=[], funding=[], attributes=[])
    (tmp_path / "a.json").write_text(json.dumps([doc, other]), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps([doc]), encoding="utf-8")
    directory.import_feed(ctx, tmp_path / "a.json")
    withdrawn = directory.search(ctx, "other")[0]
    directory.import_feed(ctx, tmp_path / "b.json", feed="a")  # the same feed, re-imported
    with pytest.raises(ValidationError, match="withdrawn"):
        signposting.record(ctx, _client(ctx).id, [SignpostInput(
            withdrawn.id, "social", "information")])


def _rated_client(ctx: Any) -> Any:
    """A client signposted for caring and social before, then a needs check rating money and
    debt high (their priority now), sleep high, housing some, social none."""
    from wellbeing_desktop.services import needs
    from wellbeing_desktop.services.needs import NeedInput

    client = next(c for c in clients.list_clients(ctx)
                  if not signposting.list_for_client(ctx, c.id))
    for need, text in (("caring", "carers centre"), ("social", "men's shed")):
        signposting.record(ctx, client.id, [SignpostInput(
            _service(ctx, text).id, need, "information", signposted_on=TODAY)], today=TODAY)
    needs.record_assessment(ctx, client.id, [
        NeedInput("housing", 1, 0), NeedInput("money_debt", 2, 2), NeedInput("sleep", 2, 0),
        NeedInput("social", 0, 0)], assessed_on=date.today())
    return client


def test_client_needs_come_from_the_latest_needs_check_priority_first(demo_ctx: Any) -> None:
    client = _rated_client(demo_ctx)
    found = signposting.client_needs(demo_ctx, client.id)
    # The client's own priority first, then high need before some need; needs signposted for
    # before and not rated follow; "social", rated no need in the latest check, is left out.
    assert [n.domain for n in found] == ["money_debt", "sleep", "housing", "caring"]
    assert found[0].why == "Money and debt (high need, their priority now)"
    assert found[2].why == "Housing (some need)"
    assert found[3].assessed_on is None and "signposted for before" in found[3].why


def test_client_needs_without_a_needs_check_are_those_signposted_for(demo_ctx: Any) -> None:
    saved = clients.create_client(demo_ctx, clients.ClientInput(
        "Rosa", "Quinlan", date_of_birth=date(1979, 5, 2), postcode="km2 3ab"))
    assert signposting.client_needs(demo_ctx, saved.id) == []
    signposting.record(demo_ctx, saved.id, [SignpostInput(
        _service(demo_ctx, "carers centre").id, "caring", "information", signposted_on=TODAY)],
        today=TODAY)
    assert [(n.domain, n.level) for n in signposting.client_needs(demo_ctx, saved.id)] == [
        ("caring", 0)]


def test_suggestions_follow_the_order_of_the_needs(demo_ctx: Any) -> None:
    hits = directory.suggest_for_needs(demo_ctx, ["sleep", "money_debt"], limit=50)
    serves_sleep = ["sleep" in h.needs for h in hits]
    assert serves_sleep[0] and serves_sleep == sorted(serves_sleep, reverse=True)
    assert all("sleep" in h.needs or "money_debt" in h.needs for h in hits)
    assert not any(h.reported_wrong for h in hits)
    first_money = serves_sleep.index(False)
    money = hits[first_money:]
    assert [h.favourite for h in money] == sorted((h.favourite for h in money), reverse=True)
