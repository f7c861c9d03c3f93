"""Conflict review: `central resolve` keeps one version, above both, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from enrolment_helpers import merge_enrolled
from sqlalchemy import select
from sync_helpers import Keys, add_client, central_rows, edit

from wellbeing_desktop.cli import main
from wellbeing_desktop.services import sync
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.storage.models import Client
from wellbeing_desktop.storage.models.sync import Conflict
from wellbeing_desktop.sync.central import open_central


def _export(ctx: Any, tmp_path: Path, keys: Keys) -> Path:
    out = tmp_path / f"{uuid.uuid4().hex[:8]}.wbsync"
    sync.export(ctx, out, recipient=keys.public)
    return out


def _merge(url: str, keys: Keys, *paths: Path) -> None:
    assert all(o.ok for o in merge_enrolled(list(paths), url, keys.private))


def _conflict_rows(url: str) -> list[dict[str, Any]]:
    engine = open_central(url)
    try:
        with engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(
                select(Conflict.__table__).order_by(Conflict.id))]
    finally:
        engine.dispose()


def _two_devices_disagree(make_device: Any, keys: Keys, tmp_path: Path,
                          url: str) -> tuple[uuid.UUID, Any, Any, list[Path]]:
    origin = make_device("origin")
    cid = add_client(origin, referrals=0)
    _merge(url, keys, _export(origin, tmp_path, keys))
    a = make_device("a", clone_of=origin)
    b = make_device("b", clone_of=origin)
    edit(a, Client, cid, pronouns="she/her")
    edit(b, Client, cid, pronouns="they/them")
    bundles = [_export(a, tmp_path, keys), _export(b, tmp_path, keys)]
    _merge(url, keys, *bundles)
    return cid, a, b, bundles


@pytest.mark.parametrize("keep", ["current", "other"])
def test_resolve_keeps_the_chosen_version_above_both_and_merges_stay_idempotent(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str, keep: str) -> None:
    cid, a, _b, bundles = _two_devices_disagree(make_device, keys, tmp_path, central_url)
    [open_one] = sync.central_conflicts(central_url)
    before = central_rows(central_url, "clients")[cid]
    lost = json.loads(_conflict_rows(central_url)[0]["content"])
    assert {before["pronouns"], lost["pronouns"]} == {"she/her", "they/them"}

    done = sync.central_resolve(central_url, open_one.id, keep, by="R. Okafor",
                                reason="Confirmed with the client by phone")
    row = central_rows(central_url, "clients")[cid]
    chosen = before["pronouns"] if keep == "current" else lost["pronouns"]
    assert row["pronouns"] == chosen
    assert row["version"] == done.version == 3 and row["origin_device"] == "central"
    assert sync.central_conflicts(central_url) == []  # nothing left to review
    rows = _conflict_rows(central_url)
    reviewed = next(r for r in rows if r["id"] == open_one.id)
    assert reviewed["resolved"] and reviewed["resolved_by"] == "R. Okafor"
    assert reviewed["resolved_keep"] == keep and reviewed["resolved_at"] is not None
    assert reviewed["resolved_reason"] == "Confirmed with the client by phone"
    if keep == "other":  # the version set aside is still on record, marked reviewed
        aside = [r for r in rows if r["id"] != open_one.id]
        assert len(aside) == 1 and aside[0]["resolved"]
        assert json.loads(aside[0]["content"])["pronouns"] == before["pronouns"]

    # Replaying both bundles, in either order, changes nothing and reopens nothing.
    snapshot = (central_rows(central_url, "clients"), _conflict_rows(central_url))
    _merge(central_url, keys, *reversed(bundles))
    _merge(central_url, keys, *bundles)
    assert (central_rows(central_url, "clients"), _conflict_rows(central_url)) == snapshot

    # A device's later edit still competes by the same rule (version 3 vs the centre's 3).
    edit(a, Client, cid, pronouns="he/him")
    _merge(central_url, keys, _export(a, tmp_path, keys))
    assert central_rows(central_url, "clients")[cid]["pronouns"] == "he/him"  # newer

    with pytest.raises(ValidationError) as err:
        sync.central_resolve(central_url, open_one.id, keep, by="x", reason="again")
    assert "resolved already" in str(err.value.for_field("conflict_id"))


def test_resolve_refuses_bad_input_and_changes_nothing(
        make_device: Any, keys: Keys, tmp_path: Path) -> None:
    url = str(tmp_path / "central.sqlite3")
    cid, _a, _b, _ = _two_devices_disagree(make_device, keys, tmp_path, url)
    [open_one] = sync.central_conflicts(url)
    before = (central_rows(url, "clients"), _conflict_rows(url))
    with pytest.raises(ValidationError) as err:
        sync.central_resolve(url, open_one.id, "newest", by="", reason=" ")
    assert {p.field for p in err.value.problems} == {"keep", "by", "reason"}
    with pytest.raises(ValidationError) as err:
        sync.central_resolve(url, 999, "current", by="x", reason="y")
    assert "no conflict 999" in str(err.value.for_field("conflict_id"))
    assert (central_rows(url, "clients"), _conflict_rows(url)) == before
    assert central_rows(url, "clients")[cid]["version"] == 2


def test_cli_lists_then_resolves(make_device: Any, keys: Keys, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    url = str(tmp_path / "central.sqlite3")
    cid, _a, _b, _ = _two_devices_disagree(make_device, keys, tmp_path, url)
    assert main(["central", "conflicts", "--db", url, "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert listed["record_id"] == str(cid)
    assert main(["central", "conflicts", "--db", url]) == 0
    assert capsys.readouterr().out.startswith(f"#{listed['id']} clients {cid}")
    assert main(["central", "resolve", str(listed["id"]), "--keep", "other", "--db", url,
                 "--by", "Central team", "--reason", "The later call", "--json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert done["kept"] == "other" and done["version"] == 3 and done["others_open"] == 0
    assert main(["central", "resolve", str(listed["id"]), "--keep", "other", "--db", url,
                 "--reason", "again"]) == 2
    err = capsys.readouterr().err.strip()
    assert "resolved already" in err and "\n" not in err
    with pytest.raises(SystemExit) as stop:  # argparse: only current or other
        main(["central", "resolve", "1", "--keep", "both", "--db", url, "--reason", "x"])
    assert stop.value.code == 2
