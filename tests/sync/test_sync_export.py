"""Export on the desktop: consent, watermarks, tombstones, pseudonymisation, atomic writing."""

from __future__ import annotations

import errno
import uuid
from pathlib import Path
from typing import Any, BinaryIO

import orjson
import pytest
from enrolment_helpers import merge_enrolled
from sync_helpers import Keys, add_client, delete, edit

from wellbeing_desktop.services import sync
from wellbeing_desktop.services.context import Actor
from wellbeing_desktop.services.errors import PermissionDenied, ValidationError
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.sync import ExportLog
from wellbeing_desktop.sync import crypto
from wellbeing_desktop.sync.bundle import read_bundle


def _open(path: Path, keys: Keys) -> dict[str, list[dict[str, Any]]]:
    bundle = read_bundle(path, crypto.load_private_key(keys.private))
    return {name.removesuffix(".ndjson"): [orjson.loads(line) for line in bundle.lines(name)]
            for name in bundle.members}


def _export(ctx: Any, tmp_path: Path, keys: Keys, name: str, **kw: Any) -> sync.ExportResult:
    return sync.export(ctx, tmp_path / name, recipient=keys.public, **kw)


def _ack(ctx: Any, result: sync.ExportResult, keys: Keys, tmp_path: Path) -> None:
    outcome = merge_enrolled([result.path], str(tmp_path / "central.sqlite3"), keys.private)
    assert outcome[0].ok, outcome[0].error
    assert outcome[0].ack is not None
    sync.acknowledge(ctx, outcome[0].ack)


@pytest.mark.safety
def test_only_consented_clients_travel_and_directory_rows_always(ctx: Any, keys: Keys,
                                                                 tmp_path: Path) -> None:
    yes = add_client(ctx, consent=True, given="Priya")
    no = add_client(ctx, consent=False, given="Tomasz")
    result = _export(ctx, tmp_path, keys, "a.wbsync")
    content = _open(result.path, keys)
    assert {c["id"] for c in content["clients"]} == {yes.hex}
    assert {r["client_id"] for r in content["referrals"]} == {yes.hex}
    assert len(content["practitioners"]) == 1  # no client_id: always goes
    assert no.hex not in str(content)
    assert result.counts == {"practitioners": 1, "clients": 1, "referrals": 1}
    manifest = read_bundle(result.path, crypto.load_private_key(keys.private)).manifest
    assert manifest["since_seq"] == 0 and manifest["until_seq"] == result.until_seq
    assert [m["name"] for m in manifest["members"]] == [
        "practitioners.ndjson", "clients.ndjson", "referrals.ndjson", "deleted.ndjson"]


@pytest.mark.safety
def test_incremental_after_acknowledgement_and_resend_until_acknowledged(
        ctx: Any, keys: Keys, tmp_path: Path) -> None:
    first = add_client(ctx)
    one = _export(ctx, tmp_path, keys, "1.wbsync")
    assert one.records == 3
    # Not acknowledged: the next export sends everything again.
    two = _export(ctx, tmp_path, keys, "2.wbsync")
    assert two.records == 3 and two.since_seq == 0
    _ack(ctx, two, keys, tmp_path)
    assert sync.status(ctx).pending_total == 0
    second = add_client(ctx, given="Bea", referrals=0)
    edit(ctx, Client, first, pronouns="she/her")
    three = _export(ctx, tmp_path, keys, "3.wbsync")
    assert three.since_seq == two.until_seq
    content = _open(three.path, keys)
    assert {c["id"] for c in content["clients"]} == {first.hex, second.hex}
    assert "referrals" not in content
    assert sync.status(ctx).pending == {"clients": 2}  # still pending until acknowledged


@pytest.mark.safety
def test_deletions_travel_as_tombstones(ctx: Any, keys: Keys, tmp_path: Path) -> None:
    cid = add_client(ctx)
    with ctx.store.read() as s:
        rid = s.query(Referral.id).filter(Referral.client_id == cid).scalar()
    delete(ctx, Referral, rid)
    content = _open(_export(ctx, tmp_path, keys, "d.wbsync").path, keys)
    assert "referrals" not in content
    [stone] = content["deleted"]
    assert stone["entity"] == "referrals" and stone["record"]["id"] == rid.hex
    assert stone["record"]["deleted_at"] and stone["record"]["version"] == 2


