"""The hash-chained audit log, the role × action matrix and the security commands."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sec_helpers import PASS_HANNAH, PASS_SAM
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from wellbeing_desktop.cli import main
from wellbeing_desktop.services import accounts, audit, auth, backups, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.context import ROLE_PRACTITIONER, ROLE_SUPERVISOR, Actor
from wellbeing_desktop.services.errors import PermissionDenied


@pytest.mark.safety
def test_audit_rows_cannot_be_updated_or_deleted_through_sql(secure_ctx: AppContext) -> None:
    for sql in ("UPDATE audit_events SET action = 'x'", "DELETE FROM audit_events"):
        with pytest.raises(IntegrityError, match="append-only"), secure_ctx.store.session() as s:
            s.execute(text(sql))


@pytest.mark.parametrize("tamper", ["edit", "delete", "insert"])
@pytest.mark.safety
def test_tampering_names_the_first_broken_link(secure_ctx: AppContext, tamper: str) -> None:
    for _ in range(5):
        audit.record_view(secure_ctx, secure_ctx.client_id)  # type: ignore[attr-defined]
    assert audit.verify_chain(secure_ctx).ok
    total = audit.count_events(secure_ctx)
    target = total - 3
    # An attacker with the key and a SQL shell: drop the guard, then edit.
    with secure_ctx.store.session() as s:
        s.execute(text("DROP TRIGGER audit_events_no_update"))
        s.execute(text("DROP TRIGGER audit_events_no_delete"))
        if tamper == "edit":
            s.execute(text("UPDATE audit_events SET client_id = '' WHERE seq = :n"), {"n": target})
        elif tamper == "delete":
            s.execute(text("DELETE FROM audit_events WHERE seq = :n"), {"n": target})
        else:
            s.execute(text("UPDATE audit_events SET seq = seq + 1000 WHERE seq > :n"), {"n": target})
            s.execute(text("INSERT INTO audit_events (seq, at, actor_id, action, entity, entity_id,"
                           " client_id, detail, prev_hash, hash) VALUES (:n, '2026-01-01 00:00:00',"
                           " 'x', 'view', '', '', '', '', 'a', 'b')"), {"n": target + 1})
    report = audit.verify_chain(secure_ctx)
    assert not report.ok
    expected = {"edit": target, "delete": target + 1, "insert": target + 1}[tamper]
    assert report.first_broken_seq == expected
    data_dir = secure_ctx.data_dir
    secure_ctx.close()
    os.environ["WELLBEING_PASSPHRASE"] = PASS_SAM
    try:
        assert main(["--data-dir", str(data_dir), "audit", "verify"]) == 1
    finally:
        del os.environ["WELLBEING_PASSPHRASE"]


SUPERVISOR_ONLY = {"client.view_all", "client.erase", "directory.import", "directory.export",
                   "directory.verify", "packs.edit_content", "sync.export", "settings.edit",
                   "users.manage", "audit.view", "backup.restore", "reports.view_all",
                   "privacy.subject_access"}


@pytest.mark.parametrize("permission", sorted(permissions.MATRIX))
@pytest.mark.safety
def test_role_action_matrix(permission: str) -> None:
    practitioner = Actor(None, "P", ROLE_PRACTITIONER)
    supervisor = Actor(None, "S", ROLE_SUPERVISOR)
    assert permissions.allowed(supervisor, permission)
    assert permissions.allowed(practitioner, permission) is (permission not in SUPERVISOR_ONLY)


@pytest.mark.safety
def test_a_practitioner_is_refused_supervisor_services(secure_ctx: AppContext) -> None:
    data_dir = secure_ctx.data_dir
    backup = backups.backup_now(secure_ctx)
    secure_ctx.close()
    ctx = auth.login(data_dir, "hannah", PASS_HANNAH)
    try:
        refused = [
            lambda: accounts.list_users(ctx),
            lambda: accounts.add_user(ctx, accounts.NewUser("X Y", "xy", passphrase="long enough pass")),
            lambda: audit.list_events(ctx),
            lambda: audit.verify_chain(ctx),
            lambda: backups.restore(ctx, backup.path),
        ]
        for call in refused:
            with pytest.raises(PermissionDenied, match="Only a supervisor"):
                call()
        assert backups.backup_now(ctx).path.exists()  # anyone may take a backup
    finally:
        ctx.close()


def test_cli_signs_in_from_the_environment_and_checks(secure_ctx: AppContext,
                                                      capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    data_dir = str(secure_ctx.data_dir)
    secure_ctx.close()
    assert main(["--data-dir", data_dir, "check"]) == 2  # no passphrase, no terminal
    assert "WELLBEING_PASSPHRASE" in capsys.readouterr().err
    monkeypatch.setenv("WELLBEING_PASSPHRASE", "wrong passphrase")
    assert main(["--data-dir", data_dir, "audit", "verify"]) == 5
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not right" in err
    monkeypatch.setenv("WELLBEING_PASSPHRASE", PASS_SAM)
    out = tmp_path / "copy.sqlite3"
    assert main(["--data-dir", data_dir, "backup", "--out", str(out), "--json"]) == 0
    assert out.exists()
    assert main(["--data-dir", data_dir, "check", "--json"]) == 0
    assert '"ok": true' in capsys.readouterr().out
    assert main(["--data-dir", data_dir, "restore", str(out)]) == 0
    assert main(["--data-dir", data_dir, "restore", str(tmp_path / "missing.sqlite3")]) == 2
    assert main(["--data-dir", data_dir, "users", "list", "--json"]) == 0
    assert '"username": "hannah"' in capsys.readouterr().out
    monkeypatch.setenv("WELLBEING_USER", "hannah")
    assert main(["--data-dir", data_dir, "users", "list"]) == 5  # sam's passphrase, hannah's name
    monkeypatch.setenv("WELLBEING_PASSPHRASE", PASS_HANNAH)
    assert main(["--data-dir", data_dir, "users", "list"]) == 4  # practitioners cannot
