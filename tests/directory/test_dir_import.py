"""Importing Open Referral UK feeds: every example, re-imports, withdrawals, the round trip,
and every class of bad input leaving the store unchanged."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from wellbeing_desktop.services import directory
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.storage.models import directory as m

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
SECOND_ID = "5ec0d000-0000-4000-8000-000000000002"
JSON_EXAMPLES = ["service_full.json", "service_list.json", "organization_full.json",
                 "organization_list.json", "service_at_location_full.json",
                 "service_at_location_list.json", "taxonomy.json", "taxonomy_list.json",
                 "taxonomy_term.json", "taxonomy_term_list.json"]


def _count(ctx: Any, model: Any, **where: Any) -> int:
    with ctx.store.read() as s:
        query = select(func.count()).select_from(model)
        for key, value in where.items():
            query = query.where(getattr(model, key) == value)
        return int(s.execute(query).scalar_one())


def _service(ctx: Any, oruk_id: str = SERVICE_ID) -> Any:
    """The stored row's columns, read in a session (a plain snapshot, no ORM object)."""
    from types import SimpleNamespace

    table = m.DirService.__table__
    with ctx.store.read() as s:
        row = s.execute(select(table).where(table.c.oruk_id == oruk_id)).mappings().one()
    return SimpleNamespace(**row)