def test_consent_given_later_sends_the_whole_record(ctx: Any, keys: Keys, tmp_path: Path) -> None:
    late = add_client(ctx, consent=False, referrals=2)
    _ack(ctx, _export(ctx, tmp_path, keys, "1.wbsync"), keys, tmp_path)
    edit(ctx, Client, late, consent_central_records=True)
    content = _open(_export(ctx, tmp_path, keys, "2.wbsync").path, keys)
    assert {c["id"] for c in content["clients"]} == {late.hex}
    assert len(content["referrals"]) == 2  # unchanged since, but never sent


@pytest.mark.safety
def test_pseudonymised_export_removes_direct_identifiers(ctx: Any, keys: Keys,
                                                         tmp_path: Path) -> None:
    add_client(ctx, given="Siobhan", family="Kowalczyk")
    result = _export(ctx, tmp_path, keys, "p.wbsync", pseudonymised=True, full=True)
    content = _open(result.path, keys)
    [client] = content["clients"]
    for name in ("given_name", "family_name", "address", "phone", "email", "search_name"):
        assert client[name] == "", name
    assert client["nhs_number"] is None
    assert client["date_of_birth"] == "1984-01-01"
    assert client["postcode"] == "KM4"
    assert content["referrals"][0]["reason"] == ""  # free text about the person
    assert content["referrals"][0]["source"] == "GP"
    # A reporting export never moves the watermark.
    with ctx.store.read() as s:
        assert s.get(ExportLog, uuid.UUID(result.export_id)).pseudonymised


class _FullDisk:
    """A file that fills up after `room` bytes, like a USB stick with no space left."""

    def __init__(self, path: Path, room: int) -> None:
        self.fh: BinaryIO = open(path, "xb")  # noqa: SIM115
        self.room = room

    def write(self, data: bytes) -> int:
        if self.room < len(data):
            self.fh.write(data[: self.room])
            self.room = 0
            raise OSError(errno.ENOSPC, "No space left on device")
        self.room -= len(data)
        return self.fh.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fh, name)


@pytest.mark.parametrize("room", [0, 100, 5_000])
@pytest.mark.safety
def test_full_disk_leaves_no_file_and_no_log(ctx: Any, keys: Keys, tmp_path: Path,
                                             room: int) -> None:
    for n in range(30):
        add_client(ctx, given=f"Person{n}")
    out_dir = tmp_path / "stick"
    out_dir.mkdir()
    with pytest.raises(OSError) as caught:
        sync.export(ctx, out_dir / "x.wbsync", recipient=keys.public,
                    opener=lambda p: _FullDisk(p, room))  # type: ignore[arg-type,return-value]
    assert caught.value.errno == errno.ENOSPC
    assert list(out_dir.iterdir()) == []
    assert sync.history(ctx) == []
    assert sync.status(ctx).watermark == 0
    # And the next attempt, with room, works.
    assert sync.export(ctx, out_dir / "x.wbsync", recipient=keys.public).records == 61


