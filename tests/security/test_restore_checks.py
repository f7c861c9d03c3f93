"""Issue 13, restore that checks: a backup is proved good (integrity, every table, column and
safeguard of its schema revision, the audit chain, the keyring) before it replaces anything;
the command line restores over a damaged store; another installation's backup keeps this
installation's device id."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from sec_helpers import PASS_SAM, add_client

from wellbeing_desktop.cli import main
from wellbeing_desktop.services import accounts, auth, backups, setup
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.storage import paths


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _plain_store(data_dir: Path, name: str = "Sam Okoye") -> AppContext:
    ctx = AppContext.open(data_dir)
    setup.complete_first_run(ctx, setup.SetupInput("Kingsmere Wellbeing", name))
    return ctx


def _tampered_copy(backup: Path, tmp_path: Path, *sql: str) -> Path:
    copy = tmp_path / f"tampered-{len(list(tmp_path.iterdir()))}.sqlite3"
    copy.write_bytes(backup.read_bytes())
    conn = sqlite3.connect(copy)
    try:
        for statement in sql:
            conn.execute(statement)
        conn.commit()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    return copy


def _refused(ctx: AppContext, backup: Path, fragment: str) -> None:
    db = ctx.store.db_path
    ctx.store.close()
    before = _digest(db)
    ctx.store = ctx.store.open(ctx.data_dir, key=ctx.store.key)
    pre = sorted(p.name for p in paths.backups_dir(ctx.data_dir).iterdir())
    with pytest.raises(ValidationError) as err:
        backups.restore(ctx, backup)
    assert fragment in str(err.value)
    ctx.store.close()
    assert _digest(db) == before  # nothing replaced
    ctx.store = ctx.store.open(ctx.data_dir, key=ctx.store.key)
    assert sorted(p.name for p in paths.backups_dir(ctx.data_dir).iterdir()) == pre
    assert not list(ctx.data_dir.glob(".restore-*"))


def test_a_backup_with_a_table_dropped_is_refused(data_dir: Path, tmp_path: Path) -> None:
    ctx = _plain_store(data_dir)
    try:
        add_client(ctx)
        good = backups.backup_now(ctx).path
        dropped = _tampered_copy(good, tmp_path, "DROP TABLE goal_reviews")
        _refused(ctx, dropped, "table goal_reviews is missing")
        column = _tampered_copy(good, tmp_path, "ALTER TABLE clients DROP COLUMN phone")
        _refused(ctx, column, "column clients.phone is missing")
        unguarded = _tampered_copy(good, tmp_path, "DROP TRIGGER audit_events_no_update")
        _refused(ctx, unguarded, "audit_events_no_update is missing")
        edited = _tampered_copy(good, tmp_path, "DROP TRIGGER audit_events_no_update",
                                "UPDATE audit_events SET detail = 'edited' WHERE seq = 1",
                                "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON "
                                "audit_events BEGIN SELECT RAISE(ABORT, 'x'); END")
        _refused(ctx, edited, "audit log was altered")
        not_db = tmp_path / "notes.sqlite3"
        not_db.write_bytes(b"hello" * 1000)
        _refused(ctx, not_db, "not a backup")
        backups.restore(ctx, good)  # the good one still restores
    finally:
        ctx.close()


def test_the_keyring_must_match(secure_ctx: AppContext, tmp_path: Path) -> None:
    ctx = secure_ctx
    old = backups.backup_now(ctx).path
    accounts.add_user(ctx, accounts.NewUser("Robin Hale", "robin", role="supervisor",
                                            passphrase="robin's own long passphrase"))
    data_dir = ctx.data_dir
    ctx.close()
    robin = auth.login(data_dir, "robin", "robin's own long passphrase")
    try:
        _refused(robin, old, "does not hold your account")
    finally:
        robin.close()


def test_cli_restores_over_a_damaged_store(secure_ctx: AppContext, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    good = backups.backup_now(secure_ctx).path
    data_dir = secure_ctx.data_dir
    client = secure_ctx.client_id  # type: ignore[attr-defined]
    secure_ctx.close()
    db = paths.database_path(data_dir)
    raw = bytearray(db.read_bytes())
    for i in range(4096 + 100, 4096 + 400):
        raw[i] ^= 0xA5
    db.write_bytes(bytes(raw))
    damaged = _digest(db)
    monkeypatch.setenv("WELLBEING_PASSPHRASE", PASS_SAM)
    monkeypatch.setenv("WELLBEING_USER", "sam")
    assert main(["--data-dir", str(data_dir), "check"]) == 6
    capsys.readouterr()
    assert main(["--data-dir", str(data_dir), "restore", str(good), "--json"]) == 0, \
        capsys.readouterr().err
    out = capsys.readouterr().out
    assert "damaged_kept_as" in out
    kept = next(data_dir.glob("wellbeing.sqlite3.damaged-*"))
    assert _digest(kept) == damaged
    ctx = auth.login(data_dir, "sam", PASS_SAM)
    try:
        import uuid

        from wellbeing_desktop.services import clients

        assert clients.get_client(ctx, uuid.UUID(client)) is not None
    finally:
        ctx.close()
    assert main(["--data-dir", str(data_dir), "check"]) == 0


def test_another_installations_backup_keeps_this_device_id(tmp_path: Path) -> None:
    a = _plain_store(tmp_path / "a")
    b = _plain_store(tmp_path / "b")
    try:
        for _ in range(3):
            add_client(a)
        from_a = backups.backup_now(a).path
        a_device, b_device = a.store.device_id, b.store.device_id
        assert a_device != b_device
        with a.store.engine.connect() as conn:
            a_seq = conn.exec_driver_sql("SELECT change_seq FROM device_state").scalar()
        backups.restore(b, from_a)
        assert b.store.device_id == b_device
        with b.store.engine.connect() as conn:
            device, seq = conn.exec_driver_sql(
                "SELECT device_id, change_seq FROM device_state").one()
        assert device == b_device and seq >= a_seq
        # A new edit on B is B's, numbered above everything restored.
        b.actor = a.actor  # B's own set-up person is not in A's records
        add_client(b)
        with b.store.engine.connect() as conn:
            origin, latest = conn.exec_driver_sql(
                "SELECT origin_device, change_seq FROM clients ORDER BY change_seq DESC"
            ).first()
        assert origin.replace("-", "") == b_device.replace("-", "") and latest > a_seq
    finally:
        a.close()
        b.close()