def _write(tmp_path: Path, doc: Any, name: str = "feed.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _example(examples: Path, name: str = "service_full.json") -> Any:
    return json.loads((examples / name).read_text(encoding="utf-8"))


def test_every_example_of_the_profile_is_imported_by_a_test(examples: Path) -> None:
    """A new example file in the profile's folder cannot go untested: each JSON one is in
    JSON_EXAMPLES, and each CSV file the package describes is there to be read."""
    names = {p.name for p in examples.glob("*.json")} - {"datapackage.json"}
    assert names == set(JSON_EXAMPLES)
    package = json.loads((examples / "datapackage.json").read_text(encoding="utf-8"))
    assert all((examples / "csv" / r["path"]).is_file() for r in package["resources"])


@pytest.mark.parametrize("name", JSON_EXAMPLES)
def test_each_json_example_imports(ctx: Any, examples: Path, name: str) -> None:
    result = directory.import_feed(ctx, examples / name)
    assert not result.skipped
    services = _count(ctx, m.DirService)
    if name.startswith("service") or name == "organization_full.json":
        assert services == 1 and len(result.added) == 1
        assert _service(ctx).name == "Community Counselling"
    else:
        assert services == 0 and result.records >= 1
        stored = {"organization_list.json": m.DirOrganization,
                  "taxonomy_list.json": m.DirTaxonomy}.get(name, m.DirTaxonomyTerm)
        assert _count(ctx, stored) == 1


def test_service_example_is_stored_in_full(ctx: Any, examples: Path) -> None:
    directory.import_feed(ctx, examples / "service_full.json")
    svc = _service(ctx)
    detail = directory.get_service(ctx, svc.id, today=date(2026, 11, 24))
    assert detail.organization == "Example Organization Inc."
    assert detail.assured_date == date(2005, 1, 1)
    assert detail.minimum_age == 12 and detail.maximum_age == 100
    assert detail.locations[0].postcode == "ABC 1234"
    assert "induction loops" in detail.locations[0].accessibility
    assert detail.opening_times == (
        "Thursday and Friday, 10:00 to 18:00. The service is available from 10 am to 6pm "
        "weekdays. The service is not available on public holidays.",)
    assert detail.costs == ("Under 18s and Over 60s £35 per 1 hour session",)
    assert detail.terms == ("name",)
    assert detail.stale  # last checked in 2023


def test_csv_package_folder_and_zip_import(ctx: Any, csv_package: Path, tmp_path: Path) -> None:
    result = directory.import_feed(ctx, csv_package)
    assert result.full_feed and len(result.added) == 1
    detail = directory.get_service(ctx, _service(ctx).id)
    assert detail.phones[0].contact == "Ann Persona"
    archive = tmp_path / "package.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in csv_package.iterdir():
            zf.write(f, f"oruk/{f.name}")
    again = directory.import_feed(ctx, archive)
    assert len(again.unchanged) == 1 and not again.added and not again.updated
    assert _count(ctx, m.DirService) == 1


def test_csv_and_json_of_the_same_service_agree(ctx: Any, csv_package: Path,
                                                examples: Path) -> None:
    directory.import_feed(ctx, csv_package)
    from_csv = directory.get_service(ctx, _service(ctx).id)
    assert from_csv.name == "Community Counselling"
    assert from_csv.locations[0].address == "1-30 Main Street, MyCity, ABC 1234"


@pytest.mark.safety
def test_reimport_updates_keeps_local_fields_and_never_duplicates(
        ctx: Any, examples: Path, tmp_path: Path) -> None:
    directory.import_feed(ctx, examples / "service_full.json")
    sid = _service(ctx).id
    directory.save_local_details(ctx, sid, directory.LocalDetails(
        needs=("social",), self_referral=True, how_to_refer="Phone the reception",
        practitioner_notes="Ask for Ann"))
    directory.set_favourite(ctx, sid, True)
    directory.report_wrong(ctx, sid, "Phone number out of date")
    doc = _example(examples)
    doc["name"] = "Community Counselling Service"
    doc["schedules"] = []
    result = directory.import_feed(ctx, _write(tmp_path, doc))
    assert [x[0] for x in result.updated] == [SERVICE_ID]
    svc = _service(ctx)
    assert svc.id == sid and svc.name == "Community Counselling Service"
    assert (svc.needs, svc.self_referral, svc.how_to_refer, svc.practitioner_notes) == (
        "social", True, "Phone the reception", "Ask for Ann")
    assert svc.favourite and svc.reported_wrong
    assert _count(ctx, m.DirService) == 1
    # The schedule the feed dropped is soft-deleted, never removed.
    with ctx.store.read() as s:
        schedules = s.execute(select(m.DirSchedule.deleted_at)).scalars().all()
    assert len(schedules) == 1 and schedules[0] is not None
    # Searching still finds the new name.
    assert [h.id for h in directory.search(ctx, "counselling serv")] == [sid]


def test_unchanged_reimport_writes_nothing(ctx: Any, examples: Path, content: Any) -> None:
    directory.import_feed(ctx, examples / "service_full.json")
    before = content(ctx)
    result = directory.import_feed(ctx, examples / "service_full.json")
    assert len(result.unchanged) == 1
    after = content(ctx)
    # Only the feed's own record changes (its last import: date and counts).
    for changed in ("audit_events", "dir_feeds", "device_state", "device"):
        after.pop(changed), before.pop(changed)
    assert after == before


@pytest.mark.safety
def test_full_feed_withdraws_missing_services_without_deleting(
        ctx: Any, examples: Path, tmp_path: Path) -> None:
    first = _example(examples)
    second = dict(first, id=SECOND_ID, name="Second Service")
    second["service_at_locations"] = []
    second["contacts"] = []
    for key in ("schedules", "service_areas", "languages", "funding", "cost_options",
                "attributes"):
        second[key] = []
    directory.import_feed(ctx, _write(tmp_path, [first, second]), feed="Kingsmere")
    assert _count(ctx, m.DirService) == 2
    result = directory.import_feed(ctx, _write(tmp_path, [first], "full.json"), feed="Kingsmere")
    assert [x[0] for x in result.withdrawn] == [SECOND_ID]
    assert _count(ctx, m.DirService) == 2
    withdrawn = _service(ctx, SECOND_ID)
    assert withdrawn.withdrawn_at is not None and withdrawn.deleted_at is None
    assert [h.name for h in directory.search(ctx, "second")] == []
    # A partial feed (one page of many) withdraws nothing.
    page = {"total_items": 10, "total_pages": 10, "page_number": 1, "contents": [first]}
    assert directory.import_feed(ctx, _write(tmp_path, page, "page.json"),
                                 feed="Kingsmere").withdrawn == ()
    # Listed again: back in the directory.
    back = directory.import_feed(ctx, _write(tmp_path, [first, second], "again.json"),
                                 feed="Kingsmere")
    assert [x[0] for x in back.updated] == [SECOND_ID]
    assert _service(ctx, SECOND_ID).withdrawn_at is None


def test_dry_run_reports_and_changes_nothing(ctx: Any, examples: Path, content: Any) -> None:
    before = content(ctx)
    result = directory.import_feed(ctx, examples / "service_full.json", dry_run=True)
    assert result.dry_run and len(result.added) == 1
    assert content(ctx) == before


def test_export_round_trips_identically(demo_ctx: Any, tmp_path: Path, examples: Path) -> None:
    from wellbeing_desktop.services import setup
    from wellbeing_desktop.services.app import AppContext

    directory.import_feed(demo_ctx, examples / "service_full.json")
    # A vocabulary no service uses yet, and a term of no taxonomy here, travel too.
    directory.import_feed(demo_ctx, examples / "taxonomy.json")
    directory.import_feed(demo_ctx, examples / "taxonomy_term.json")
    sid = _service(demo_ctx).id
    directory.save_local_details(demo_ctx, sid, directory.LocalDetails(
        needs=("money_debt", "housing"), self_referral=False, how_to_refer="Online form"))
    directory.mark_verified(demo_ctx, sid, on=date(2026, 11, 1))
    first = tmp_path / "first.json"
    assert directory.export_directory(demo_ctx, first) == 81
    other = AppContext.open(tmp_path / "other")
    try:
        setup.complete_first_run(other, setup.SetupInput("Other", "Kim Lee", phone="01632 960 101"))
        result = directory.import_feed(other, first)
        assert len(result.added) == 81 and not result.skipped
        second = tmp_path / "second.json"
        directory.export_directory(other, second)
        assert first.read_bytes() == second.read_bytes()
        exported = json.loads(first.read_bytes())
        assert {t["id"] for t in exported["x_wellbeing_taxonomies"]} >= {
            _example(examples, "taxonomy.json")["id"]}
        assert _example(examples, "taxonomy_term.json")["id"] in {
            t["id"] for t in exported["x_wellbeing_taxonomy_terms"]}
        moved = _service(other)
        assert (moved.needs, moved.self_referral, moved.verified_on) == (
            "housing money_debt", False, date(2026, 11, 1))
        again = directory.import_feed(other, second)
        assert len(again.unchanged) == 81 and not again.updated
    finally:
        other.close()


# ------------------------------------------------------------------------------ bad input

def _bad_cases(examples: Path, tmp_path: Path) -> dict[str, tuple[Path, str]]:
    def variant(change: Any, name: str) -> Path:
        doc = _example(examples)
        change(doc)
        return _write(tmp_path, doc, name)

    cases: dict[str, tuple[Path, str]] = {}
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "x",\n "name": "Oops"\n', encoding="utf-8")
    cases["malformed json"] = (broken, "broken.json: not valid JSON at line 3")
    cases["wrong type"] = (variant(lambda d: d.update(name=["Counselling"]), "type.json"),
                           "name: must be text, found a list")
    cases["missing required"] = (variant(lambda d: d.pop("name"), "missing.json"),
                                 f"record {SERVICE_ID}: name: is required")
    cases["unknown enum"] = (variant(lambda d: d.update(status="open"), "enum.json"),
                             "status: 'open' is not one of active, inactive, defunct")
    cases["nested wrong type"] = (variant(lambda d: d.update(schedules="Mondays"), "n.json"),
                                  "`schedules` must be a list")
    cases["duplicate ids"] = (_write(tmp_path, [_example(examples), dict(
        _example(examples), name="Another")], "dup.json"), "duplicate id")
    cases["dangling reference"] = (_write(tmp_path, {"id": "t1", "name": "x", "status": "active",
                                                     "organization_id": "nowhere"}, "dang.json"),
                                   "organization_id: refers to organization nowhere")
    notdir = tmp_path / "people.json"
    notdir.write_text('[{"first_name": "Ann", "age": 3}]', encoding="utf-8")
    cases["not a directory"] = (notdir, "not an Open Referral record")
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    cases["empty file"] = (empty, "the file is empty")
    cases["empty list"] = (_write(tmp_path, [], "none.json"), "lists no records")
    return cases


@pytest.mark.parametrize("case", ["malformed json", "wrong type", "missing required",
                                  "unknown enum", "nested wrong type", "duplicate ids",
                                  "dangling reference", "not a directory", "empty file",
                                  "empty list"])
def test_bad_input_names_the_problem_and_changes_nothing(
        demo_ctx: Any, examples: Path, tmp_path: Path, content: Any, case: str) -> None:
    path, expected = _bad_cases(examples, tmp_path)[case]
    before = content(demo_ctx)
    with pytest.raises(ValidationError) as info:
        directory.import_feed(demo_ctx, path)
    assert expected in str(info.value)
    assert "\n" not in str(info.value)
    assert content(demo_ctx) == before


def test_huge_file_is_refused(ctx: Any, tmp_path: Path, content: Any) -> None:
    from wellbeing_desktop.oruk import reader

    big = tmp_path / "big.json"
    big.write_bytes(b"[" + b" " * 2048 + b"]")
    with pytest.raises(reader.FeedError, match="more than the 1 KB"):
        reader.read(big, max_bytes=1024)


def test_bad_csv_names_file_and_line(ctx: Any, csv_package: Path, content: Any) -> None:
    import csv

    services = csv_package / "services.csv"
    with services.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f) if r]
    extra = list(rows[1])
    extra[0], extra[6] = "bc148810", "closed"
    with services.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows([*rows, extra])
    before = content(ctx)
    with pytest.raises(ValidationError, match=r"services.csv line 3, record bc148810"):
        directory.import_feed(ctx, csv_package)
    assert content(ctx) == before


