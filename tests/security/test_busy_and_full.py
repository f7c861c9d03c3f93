"""Issue 13, busy and full: a write waits the busy timeout, then says the records are busy
(exit 1); a full disk says so (exit 1), leaves no partial file and loses nothing.

The full disk is a small tmpfs when the test may mount one (root), else a file-size limit
(RLIMIT_FSIZE) on a child process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from wellbeing_desktop.cli import main
from wellbeing_desktop.storage import engine, paths


def _count(db: Path, table: str = "clients") -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


def _hold_write_lock(db: Path, seconds: float, ready: threading.Event) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE device_state SET change_seq = change_seq WHERE id = 1")
        ready.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
    finally:
        conn.close()


def test_a_write_waits_for_another_writer(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "init", "--plain", "--demo"]) == 0
    db = paths.database_path(data)
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db, 1.0, ready))
    holder.start()
    ready.wait(10)
    try:
        # The backup reads, then writes its audit event while the other writer still holds
        # the lock: it must wait (10 s timeout), not fail at once with "database is locked".
        code = main(["--data-dir", str(data), "backup"])
    finally:
        holder.join()
    assert code == 0, capsys.readouterr().err


def test_a_write_busy_past_the_timeout_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "init", "--plain", "--demo"]) == 0
    capsys.readouterr()
    db = paths.database_path(data)
    before = _count(db)
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    ready = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(db, 3.0, ready))
    holder.start()
    ready.wait(10)
    try:
        code = main(["--data-dir", str(data), "demo-data", "--clients", "5", "--services", "0"])
        err = capsys.readouterr().err
        backup = main(["--data-dir", str(data), "backup"])
        backup_err = capsys.readouterr().err
    finally:
        holder.join()
    assert code == 1, err
    assert err.strip() == ("wellbeing: The records are busy (another task is writing to them): "
                           "try again in a moment. Nothing was changed.")
    assert backup == 1 and "busy" in backup_err
    assert _count(db) == before
    assert not list(data.rglob("*.partial"))


# --- a full disk ---------------------------------------------------------------------------

def _can_mount() -> bool:
    return sys.platform.startswith("linux") and os.geteuid() == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(mount)],
                          capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (the RLIMIT_FSIZE test covers this case)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(folder: Path, leave: int) -> Path:
    filler = folder / "filler.bin"
    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    with open(filler, "wb") as fh:
        fh.truncate(0)
        remaining = max(0, free - leave)
        block = b"\0" * (1 << 20)
        while remaining > 0:
            try:
                remaining -= fh.write(block[:min(len(block), remaining)])
            except OSError:
                break
    return filler


@pytest.mark.skipif(not _can_mount(), reason="needs root to mount a tmpfs")
def test_a_full_disk_says_so_and_loses_nothing(small_disk: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    data = small_disk / "data"
    assert main(["--data-dir", str(data), "init", "--plain", "--demo"]) == 0
    db = paths.database_path(data)
    clients, audit = _count(db), _count(db, "audit_events")
    capsys.readouterr()
    filler = _fill(small_disk, leave=64 * 1024)
    for command in (["backup"], ["demo-data", "--clients", "3000", "--services", "0"],
                    ["backup", "--out", str(small_disk / "copy.sqlite3")]):
        code = main(["--data-dir", str(data), *command])
        err = capsys.readouterr().err
        assert code == 1, (command, err)
        assert "disk is full" in err or "disk I/O error" in err, err
        assert len(err.strip().splitlines()) == 1
        assert not [p for p in small_disk.rglob("*") if p.name.endswith(".partial")], command
        assert not (small_disk / "copy.sqlite3").exists()
    filler.unlink()
    assert _count(db) == clients and _count(db, "audit_events") == audit
    assert main(["--data-dir", str(data), "check"]) == 0


_CHILD = r"""
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from wellbeing_desktop.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_a_file_size_limit_says_so_and_loses_nothing(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "init", "--plain", "--demo"]) == 0
    capsys.readouterr()
    db = paths.database_path(data)
    clients = _count(db)
    limit = 64 * 1024  # smaller than the database: a backup cannot be written whole
    assert db.stat().st_size > limit
    result = subprocess.run([sys.executable, "-c", _CHILD, str(limit), "--data-dir", str(data),
                             "backup", "--out", str(tmp_path / "copy.sqlite3")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "disk" in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("*.partial")) and not (tmp_path / "copy.sqlite3").exists()
    assert _count(db) == clients
