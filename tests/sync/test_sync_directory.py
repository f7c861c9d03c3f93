"""Two clinics import the same ORUK feed (same ORUK ids, different local ids and search keys):
both merge, the centre holds one copy, and publishes it with the clinics' reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from enrolment_helpers import merge_enrolled
from sqlalchemy import select
from sync_helpers import Keys, central_count, central_rows

from wellbeing_desktop.cli import main
from wellbeing_desktop.services import directory, sync
from wellbeing_desktop.storage.models.directory import DirService

FEED = Path(__file__).resolve().parent.parent / "directory" / "data" / "oruk" / "service_full.json"


def _service_ids(ctx: Any) -> dict[str, Any]:
    with ctx.store.read() as s:
        return dict(s.execute(select(DirService.oruk_id, DirService.id)).all())


def test_same_feed_at_two_clinics_merges_into_one_directory(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str,
        capsys: Any) -> None:
    north, south = make_device("north"), make_device("south")
    for clinic in (north, south):
        directory.import_feed(clinic, FEED)
    north_ids, south_ids = _service_ids(north), _service_ids(south)
    assert north_ids.keys() == south_ids.keys()
    assert set(north_ids.values()).isdisjoint(south_ids.values())  # local ids differ
    [oruk_id] = list(north_ids)
    directory.report_wrong(south, south_ids[oruk_id], "Moved to the library on Mill Lane")

    bundles = []
    for clinic in (north, south):
        path = tmp_path / f"{clinic.store.device_id[:6]}.wbsync"
        sync.export(clinic, path, recipient=keys.public)
        bundles.append(path)
    outcomes = merge_enrolled(bundles, central_url, keys.private)
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    services = central_rows(central_url, "dir_services")
    assert len(services) == 1
    [row] = services.values()
    assert row["id"] == north_ids[oruk_id]  # the first clinic's id is the centre's
    assert row["reported_wrong"] and row["reported_wrong_reason"].startswith("Moved")
    children = [r for table in ("dir_contacts", "dir_service_at_locations", "dir_schedules",
                                "dir_languages", "dir_service_areas", "dir_cost_options")
                for r in central_rows(central_url, table).values()]
    assert children and {r["service_id"] for r in children} == {row["id"]}  # all re-pointed
    assert central_count(central_url, "sync_id_aliases") >= 2
    # Replaying either clinic changes nothing; a later edit at the second clinic still lands.
    assert all(o.result and o.result.replay for o in merge_enrolled(bundles, central_url,
                                                                          keys.private))
    directory.clear_reported_wrong(south, south_ids[oruk_id])
    later = tmp_path / "later.wbsync"
    sync.export(south, later, recipient=keys.public)
    [out] = merge_enrolled([later], central_url, keys.private)
    assert out.ok, out.error
    assert not central_rows(central_url, "dir_services")[north_ids[oruk_id]]["reported_wrong"]

    published = tmp_path / "directory.json"
    assert main(["central", "directory-export", "--db", central_url, "--out", str(published),
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["services"] == 1
    doc = json.loads(published.read_text())
    assert [item["id"] for item in doc["contents"]] == [oruk_id]