def test_csv_with_ragged_row_is_refused(ctx: Any, csv_package: Path) -> None:
    with (csv_package / "phones.csv").open("a", encoding="utf-8") as f:
        f.write("x1,1e7efce3-639b-4880-940c-b95cd30cdb50\n")
    with pytest.raises(ValidationError, match=r"phones.csv line \d+: 2 values but the header"):
        directory.import_feed(ctx, csv_package)


def test_skip_invalid_imports_good_records_and_reports_each_skipped(
        ctx: Any, examples: Path, tmp_path: Path) -> None:
    good = _example(examples)
    bad_child = dict(_example(examples), id="bad-child", name="Bad child")
    bad_child["contacts"] = [{"id": "c-bad", "name": "X", "phones": [{"id": "p-bad"}]}]
    bad_child["service_at_locations"] = []
    bad_status = dict(_example(examples), id="bad-status", name="Bad status", status="maybe")
    bad_status["service_at_locations"] = []
    bad_status["contacts"] = []
    path = _write(tmp_path, [good, bad_child, bad_status])
    with pytest.raises(ValidationError):
        directory.import_feed(ctx, path)
    result = directory.import_feed(ctx, path, skip_invalid=True)
    assert [x[0] for x in result.added] == [SERVICE_ID]
    reasons = {(s["record"], s["field"]) for s in result.skipped}
    assert ("p-bad", "number") in reasons and ("bad-status", "status") in reasons
    assert ("bad-child", "") in reasons
    assert _count(ctx, m.DirService) == 1


