"""Issue 13, secure defaults: `wellbeing init` encrypts, private modes, `check` warns, and
`self-test` never touches the real settings or data."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from wellbeing_desktop.cli import main
from wellbeing_desktop.services import auth
from wellbeing_desktop.storage import paths
from wellbeing_desktop.storage.engine import is_plain_sqlite

PASS = "a long enough init passphrase"
POSIX = os.name == "posix"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _every_file(*roots: Path) -> list[Path]:
    return [p for root in roots for p in root.rglob("*") if p.is_file()]


def test_init_encrypts_by_default_and_shows_the_recovery_key_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    monkeypatch.setenv("WELLBEING_PASSPHRASE", PASS)
    monkeypatch.setenv("WELLBEING_USER", "lead")
    assert main(["--data-dir", str(data), "init", "--demo", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["encrypted"] is True and info["demo_clients"] == 40
    recovery = info["recovery_key"]
    assert len(recovery.replace("-", "")) == 32
    assert auth.store_state(data) is auth.StoreState.ENCRYPTED
    db = paths.database_path(data)
    assert not is_plain_sqlite(db)
    # The supervisor is WELLBEING_USER and signs in with the passphrase.
    ctx = auth.login(data, "lead", PASS)
    try:
        from sqlalchemy import select

        from wellbeing_desktop.storage.models import Client

        with ctx.store.read() as s:
            names = [f"{g} {f}" for g, f in s.execute(
                select(Client.given_name, Client.family_name).limit(10))]
            phones = [p for p in s.execute(select(Client.phone).limit(10)).scalars() if p]
    finally:
        ctx.close()
    # No readable client data anywhere on disk under the data and config folders.
    blobs = [p.read_bytes() for p in _every_file(data, tmp_path / "config")]
    for needle in [*names, *phones]:
        for blob in blobs:
            assert needle.encode() not in blob
            assert needle.encode("utf-16-le") not in blob
    # The key is not printed again by a second init.
    assert main(["--data-dir", str(data), "init", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["recovery_key"] is None


def test_init_username_option_and_plain_only_when_asked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("WELLBEING_PASSPHRASE", raising=False)
    # No passphrase and no terminal: refused, nothing made.
    assert main(["--data-dir", str(tmp_path / "a"), "init"]) == 2
    assert "--plain" in capsys.readouterr().err
    assert not paths.database_path(tmp_path / "a").exists()
    monkeypatch.setenv("WELLBEING_PASSPHRASE", PASS)
    assert main(["--data-dir", str(tmp_path / "b"), "init", "--username", "hprice"]) == 0
    out = capsys.readouterr().out
    assert "recovery key" in out
    auth.login(tmp_path / "b", "hprice", PASS).close()
    assert main(["--data-dir", str(tmp_path / "c"), "init", "--plain", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["encrypted"] is False
    assert is_plain_sqlite(paths.database_path(tmp_path / "c"))


@pytest.mark.skipif(not POSIX, reason="POSIX modes")
def test_folders_are_0700_and_files_0600_whatever_the_umask(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    old = os.umask(0o022)
    try:
        monkeypatch.setenv("WELLBEING_PASSPHRASE", PASS)
        assert main(["--data-dir", str(data), "init", "--demo", "--username", "lead"]) == 0
        assert main(["--data-dir", str(data), "backup"]) == 0
        assert main(["--data-dir", str(data), "backup", "--out", str(tmp_path / "out.sqlite3")]) == 0
        assert main(["--data-dir", str(data), "check"]) == 0
    finally:
        os.umask(old)
    capsys.readouterr()
    config = tmp_path / "config"
    folders = [data, data / "backups", data / "logs", config]
    for folder in folders:
        assert _mode(folder) == 0o700, folder
    files = _every_file(data, config)
    names = {p.name for p in files}
    assert {"wellbeing.sqlite3", "keyring.json", "settings.json", "wellbeing.log"} <= names
    assert any(p.parent.name == "backups" for p in files)
    for path in [*files, tmp_path / "out.sqlite3"]:
        assert _mode(path) == 0o600, path


@pytest.mark.skipif(not POSIX, reason="POSIX modes")
def test_check_warns_about_looser_modes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "init", "--plain"]) == 0
    db = paths.database_path(data)
    # Modes loosened by hand (or by an older version: 0.1.0 made 0644 files).
    os.chmod(data / "logs", 0o755)
    extra = data / "notes.txt"
    extra.write_text("x")
    os.chmod(extra, 0o644)
    capsys.readouterr()
    assert main(["--data-dir", str(data), "check", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    warned = " ".join(report["warnings"])
    assert "notes.txt" in warned and "logs" in warned and "should be 600" in warned
    assert main(["--data-dir", str(data), "check"]) == 0
    assert "WARN" in capsys.readouterr().out
    # Opening the store again tightens the database and its folders.
    os.chmod(db, 0o644)
    assert main(["--data-dir", str(data), "init", "--plain"]) == 0
    assert _mode(db) == 0o600 and _mode(data / "logs") == 0o700


def test_self_test_leaves_the_real_settings_and_data_alone(tmp_path: Path) -> None:
    real_data = tmp_path / "real-data"
    real_config = tmp_path / "real-config"
    real_config.mkdir()
    settings = real_config / "settings.json"
    settings.write_text(json.dumps({"version": 1, "current_practitioner_id":
                                    "11111111-2222-3333-4444-555555555555",
                                    "first_run_complete": True}))
    before = settings.read_bytes()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WELLBEING_DATA_DIR": str(real_data),
           "WELLBEING_CONFIG_DIR": str(real_config)}
    result = subprocess.run([sys.executable, "-m", "wellbeing_desktop.cli", "self-test"],
                            capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr
    assert settings.read_bytes() == before
    assert sorted(p.name for p in real_config.iterdir()) == ["settings.json"]
    assert not real_data.exists() or not any(real_data.rglob("*"))
