"""Real directory feeds (issue 14): the HSDS 3.0 examples, council-shaped feeds, feeds as sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import council_feeds as cf
import pytest
from sqlalchemy import func, select

from wellbeing_desktop.services import directory, feeds
from wellbeing_desktop.services.directory import SearchFilters
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.storage.models import directory as m
from wellbeing_desktop.storage.models import feeds as fm

HSDS3 = Path(__file__).resolve().parent / "data" / "hsds3"


def _write(tmp_path: Path, doc: Any, name: str) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _services(ctx: Any) -> dict[str, Any]:
    with ctx.store.read() as s:
        return {r.oruk_id: r for r in s.execute(select(m.DirService.__table__)).all()}


def _sources(ctx: Any) -> set[tuple[str, str, bool]]:
    """(service ORUK id, feed name, withdrawn) for every source."""
    st, ft, sv = fm.DirServiceSource.__table__, fm.DirFeed.__table__, m.DirService.__table__
    with ctx.store.read() as s:
        return {(r[0], r[1], r[2] is not None) for r in s.execute(
            select(sv.c.oruk_id, ft.c.name, st.c.withdrawn_at)
            .join(st, st.c.service_id == sv.c.id).join(ft, ft.c.id == st.c.feed_id))}


# ------------------------------------------------------------------- the specification's own

@pytest.mark.parametrize("name", ["service_full.json", "organization_full.json",
                                  "service_at_location_full.json"])
def test_hsds3_examples_import(ctx: Any, name: str) -> None:
    result = directory.import_feed(ctx, HSDS3 / name)
    assert [x[0] for x in result.added] == ["ac148810-d857-441c-9679-408f346de14b"]
    detail = directory.get_service(ctx, _services(ctx)[result.added[0][0]].id)
    # The phone listed under the service and under its contact is one phone.
    assert [p.number for p in detail.phones] == ["number"]
    assert detail.eligibility == "eligibility_description"
    assert detail.application_process == "application_process"
    assert detail.cost.state.value == "charged"  # amount 100
    assert detail.term_codes == ("name: code",)  # the term's taxonomy (an object) and code
    # Latitude 100 is no latitude; a placeholder date is no date: left out, and said so.
    fields = {(w["table"], w["field"]) for w in result.warnings}
    assert ("location", "latitude") in fields and ("cost_option", "valid_from") in fields


def test_a_location_file_is_named_for_what_it_is(ctx: Any, content: Any) -> None:
    before = content(ctx)
    with pytest.raises(ValidationError, match="this is a location, not a list of services"):
        directory.import_feed(ctx, HSDS3 / "location.json")
    assert content(ctx) == before


def test_a_taxonomy_file_imports_its_vocabulary_and_says_so(ctx: Any, examples: Path) -> None:
    result = directory.import_feed(ctx, examples / "taxonomy.json")
    assert result.added == () and result.note.startswith("This is a taxonomy, not a list of "
                                                          "services")


# ------------------------------------------------------------------------- council feeds

def test_two_councils_one_after_the_other_both_stay(ctx: Any, tmp_path: Path) -> None:
    km = _write(tmp_path, cf.oruk3_page("kingsmere", 30), "kingsmere.json")
    ev = _write(tmp_path, cf.oruk3_page("eastvale", 20), "eastvale.json")
    first = directory.import_feed(ctx, km)
    second = directory.import_feed(ctx, ev)
    assert (first.feed, second.feed) == ("kingsmere", "eastvale")
    assert len(first.added) == 30 and len(second.added) == 20 and second.withdrawn == ()
    assert directory.count(ctx) == 50
    # Kingsmere drops five services: only Kingsmere's are withdrawn.
    smaller = _write(tmp_path, cf.oruk3_page("kingsmere", 25), "kingsmere.json")
    again = directory.import_feed(ctx, smaller)
    assert sorted(x[0] for x in again.withdrawn) == sorted(
        cf.service_id("kingsmere", n) for n in range(25, 30))
    assert directory.count(ctx) == 45
    listed = {f.name: f for f in feeds.list_feeds(ctx)}
    assert listed["kingsmere"].services == 25 and listed["kingsmere"].withdrawn == 5
    assert listed["eastvale"].services == 20 and listed["eastvale"].last_imported is not None


def test_a_service_skipped_as_invalid_is_not_withdrawn(ctx: Any, tmp_path: Path) -> None:
    page = cf.oruk3_page("kingsmere", 10)
    directory.import_feed(ctx, _write(tmp_path, page, "km.json"))
    page["contents"][3]["status"] = "sometimes"
    result = directory.import_feed(ctx, _write(tmp_path, page, "km.json"), skip_invalid=True)
    skipped = cf.service_id("kingsmere", 3)
    assert (skipped, "") in {(s["record"], s["field"]) for s in result.skipped}
    assert result.withdrawn == ()
    assert _services(ctx)[skipped].withdrawn_at is None


def test_one_service_from_two_feeds_is_one_service_with_both_sources(
        ctx: Any, tmp_path: Path) -> None:
    page = cf.oruk3_page("kingsmere", 4)
    shared = page["contents"][0]
    directory.import_feed(ctx, _write(tmp_path, page, "council.json"))
    directory.import_feed(ctx, _write(tmp_path, [shared], "nhs.json"), feed="NHS partners")
    assert len(_services(ctx)) == 4
    sid = shared["id"]
    assert {(f, w) for s, f, w in _sources(ctx) if s == sid} == {
        ("council", False), ("NHS partners", False)}
    detail = directory.get_service(ctx, _services(ctx)[sid].id)
    assert detail.sources == ("council", "NHS partners")
    # The council drops it: still on offer, the NHS feed lists it.
    directory.import_feed(ctx, _write(tmp_path, dict(page, contents=page["contents"][1:]),
                                      "council.json"))
    assert _services(ctx)[sid].withdrawn_at is None
    # Removing the NHS feed withdraws it (never deletes: history points at it).
    removed = feeds.remove_feed(ctx, "NHS partners")
    assert [x[0] for x in removed.withdrawn] == [sid]
    row = _services(ctx)[sid]
    assert row.withdrawn_at is not None and row.deleted_at is None
    assert {f.name for f in feeds.list_feeds(ctx)} == {"council"}
    with pytest.raises(ValidationError, match="no feed named"):
        feeds.remove_feed(ctx, "nobody")


def test_council_html_is_shown_clean_and_never_searched_as_markup(
        ctx: Any, tmp_path: Path) -> None:
    directory.import_feed(ctx, _write(tmp_path, cf.oruk3_page("kingsmere", 16), "km.json"))
    assert directory.search(ctx, "nbsp") == [] and directory.search(ctx, "strong") == []
    assert directory.search(ctx, "trackvisit") == []  # script content never indexed
    hit = directory.search(ctx, "bailiffs")[0]
    assert "<" not in hit.summary and "&" not in hit.summary.replace("& money", "")
    detail = directory.get_service(ctx, hit.id)
    assert detail.description == ("Free, confidential advice on debt & money worries.\n\n"
                                  "What we offer\n\n• Budgeting\n• Dealing with bailiffs")
    raw = _services(ctx)[detail.oruk_id].description
    assert raw.startswith("<p>")  # what the feed said is kept


def test_costs_are_free_charged_or_not_stated(ctx: Any, tmp_path: Path) -> None:
    directory.import_feed(ctx, _write(tmp_path, cf.oruk3_page("kingsmere", 24), "km.json"))
    states = {r.oruk_id: r.cost_state for r in _services(ctx).values()}

    def state(n: int) -> str:
        return states[cf.service_id("kingsmere", n)]

    assert state(0) == "not_stated"  # fees missing, no cost options
    assert state(1) == "not_stated"  # fees ""
    assert state(2) == "free"  # "Free"
    assert state(3) == "charged"  # "£30 per session (first session free)"
    assert state(4) == "free"  # "<p>Free of charge</p>"
    assert state(5) == "charged"  # "Small charge for materials"
    assert state(15) == "free"  # cost option amount 0, no fee text
    free = {h.id for h in directory.search(ctx, "", SearchFilters(free_only=True), limit=100)}
    ids = {r.id: r.cost_state for r in _services(ctx).values()}
    assert free == {i for i, s in ids.items() if s == "free"}


def test_oruk_1_0_feed_imports_with_its_own_field_names(ctx: Any, tmp_path: Path) -> None:
    result = directory.import_feed(ctx, _write(tmp_path, cf.oruk1_list("northbrook", 6),
                                               "northbrook.json"))
    assert len(result.added) == 6
    detail = directory.get_service(ctx, _services(ctx)[cf.service_id("northbrook", 0)].id)
    assert detail.organization_website == "https://cvs0.example.org"
    assert detail.eligibility == "Adults 18+"
    assert detail.opening_times and "Tuesday" in detail.opening_times[0]
    assert detail.locations[0].postcode == "NB1 1AA"
    assert detail.terms == ("Money",) and detail.term_codes == ("esdServiceTypes",)
    # Ids that are not UUIDs are fine for a whole feed (said once), here they are UUIDs.
    assert not any(w["field"] == "id" for w in result.warnings)


def test_hsds3_fields_are_kept_and_used(ctx: Any, tmp_path: Path) -> None:
    docs = [cf.hsds3_service("eastvale", n) for n in range(2)]
    directory.import_feed(ctx, _write(tmp_path, docs, "ev.json"))
    detail = directory.get_service(ctx, _services(ctx)[docs[1]["id"]].id)
    assert detail.fees_description == "£30 per session (first session free)"
    assert detail.cost.shown == "Charged: £30 per session (first session free)"
    assert detail.eligibility == "Adults living in the borough."
    assert detail.application_process == "Phone or walk in; no referral needed."
    assert detail.phone_numbers == ("01632 960000",)


# ------------------------------------------------------------------ formats and warnings

def test_bad_formats_are_left_out_with_a_warning_and_never_stored_as_links(
        ctx: Any, tmp_path: Path) -> None:
    page = cf.oruk3_page("kingsmere", 3)
    page["contents"][0]["url"] = "javascript:alert(1)"
    page["contents"][1]["email"] = "not an address"
    page["contents"][2]["organization"]["website"] = "www.trust.example.org"
    result = directory.import_feed(ctx, _write(tmp_path, page, "km.json"))
    rows = _services(ctx)
    assert rows[cf.service_id("kingsmere", 0)].url is None
    assert rows[cf.service_id("kingsmere", 1)].email is None
    notes = {(w["record"], w["field"]): w["message"] for w in result.warnings}
    assert "not a web address" in notes[(cf.service_id("kingsmere", 0), "url")]
    assert "not an e-mail address" in notes[(cf.service_id("kingsmere", 1), "email")]
    org = page["contents"][2]["organization"]["id"]
    assert "read as https://www.trust.example.org" in notes[(org, "website")]
    # Organisations with an empty description import, each noted.
    assert (page["contents"][0]["organization"]["id"], "description") in notes


def test_placeholders_real_feeds_send_are_left_out_with_a_note(
        ctx: Any, tmp_path: Path) -> None:
    """Open Place feeds send -1 for "no age limit" and fill e-mails with addresses on the
    reserved .invalid domain; neither is shown as if it were true."""
    page = cf.oruk3_page("kingsmere", 2)
    page["contents"][0].update(minimum_age=-1, maximum_age=-1,
                               email="Unknown-1777@noemail.invalid")
    result = directory.import_feed(ctx, _write(tmp_path, page, "km.json"))
    row = _services(ctx)[cf.service_id("kingsmere", 0)]
    assert row.minimum_age is None and row.maximum_age is None and row.email is None
    notes = {(w["field"], w["message"]) for w in result.warnings
             if w["record"] == cf.service_id("kingsmere", 0)}
    assert ("minimum_age", "-1 is not an age; left out") in notes
    assert any(f == "email" and "not an e-mail address" in m for f, m in notes)


def test_nested_records_without_ids_get_the_same_made_id_each_import(
        ctx: Any, tmp_path: Path) -> None:
    """A contact's phones sent as bare {"number": …} (Bristol's Open Place feed) import with
    ids made from their parent and place; importing again doubles nothing."""
    page = cf.oruk3_page("kingsmere", 2)
    sid = cf.service_id("kingsmere", 1)
    page["contents"][1]["contacts"] = [{"id": cf.service_id("contact", 1),
                                        "phones": [{"number": "0800 0354213"},
                                                   {"number": "0117 332 7111"}]}]
    path = _write(tmp_path, page, "km.json")
    result = directory.import_feed(ctx, path)
    made = [w for w in result.warnings if w["table"] == "phone" and w["field"] == "id"]
    assert [w["where"] for w in made] == [
        "km.json contents[1].contacts[0].phones[0]", "km.json contents[1].contacts[0].phones[1]"]
    numbers = {p.number for p in directory.get_service(ctx, _services(ctx)[sid].id).phones}
    assert {"0800 0354213", "0117 332 7111"} <= numbers
    again = directory.import_feed(ctx, path)
    assert again.added == () and again.updated == ()
    with ctx.store.read() as s:
        phones = s.execute(select(m.DirPhone.oruk_id)).scalars().all()
    assert len(phones) == len(set(phones)) and {w["record"] for w in made} <= set(phones)



def test_a_repeated_location_without_address_ids_is_noted_once(
        ctx: Any, tmp_path: Path) -> None:
    page = cf.oruk3_page("kingsmere", 3)
    shared = page["contents"][0]["service_at_locations"][0]["location"]
    shared["addresses"] = [{"address_1": "1 High Street", "city": "Kingsmere",
                            "state_province": "", "postal_code": "KM1 2AB", "country": "GB",
                            "address_type": "physical"}]
    for doc in page["contents"][1:]:  # the same location under every service
        doc["service_at_locations"][0]["location"] = json.loads(json.dumps(shared))
    result = directory.import_feed(ctx, _write(tmp_path, page, "km.json"))
    made = [w for w in result.warnings if w["table"] == "address" and w["field"] == "id"]
    assert len(made) == 1
    with ctx.store.read() as s:
        assert s.scalar(select(func.count()).select_from(m.DirAddress.__table__)) == 1


def test_an_id_that_is_not_a_uuid_refuses_that_record_naming_file_record_field(
        ctx: Any, tmp_path: Path, content: Any) -> None:
    page = cf.oruk3_page("kingsmere", 3)
    page["contents"][1]["id"] = "service-2"
    before = content(ctx)
    with pytest.raises(ValidationError, match=r"km.json contents\[1\], record service-2: id: "
                                              r"is not a UUID"):
        directory.import_feed(ctx, _write(tmp_path, page, "km.json"))
    assert content(ctx) == before


def test_upgraded_store_keeps_its_services_under_an_earlier_feed(tmp_path: Path) -> None:
    import shutil

    from wellbeing_desktop.services.app import AppContext

    fixture = Path(__file__).resolve().parents[1] / "fixtures" / "stores" / "0.1.0" / "plain"
    if not (fixture / "wellbeing.sqlite3").stat().st_size:
        pytest.skip("the 0.1.0 store is not in this checkout")
    shutil.copytree(fixture, tmp_path / "old")
    ctx = AppContext.open(tmp_path / "old")
    try:
        with ctx.store.read() as s:
            texts = s.execute(select(m.DirService.description_text)).scalars().all()
            feed_names = s.execute(select(fm.DirFeed.name)).scalars().all()
        assert texts and all(texts)
        assert feed_names == ["Imported before feeds"]
        assert all(f == "Imported before feeds" for _s, f, _w in _sources(ctx))
    finally:
        ctx.close()


def test_csv_package_with_an_empty_organisation_description_imports_with_a_note(
        ctx: Any, csv_package: Path) -> None:
    import csv

    orgs = csv_package / "organizations.csv"
    with orgs.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh) if r]
    rows[1][2] = ""
    with orgs.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    result = directory.import_feed(ctx, csv_package)
    assert len(result.added) == 1
    assert ("organizations.csv line 2", "description", "is empty") in {
        (w["where"], w["field"], w["message"]) for w in result.warnings}
