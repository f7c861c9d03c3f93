"""Directory search: FTS5 prefix matching, ranking, every filter, freshness, local edits."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from wellbeing_desktop.domain import directory as rules
from wellbeing_desktop.services import directory
from wellbeing_desktop.services.directory import SearchFilters
from wellbeing_desktop.services.errors import PermissionDenied, ValidationError

TODAY = date(2026, 11, 24)


def names(hits: list[Any]) -> list[str]:
    return [h.name for h in hits]


def test_prefix_words_match_and_names_rank_first(demo_ctx: Any) -> None:
    hits = directory.search(demo_ctx, "smok", today=TODAY)
    in_name = ["Smok" in h.name for h in hits]
    assert hits and in_name[0] and in_name == sorted(in_name, reverse=True)  # names rank first
    assert "Vape Swap Scheme" in names(hits)  # "stop smoking" is in what it does
    assert hits[0].name == "Stop Smoking Service"
    # Every word must match (as a prefix), in any order, accents and case ignored.
    assert names(directory.search(demo_ctx, "CAFÉ dement"))[:1] == ["Dementia Carers Café"]
    assert directory.search(demo_ctx, "zzzz nothing") == []


def test_organisation_and_needs_words_are_searched(demo_ctx: Any) -> None:
    by_org = directory.search(demo_ctx, "citizens advice")
    assert "Debt Advice Line" in names(by_org)
    by_need = directory.search(demo_ctx, "loneliness")
    assert "Befriending Service" in names(by_need)


def test_query_syntax_is_never_an_error(demo_ctx: Any) -> None:
    for text in ['"', "AND OR NOT", "a*b(", "NEAR(", "-", "’", "debt:", "*"]:
        directory.search(demo_ctx, text)


@pytest.mark.parametrize(("filters", "check"), [
    (SearchFilters(need="caring"), lambda h: "caring" in h.needs),
    (SearchFilters(free_only=True), lambda h: h.free_of_charge),
    (SearchFilters(self_referral_only=True), lambda h: h.self_referral is True),
    (SearchFilters(open_on="SA"), lambda h: "SA" in h.open_days),
    (SearchFilters(mode="online"), lambda h: "online" in h.modes),
    (SearchFilters(mode="phone"), lambda h: "phone" in h.modes),
    (SearchFilters(mode="in_person"), lambda h: "in_person" in h.modes),
    (SearchFilters(favourites_only=True), lambda h: h.favourite),
    (SearchFilters(reported_wrong_only=True), lambda h: h.reported_wrong),
])
def test_each_filter_narrows_results(demo_ctx: Any, filters: SearchFilters, check: Any) -> None:
    everything = directory.search(demo_ctx, "", limit=500)
    hits = directory.search(demo_ctx, "", filters, limit=500)
    assert hits and len(hits) < len(everything)
    assert all(check(h) for h in hits)
    assert directory.count(demo_ctx, "", filters) == len(hits)


def test_language_and_area_filters(demo_ctx: Any) -> None:
    polish = directory.search(demo_ctx, "", SearchFilters(language="Polish"), limit=500)
    assert polish and len(polish) == len(directory.search(
        demo_ctx, "", SearchFilters(language="pl"), limit=500))
    km3 = directory.search(demo_ctx, "", SearchFilters(area="km3 2ab"), limit=500)
    assert km3 and len(km3) < directory.count(demo_ctx)
    with pytest.raises(ValidationError, match="mode"):
        directory.search(demo_ctx, "", SearchFilters(mode="carrier pigeon"))


@pytest.mark.safety
def test_freshness_marks_stale_and_verification_clears_it(demo_ctx: Any) -> None:
    stale = [h for h in directory.search(demo_ctx, "", limit=500, today=TODAY) if h.stale]
    assert stale
    target = stale[0]
    directory.mark_verified(demo_ctx, target.id, on=TODAY)
    detail = directory.get_service(demo_ctx, target.id, today=TODAY)
    assert not detail.stale and detail.verified_on == TODAY and detail.verified_by == "Sam Okoye"


@pytest.mark.safety
def test_stale_rule() -> None:
    assert rules.is_stale(None, TODAY)
    assert not rules.is_stale(date(2026, 1, 1), TODAY)
    assert rules.is_stale(date(2025, 11, 23), TODAY)
    assert rules.last_checked(None, date(2024, 1, 1), "2025-03-15T10:30:45.123Z") == date(
        2025, 3, 15)


def test_opening_times_in_plain_words() -> None:
    assert rules.opening_text("MO,TU,WE,TH,FR", "09:00:00", "17:00:00") == \
        "Monday to Friday, 9:00 to 17:00"
    assert rules.opening_text("SA", "10:00", "12:30", "Closed on bank holidays") == \
        "Saturday, 10:00 to 12:30. Closed on bank holidays"
    assert rules.opening_text(None, None, None, "By appointment") == "By appointment"


@pytest.mark.safety
def test_local_details_favourite_and_report_wrong(demo_ctx: Any) -> None:
    hit = directory.search(demo_ctx, "men's shed")[0]
    directory.save_local_details(demo_ctx, hit.id, directory.LocalDetails(
        needs=("social", "physical_activity"), self_referral=True,
        how_to_refer="Just turn up", practitioner_notes="Tea is free"))
    directory.set_favourite(demo_ctx, hit.id, True)
    detail = directory.get_service(demo_ctx, hit.id)
    assert detail.needs == ("physical_activity", "social") and detail.favourite
    # Needs words are searchable once recorded.
    assert hit.id in [h.id for h in directory.search(demo_ctx, "physical activity shed")]
    with pytest.raises(ValidationError) as info:
        directory.report_wrong(demo_ctx, hit.id, "   ")
    assert info.value.for_field("reason")
    directory.report_wrong(demo_ctx, hit.id, "Moved to Castle View")
    assert directory.get_service(demo_ctx, hit.id).reported_wrong_reason == "Moved to Castle View"
    with pytest.raises(ValidationError) as bad:
        directory.save_local_details(demo_ctx, hit.id, directory.LocalDetails(needs=("astrology",)))
    assert bad.value.for_field("needs")


def test_practitioners_cannot_import_or_verify(demo_ctx: Any, tmp_path: Any) -> None:
    from wellbeing_desktop.services.context import Actor

    demo_ctx.actor = Actor(None, "Hannah Price", "practitioner")
    hit = directory.search(demo_ctx, "debt")[0]
    with pytest.raises(PermissionDenied):
        directory.mark_verified(demo_ctx, hit.id)
    with pytest.raises(PermissionDenied):
        directory.import_feed(demo_ctx, tmp_path / "x.json")
    directory.set_favourite(demo_ctx, hit.id, True)  # allowed: a team note


def test_demo_directory_covers_every_needs_domain(demo_ctx: Any) -> None:
    from wellbeing_desktop.domain.needs import NEEDS_DOMAINS

    stats = directory.stats(demo_ctx, today=TODAY)
    assert stats.services >= 80 and stats.stale > 0 and stats.reported_wrong > 0
    for domain in NEEDS_DOMAINS:
        assert directory.search(demo_ctx, "", SearchFilters(need=domain.code)), domain.code


@pytest.mark.parametrize("filters", [SearchFilters(), SearchFilters(free_only=True)])
def test_words_matching_most_of_the_directory_rank_cheaply_and_page_completely(
        demo_ctx: Any, monkeypatch: pytest.MonkeyPatch, filters: SearchFilters) -> None:
    # "kingsmere" is in nearly every service (organisation names, descriptions). Above HUGE
    # matches the page is not ranked by bm25 over every match: name matches come first.
    total = directory.count(demo_ctx, "kingsmere", filters)
    monkeypatch.setattr(directory.lookup, "HUGE", 10)
    assert total > 10
    first = directory.search(demo_ctx, "kingsmere", filters, limit=5)
    assert first and all("kingsmere" in h.name.casefold() for h in first)
    # Paging through gives every match exactly once, name matches before the others.
    seen: list[Any] = []
    for offset in range(0, total + 7, 7):
        seen += directory.search(demo_ctx, "kingsmere", filters, limit=7, offset=offset)
    assert len(seen) == total == len({h.id for h in seen})
    in_name = ["kingsmere" in h.name.casefold() for h in seen]
    assert in_name == sorted(in_name, reverse=True)
    assert 0 < sum(in_name) < total
    monkeypatch.setattr(directory.lookup, "HUGE", 100_000)
    ranked = directory.search(demo_ctx, "kingsmere", filters, limit=1000)
    assert {h.id for h in ranked} == {h.id for h in seen}
    assert directory.count(demo_ctx, "kingsmere", filters) == total


def test_search_words_become_a_safe_prefix_query() -> None:
    assert rules.fts_query("") == ""
    assert rules.fts_query("  ") == ""
    assert rules.fts_query("d") == 'name : "d"*'
    assert rules.fts_query("Café dement") == '"cafe"* AND "dement"*'
    # A lone letter beside longer words is dropped (possessives, a word half typed).
    assert rules.fts_query("women's a") == '"women"*'
    assert rules.fts_query("walk an") == '"walk"* AND "an"*'
    assert rules.fts_query("a b") == 'name : "a"*'


def test_possessive_names_are_found(demo_ctx: Any) -> None:
    assert "Men's Shed" in names(directory.search(demo_ctx, "men's sh"))
    assert "Domestic Abuse Service" in names(directory.search(demo_ctx, "women's aid"))


def test_word_search_hits_equal_the_listing_hits(demo_ctx: Any) -> None:
    # Word searches read their page in plain SQL; the listing goes through SQLAlchemy's types.
    listing = {h.id: h for h in directory.search(demo_ctx, "", limit=1000, today=TODAY)}
    for text in ("debt", "kingsmere", "carers café", "polish"):
        hits = directory.search(demo_ctx, text, limit=1000, today=TODAY)
        assert hits and all(h == listing[h.id] for h in hits)
