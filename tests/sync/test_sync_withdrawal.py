"""Consent to central records withdrawn after records were sent: the next export carries a
notice, the centre restricts the client's records (kept, not erased), and consent given again
lifts it and sends the whole record again (docs/sync-format.md §7a)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
from enrolment_helpers import merge_enrolled
from sqlalchemy import select
from sync_helpers import Keys, add_client, central_rows, edit

from wellbeing_desktop.cli import main
from wellbeing_desktop.services import privacy, sync
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.sync import SentClient
from wellbeing_desktop.sync import crypto
from wellbeing_desktop.sync.bundle import WITHDRAWALS, read_bundle


def _export(ctx: Any, tmp_path: Path, keys: Keys, **kw: Any) -> sync.ExportResult:
    return sync.export(ctx, tmp_path / f"{uuid.uuid4().hex[:8]}.wbsync", recipient=keys.public,
                       **kw)


def _merge_and_ack(ctx: Any, url: str, keys: Keys, result: sync.ExportResult,
                   ack: bool = True) -> sync.MergeOutcome:
    [out] = merge_enrolled([result.path], url, keys.private)
    assert out.ok, out.error
    if ack:
        assert out.ack is not None
        sync.acknowledge(ctx, out.ack)
    return out


def _notices(result: sync.ExportResult, keys: Keys) -> list[dict[str, Any]]:
    bundle = read_bundle(result.path, crypto.load_private_key(keys.private))
    return [orjson.loads(x) for x in bundle.lines(WITHDRAWALS)] if WITHDRAWALS in bundle.members \
        else []


@pytest.mark.safety
def test_withdrawal_restricts_centrally_keeps_records_and_consent_again_lifts_it(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str) -> None:
    desk = make_device("desk")
    cid = add_client(desk, given="Priya")
    stays = add_client(desk, given="Tomasz")
    first = _export(desk, tmp_path, keys)
    _merge_and_ack(desk, central_url, keys, first)
    assert _notices(first, keys) == []

    edit(desk, Client, cid, consent_central_records=False)
    with desk.store.read() as s:
        ref = s.execute(select(Referral.id).where(Referral.client_id == cid)).scalar_one()
    edit(desk, Referral, ref, reason="New details the centre must not get")
    second = _export(desk, tmp_path, keys)
    [notice] = _notices(second, keys)
    assert notice["client_id"] == cid.hex and notice["version"] == 2
    assert set(notice) == {"client_id", "version", "updated_at", "origin_device"}
    content = read_bundle(second.path, crypto.load_private_key(keys.private))
    assert b"New details" not in b"".join(content.members.values())  # nothing more of theirs

    # Not acknowledged yet: the notice goes again; merging twice is the same restriction.
    again = _export(desk, tmp_path, keys)
    assert [n["client_id"] for n in _notices(again, keys)] == [cid.hex]
    out = _merge_and_ack(desk, central_url, keys, second, ack=False)
    assert out.result is not None and out.result.withdrawals == 1
    _merge_and_ack(desk, central_url, keys, again)
    [restricted] = sync.central_restrictions(central_url)
    assert restricted.client_id == str(cid) and restricted.held
    # Kept whole: a restriction, not an erasure (records retention, clinical safety).
    held = central_rows(central_url, "clients")[cid]
    assert held["given_name"] == "Priya" and held["nhs_number"] == "9434765919"
    assert stays not in {uuid.UUID(r.client_id) for r in sync.central_restrictions(central_url)}
    # Acknowledged: no more notices, and the centre is no longer counted as holding them whole.
    assert _notices(_export(desk, tmp_path, keys), keys) == []
    with desk.store.read() as s:
        assert s.get(SentClient, cid) is None and s.get(SentClient, stays) is not None

    # The person's own subject access export shows the notice went.
    listed = json.loads(privacy.subject_access(desk, cid).json_bytes)["data"][
        "central_records_exports"]
    assert [e["carried"] for e in listed] == ["records", "consent withdrawn notice",
                                              "consent withdrawn notice"]

    # Consent given again: the whole record goes (with the changes made meanwhile) and the
    # restriction lifts, because that version of the client record is later than the notice.
    edit(desk, Client, cid, consent_central_records=True)
    back = _export(desk, tmp_path, keys)
    assert back.counts.get("clients") == 1 and back.counts.get("referrals") == 1
    _merge_and_ack(desk, central_url, keys, back)
    assert sync.central_restrictions(central_url) == []
    assert central_rows(central_url, "referrals")[ref]["reason"].startswith("New details")


def test_notice_before_the_records_and_in_any_order_gives_the_same_restriction(
        make_device: Any, keys: Keys, tmp_path: Path) -> None:
    desk = make_device("desk")
    cid = add_client(desk)
    first = _export(desk, tmp_path, keys)
    edit(desk, Client, cid, consent_central_records=False)
    second = _export(desk, tmp_path, keys)  # first never acknowledged: still carries a notice
    assert [n["client_id"] for n in _notices(second, keys)] == [cid.hex]
    for order, name in (((second, first), "a"), ((first, second), "b")):
        url = str(tmp_path / f"{name}.sqlite3")
        for result in order:
            assert merge_enrolled([result.path], url, keys.private)[0].ok
        assert [r.client_id for r in sync.central_restrictions(url)] == [str(cid)]


def test_bad_notice_is_refused_and_cli_lists_restrictions(
        make_device: Any, keys: Keys, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    from wellbeing_desktop.sync.merge import MergeRejected, _notice

    with pytest.raises(MergeRejected, match="exactly client_id"):
        _notice({"client_id": "x"}, "withdrawals.ndjson line 1")
    with pytest.raises(MergeRejected, match="version"):
        _notice({"client_id": uuid.uuid4().hex, "version": "two", "origin_device": "d",
                 "updated_at": "2026-11-24 10:15:02+00:00"}, "withdrawals.ndjson line 1")
    url = str(tmp_path / "central.sqlite3")
    assert main(["central", "restrictions", "--db", url]) == 0
    assert capsys.readouterr().out.strip() == "No client's records are restricted."
    desk = make_device("desk")
    cid = add_client(desk)
    _merge_and_ack(desk, url, keys, _export(desk, tmp_path, keys))
    edit(desk, Client, cid, consent_central_records=False)
    _merge_and_ack(desk, url, keys, _export(desk, tmp_path, keys))
    assert main(["central", "restrictions", "--db", url, "--json"]) == 0
    assert [r["client_id"] for r in json.loads(capsys.readouterr().out)] == [str(cid)]


def test_conflicts_of_a_restricted_client_are_marked(make_device: Any, keys: Keys,
                                                     tmp_path: Path) -> None:
    url = str(tmp_path / "central.sqlite3")
    origin = make_device("origin")
    cid = add_client(origin, referrals=0)
    _merge_and_ack(origin, url, keys, _export(origin, tmp_path, keys))
    a = make_device("a", clone_of=origin)
    b = make_device("b", clone_of=origin)
    edit(a, Client, cid, pronouns="she/her")
    edit(b, Client, cid, pronouns="they/them")
    for desk in (a, b):
        assert merge_enrolled([_export(desk, tmp_path, keys).path], url, keys.private)[0].ok
    [listed] = sync.central_conflicts(url)
    assert not listed.restricted
    edit(a, Client, cid, consent_central_records=False)
    assert merge_enrolled([_export(a, tmp_path, keys).path], url, keys.private)[0].ok
    [listed] = sync.central_conflicts(url)
    assert listed.restricted