def test_bad_input_names_the_field(ctx: Any, keys: Keys, tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as caught:
        sync.export(ctx, tmp_path / "a.wbsync")
    assert caught.value.for_field("recipient")
    with pytest.raises(ValidationError) as caught:
        sync.export(ctx, tmp_path / "nowhere" / "a.wbsync", recipient=keys.public)
    assert caught.value.for_field("out")
    with pytest.raises(ValidationError) as caught:
        sync.export(ctx, tmp_path / "a.wbsync", recipient="wellbeing-x25519:AAAA")
    assert caught.value.for_field("recipient")
    assert list(tmp_path.glob("*.wbsync")) == []


def test_practitioners_cannot_export(ctx: Any, keys: Keys, tmp_path: Path) -> None:
    ctx.actor = Actor(None, "Pat", "practitioner")
    with pytest.raises(PermissionDenied):
        sync.export(ctx, tmp_path / "a.wbsync", recipient=keys.public)


def test_export_is_audited_with_identifiers_only(ctx: Any, keys: Keys, tmp_path: Path) -> None:
    from sqlalchemy import select

    from wellbeing_desktop.storage.models import AuditEvent

    add_client(ctx, given="Imogen")
    result = _export(ctx, tmp_path, keys, "a.wbsync")
    with ctx.store.read() as s:
        entity_id, detail = s.execute(select(AuditEvent.entity_id, AuditEvent.detail).where(
            AuditEvent.action == "sync.export")).one()
    assert entity_id == result.export_id and "Imogen" not in detail


def test_sqlite_fast_path_and_typed_path_give_the_same_records(demo_ctx: Any) -> None:
    """Every table of every area (the demo fills them), deleted rows included."""
    from wellbeing_desktop.storage.types import utcnow
    from wellbeing_desktop.sync.export import Plan, _json_lines, _typed_lines, current_seq
    from wellbeing_desktop.sync.schema import decode_row, entities, fast_decoder, sqlite_json

    with demo_ctx.store.session() as s:
        s.get(Referral, s.query(Referral.id).limit(1).scalar()).deleted_at = utcnow()
    checked = 0
    with demo_ctx.store.read() as s:
        conn = s.connection()
        plan = Plan(0, current_seq(conn), True, False)
        for entity in entities():
            assert sqlite_json(entity) is not None, entity.name  # every type has a fast form

            def decoded(lines_of: Any, entity: Any = entity) -> list[Any]:
                out: list[Any] = []
                who: set[uuid.UUID] = set()
                for lines, stones in lines_of(conn, entity, plan, who):
                    out += [decode_row(entity, orjson.loads(x)) for x in lines]
                    out += [decode_row(entity, orjson.loads(x)["record"]) for x in stones]
                return [*out, sorted(who)]  # and the same clients named as subjects

            fast, typed = decoded(_json_lines), decoded(_typed_lines)
            assert fast == typed, entity.name
            checked += len(fast)
            # The merge's generated decoder reads the lines exactly as decode_row does.
            decode = fast_decoder(entity)
            for lines, _stones in _json_lines(conn, entity, plan, set()):
                for line in lines:
                    assert decode(orjson.loads(line)) == decode_row(entity, orjson.loads(line))
    assert checked > 1500


def test_generated_decoder_refuses_what_decode_row_refuses() -> None:
    from wellbeing_desktop.domain import coded
    from wellbeing_desktop.sync.schema import RecordError, decode_row, entity_map, fast_decoder

    clients = entity_map()["clients"]
    good = {name: None for name in clients.columns}
    good.update(id=uuid.uuid4().hex, created_at="2026-11-01 10:00:00+00:00",
                updated_at="2026-11-01 10:00:00+00:00", version=1, origin_device="d",
                change_seq=1, given_name="Ana", family_name="Silva", preferred_name="",
                pronouns="", address="", postcode="", phone="", email="", status="referred",
                contact_preferences="", gp_practice="", consent_contact=True,
                consent_share_services=False, consent_central_records=True,
                consent_share_with="", language="en", interpreter_needed=False,
                document_format="standard", communication_notes="", search_name="silva ana",
                post_allowed=True, message_allowed=True)
    good.update({name: "" for name in coded.FIELDS})  # coded data: "" = not asked
    good = {k: v for k, v in good.items() if k in clients.columns}
    assert fast_decoder(clients)(dict(good)) == decode_row(clients, dict(good))
    bad_values: list[tuple[str, object]] = [
        ("version", True), ("version", "1"), ("given_name", None), ("given_name", 7),
        ("postcode", "X" * 9), ("consent_contact", 1), ("id", "not-an-id"),
        ("created_at", "2026-11-01 10:00:00"), ("date_of_birth", "1.5.1980")]
    for name, value in bad_values:
        raw = dict(good, **{name: value})
        with pytest.raises(RecordError) as slow:
            decode_row(clients, raw)
        with pytest.raises(RecordError) as fast:
            fast_decoder(clients)(raw)
        assert str(fast.value) == str(slow.value), name
    for raw in ({**good, "extra": 1}, {k: v for k, v in good.items() if k != "email"}, [1]):
        with pytest.raises(RecordError):
            fast_decoder(clients)(raw)


def test_cancelled_export_leaves_nothing(ctx: Any, keys: Keys, tmp_path: Path) -> None:
    add_client(ctx)
    calls: list[str] = []

    class Report:
        cancelled = False

        def __call__(self, percent: int, message: str = "") -> None:
            calls.append(message)
            self.cancelled = len(calls) >= 2  # the user presses Cancel part-way

    with pytest.raises(InterruptedError):
        sync.export(ctx, tmp_path / "c.wbsync", recipient=keys.public, progress=Report())
    assert list(tmp_path.glob("*c.wbsync*")) == [] and sync.history(ctx) == []
