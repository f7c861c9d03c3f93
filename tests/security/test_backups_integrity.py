"""Backups, restore, rotation, start-up integrity and the full check, on real files."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sec_helpers import CLIENT_NAME, PASS_SAM, add_client
from sqlalchemy import func, select

from wellbeing_desktop.services import auth, backups, integrity
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import DamagedStore, ValidationError
from wellbeing_desktop.storage import paths
from wellbeing_desktop.storage.backup import keep_set, list_backups, rotate
from wellbeing_desktop.storage.models import Client


def _clients(ctx: AppContext) -> int:
    with ctx.store.read() as s:
        return int(s.execute(select(func.count()).select_from(Client)).scalar_one())


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.safety
def test_restore_round_trip_keeps_the_current_records_as_a_backup(secure_ctx: AppContext) -> None:
    first = backups.backup_now(secure_ctx)
    add_client(secure_ctx, "Ottoline", "Brackenbury")
    assert _clients(secure_ctx) == 2
    safety = backups.restore(secure_ctx, first.path)
    assert _clients(secure_ctx) == 1
    assert safety.path.name.startswith("pre-restore-")
    # The safety copy holds the two clients, and survives the next routine backups.
    backups.backup_now(secure_ctx)
    backups.backup_now(secure_ctx)
    assert safety.path.exists()
    backups.restore(secure_ctx, safety.path)
    assert _clients(secure_ctx) == 2


@pytest.mark.safety
def test_restore_refuses_a_bad_file_and_changes_nothing(secure_ctx: AppContext, tmp_path: Path) -> None:
    bogus = tmp_path / "bogus-20260101T000000Z.sqlite3"
    bogus.write_bytes(b"not a database" * 500)
    before = _clients(secure_ctx)
    with pytest.raises(ValidationError) as err:
        backups.restore(secure_ctx, bogus)
    assert err.value.for_field("file")
    assert _clients(secure_ctx) == before
    assert not [p for p in list_backups(paths.backups_dir(secure_ctx.data_dir))
                if p.name.startswith("pre-restore")]


@pytest.mark.safety
def test_backup_of_another_store_is_refused(secure_ctx: AppContext, tmp_path: Path) -> None:
    other = AppContext.open(tmp_path / "other")
    plain_backup = backups.backup_now(other).path
    other.close()
    with pytest.raises(ValidationError, match="another key"):
        backups.restore(secure_ctx, plain_backup)


@pytest.mark.safety
def test_database_and_backups_hold_no_plaintext_client_name(secure_ctx: AppContext,
                                                            tmp_path: Path) -> None:
    second = tmp_path / "network-drive"
    second.mkdir()
    secure_ctx.settings.section("security")["backup_folder"] = str(second)
    info = backups.backup_now(secure_ctx)
    out = backups.backup_now(secure_ctx, out=tmp_path / "usb.sqlite3")
    assert info.second_copy is not None and (second / "keyring.json").exists()
    secure_ctx.close()
    needles = [CLIENT_NAME.encode(), b"Quillfeather", "Quillfeather".encode("utf-16-le"),
               b"07700 900123"]
    files = [paths.database_path(secure_ctx.data_dir), info.path, info.second_copy, out.path,
             *secure_ctx.data_dir.rglob("*")]
    for f in files:
        if f.is_file():
            data = f.read_bytes()
            for needle in needles:
                assert needle not in data, f"{needle!r} in {f.name}"


@pytest.mark.safety
def test_a_corrupted_database_is_detected_at_start_and_never_written(secure_ctx: AppContext) -> None:
    good = backups.backup_now(secure_ctx)
    data_dir = secure_ctx.data_dir
    secure_ctx.close()
    db = paths.database_path(data_dir)
    raw = bytearray(db.read_bytes())
    for i in range(4096 + 100, 4096 + 400):  # damage page 2
        raw[i] ^= 0xA5
    db.write_bytes(bytes(raw))
    before = _digest(db)
    with pytest.raises(DamagedStore) as err:
        auth.login(data_dir, "sam", PASS_SAM)
    assert str(good.path) in err.value.backups
    assert good.path.name in str(err.value)
    assert _digest(db) == before
    assert not Path(str(db) + "-wal").exists() or Path(str(db) + "-wal").stat().st_size == 0


@pytest.mark.safety
def test_damaged_plain_store_is_refused_before_migrations(ctx: AppContext) -> None:
    data_dir = ctx.data_dir
    ctx.close()
    db = paths.database_path(data_dir)
    raw = bytearray(db.read_bytes())
    raw[4096 * 2 : 4096 * 2 + 512] = b"\xff" * 512
    db.write_bytes(bytes(raw))
    before = _digest(db)
    with pytest.raises(DamagedStore, match="No good backup"):
        AppContext.open(data_dir)
    assert _digest(db) == before


def test_full_check_reports_store_backups_and_audit(secure_ctx: AppContext) -> None:
    b = backups.backup_now(secure_ctx)
    report = integrity.full_check(secure_ctx.data_dir, secure_ctx.store.key)
    assert report.ok
    names = [i.name for i in report.items]
    assert names[0] == "database" and names[-1] == "audit chain"
    assert f"backup {b.path.name}" in names
    b.path.write_bytes(b.path.read_bytes()[:8192])  # a truncated backup
    report = integrity.full_check(secure_ctx.data_dir, secure_ctx.store.key)
    assert not report.ok
    assert [i.name for i in report.items if not i.ok] == [f"backup {b.path.name}"]


def _touch(folder: Path, when: datetime, prefix: str = "daily") -> Path:
    path = folder / f"{prefix}-{when.strftime('%Y%m%dT%H%M%S')}000000Z.sqlite3"
    path.write_bytes(b"x")
    return path


@pytest.mark.safety
def test_rotation_keeps_7_daily_4_weekly_12_monthly(tmp_path: Path) -> None:
    start = datetime(2025, 1, 1, 9, tzinfo=UTC)
    for day in range(400):
        for hour in (0, 5):  # two a day
            _touch(tmp_path, start + timedelta(days=day, hours=hour))
    _touch(tmp_path, start, "pre-restore")
    rotate(tmp_path)
    kept = list_backups(tmp_path)
    dailies = [p for p in kept if p.name.startswith("daily")]
    # 7 days + up to 4 weeks + up to 12 months overlap; at most 23, at least 12.
    assert 12 <= len(dailies) <= 23
    newest = start + timedelta(days=399, hours=5)
    assert dailies[0].name.startswith(f"daily-{newest.strftime('%Y%m%dT%H%M%S')}")
    days = {p.name[6:14] for p in dailies}
    assert len(days) == len(dailies)  # never two the same day
    assert any(p.name.startswith("pre-restore") for p in kept)


@given(st.lists(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)),
                min_size=1, max_size=80))
def test_keep_set_properties(times: list[datetime]) -> None:
    kept = keep_set(times)
    assert max(times) in kept
    assert len({t.date() for t in kept}) == len(kept)  # each kept one is the newest of its day
    assert len(kept) <= 23
    recent_days = sorted({t.date() for t in times}, reverse=True)[:7]
    for day in recent_days:
        assert any(t.date() == day for t in kept)
