"""The one atomic write: the old file or the new one, never half, and no temp file left over."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from wellbeing_desktop.storage.files import (
    PRIVATE,
    SHARED,
    atomic_file,
    atomic_write,
    move_into_place,
)

POSIX = os.name == "posix"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of its own (the suite's conftest keeps a private TMPDIR inside tmp_path)."""
    path = tmp_path / "out"
    path.mkdir()
    return path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".partial"))


def test_writes_bytes_and_text_replacing_the_old_file(folder: Path) -> None:
    target = folder / "settings.json"
    atomic_write(target, b'{"a": 1}')
    assert target.read_bytes() == b'{"a": 1}'
    atomic_write(target, "caf\u00e9")
    assert target.read_bytes() == "caf\u00e9".encode()
    assert _leftovers(folder) == []


@pytest.mark.skipif(not POSIX, reason="file modes are POSIX")
def test_files_holding_records_are_owner_only(folder: Path) -> None:
    target = folder / "letter.pdf"
    target.write_bytes(b"old")
    target.chmod(0o644)
    atomic_write(target, b"%PDF-")
    assert _mode(target) == PRIVATE
    public = folder / "central-public.txt"
    atomic_write(public, b"key", mode=SHARED)
    assert _mode(public) == SHARED


def test_an_error_mid_write_leaves_the_old_file_and_no_temp(folder: Path) -> None:
    target = folder / "export.json"
    target.write_bytes(b"the good old export")

    class Interrupted(Exception):
        pass

    with pytest.raises(Interrupted), atomic_file(target) as fh:
        fh.write(b"half of the new ")
        raise Interrupted
    assert target.read_bytes() == b"the good old export"
    assert _leftovers(folder) == []
    assert sorted(p.name for p in folder.iterdir()) == ["export.json"]


@pytest.mark.skipif(not POSIX, reason="needs RLIMIT_FSIZE")
def test_a_full_disk_mid_write_leaves_the_old_file_and_no_temp(folder: Path) -> None:
    """A real write failure: the process may write at most 64 KiB per file (RLIMIT_FSIZE),
    so writing 1 MiB fails part way with EFBIG, as a full disk fails with ENOSPC."""
    target = folder / "records.csv"
    target.write_bytes(b"old figures\n")
    script = textwrap.dedent(f"""
        import errno, resource, signal, sys
        from wellbeing_desktop.storage.files import atomic_write
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, resource.RLIM_INFINITY))
        try:
            atomic_write({str(target)!r}, b"x" * (1 << 20))
        except OSError as exc:
            sys.exit(3 if exc.errno == errno.EFBIG else 4)
        sys.exit(0)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 3, done.stderr
    assert target.read_bytes() == b"old figures\n"
    assert _leftovers(folder) == []


@pytest.mark.skipif(not POSIX, reason="kills a process with SIGKILL")
def test_a_crash_mid_write_leaves_the_old_file(folder: Path) -> None:
    """Killed between writing and renaming: the target is still the old file (a hidden
    `.partial` may remain; nothing reads those)."""
    target = folder / "keyring.json"
    target.write_bytes(b"old keyring")
    script = textwrap.dedent(f"""
        import os, signal
        from wellbeing_desktop.storage.files import atomic_file
        with atomic_file({str(target)!r}) as fh:
            fh.write(b"new keyring, half written")
            fh.flush()
            os.kill(os.getpid(), signal.SIGKILL)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True)
    assert done.returncode == -9
    assert target.read_bytes() == b"old keyring"


def test_a_missing_folder_is_an_error_and_creates_nothing(folder: Path) -> None:
    with pytest.raises(FileNotFoundError):
        atomic_write(folder / "nowhere" / "x.json", b"{}")
    assert list(folder.iterdir()) == []


def test_move_into_place_replaces_the_target(folder: Path) -> None:
    built = folder / "store.db.partial"
    built.write_bytes(b"new copy")
    target = folder / "store.db"
    target.write_bytes(b"old copy")
    move_into_place(built, target)
    assert target.read_bytes() == b"new copy"
    assert not built.exists()