def test_skip_invalid_never_grafts_a_skipped_duplicates_parts_onto_another(
        ctx: Any, examples: Path, tmp_path: Path) -> None:
    """A second record with the service's id but other details (issue 13): the id is in doubt,
    so the service is skipped whole; the duplicate's own schedule and phone, which name that
    id as their parent, are not attached to the stored service (wrong signposting details)."""
    first = _write(tmp_path, [_example(examples)], "first.json")
    directory.import_feed(ctx, first)
    before_schedules = _count(ctx, m.DirSchedule)
    before_phones = _count(ctx, m.DirPhone)
    dup = _example(examples)
    dup["name"] = "Another service"
    dup["schedules"] = [{"id": "5c1a1c0e-0d43-4a3c-9c2f-2a7f3c2e9b01",
                         "description": "Grafted: Sundays only"}]
    dup["phones"] = [{"id": "7d2b2d1f-1e54-4b4d-8d30-3b804d3fac12", "number": "01111 999999"}]
    path = _write(tmp_path, [_example(examples), dup], "dup.json")
    result = directory.import_feed(ctx, path, skip_invalid=True)
    assert any(s["field"] == "id" and "duplicate id" in s["message"] for s in result.skipped)
    assert result.added == () and result.updated == () and result.withdrawn == ()
    with ctx.store.read() as s:
        schedules = list(s.scalars(select(m.DirSchedule.description)))
        phones = list(s.scalars(select(m.DirPhone.number)))
        service = s.scalars(select(m.DirService).where(m.DirService.oruk_id == SERVICE_ID)).one()
        assert service.deleted_at is None and service.withdrawn_at is None
        assert service.name != "Another service"
    assert not any("Grafted" in (d or "") for d in schedules) and "01111 999999" not in phones
    assert (_count(ctx, m.DirSchedule), _count(ctx, m.DirPhone)) == (before_schedules,
                                                                      before_phones)
