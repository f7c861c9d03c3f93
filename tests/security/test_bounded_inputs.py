"""Issue 13, bounded inputs: every file from outside is checked for kind and size before it is
read, read in bounded chunks, and confined to its folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from wellbeing_desktop.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "directory" / "data" / "oruk"

# Runs one command in a child with an address-space cap, and writes its peak memory to a file.
_CHILD = r"""
import resource, sys
cap = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from wellbeing_desktop.cli import main
try:
    code = main(sys.argv[3:])
finally:
    # VmHWM is this process image's own peak; ru_maxrss on Linux keeps the parent's peak
    # across fork and exec (a big pytest process would count against the child).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                peak = int(line.split()[1])
    except OSError:
        pass
    with open(sys.argv[2], "w") as fh:
        fh.write(str(peak))
sys.exit(code)
"""


def _bounded_run(tmp_path: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], int]:
    peak = tmp_path / "peak.txt"
    peak.unlink(missing_ok=True)
    result = subprocess.run([sys.executable, "-c", _CHILD, str(2 * 1024**3), str(peak), *args],
                            capture_output=True, text=True, timeout=120)
    kb = int(peak.read_text()) if peak.exists() else 0
    return result, kb // 1024


@pytest.fixture
def desk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    d = ["--data-dir", str(tmp_path / "desk")]
    assert main([*d, "init", "--plain"]) == 0
    capsys.readouterr()
    return d


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_acknowledging_dev_zero_is_refused_at_once_in_bounded_memory(
        tmp_path: Path, desk: list[str]) -> None:
    result, peak_mb = _bounded_run(tmp_path, *desk, "sync", "acknowledge", "/dev/zero")
    assert result.returncode == 2, result.stderr[-500:]
    assert "not a regular file" in result.stderr and len(result.stderr.splitlines()) == 1
    assert "so not an acknowledgement" in result.stderr  # not "a acknowledgement"
    assert 0 < peak_mb < 400, peak_mb


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_referral_spreadsheet_from_dev_zero_is_refused_in_bounded_memory(
        tmp_path: Path, desk: list[str]) -> None:
    """`referrals import` read the whole file before looking at it (a device never ends)."""
    result, peak_mb = _bounded_run(tmp_path, *desk, "referrals", "import", "/dev/zero")
    assert result.returncode == 2, result.stderr[-500:]
    assert "not a regular file" in result.stderr and "not a referral spreadsheet" in \
        result.stderr and len(result.stderr.splitlines()) == 1
    assert 0 < peak_mb < 400, peak_mb


def test_a_referral_spreadsheet_is_checked_before_it_is_read(
        tmp_path: Path, desk: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    huge = tmp_path / "referrals.csv"
    with open(huge, "wb") as fh:
        fh.truncate(3 * 1024**3)  # sparse
    assert main([*desk, "referrals", "import", str(huge)]) == 2
    err = capsys.readouterr().err
    assert "referrals.csv" in err and "more than the 20 MB allowed" in err, err
    # A workbook whose parts climb out of the package or are links is refused by name.
    book = tmp_path / "climb.xlsx"
    with zipfile.ZipFile(book, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("../../outside.xml", "<x/>")
    assert main([*desk, "referrals", "import", str(book)]) == 2
    err = capsys.readouterr().err
    assert "climb.xlsx" in err and "'../../outside.xml'" in err and "leaves the package" in err


def test_a_huge_acknowledgement_is_refused_before_reading(tmp_path: Path, desk: list[str],
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    huge = tmp_path / "ack.json"
    with open(huge, "wb") as fh:
        fh.write(b"{")
        fh.truncate(3 * 1024**3)  # sparse: 3 GB that take no disk
    assert main([*desk, "sync", "acknowledge", str(huge)]) == 2
    assert "more than the 64 KB allowed" in capsys.readouterr().err
    not_json = tmp_path / "ack2.json"
    not_json.write_bytes(b"\x00" * 100)
    assert main([*desk, "sync", "acknowledge", str(not_json)]) == 2
    assert "not an acknowledgement" in capsys.readouterr().err


def test_central_merge_checks_the_mark_and_size_before_reading(tmp_path: Path) -> None:
    assert main(["central", "keygen", "--out", str(tmp_path / "k")]) == 0
    key = str(tmp_path / "k" / "central-private.pem")
    garbage = tmp_path / "big.wbsync"
    with open(garbage, "wb") as fh:
        fh.write(b"GARBAGE!")
        fh.truncate(500 * 1024**2)  # under the size limit, sparse: refused by its first bytes
    result, peak_mb = _bounded_run(tmp_path, "central", "merge", str(garbage), "--db",
                                   str(tmp_path / "c.sqlite3"), "--key", key)
    assert result.returncode == 2, result.stderr[-500:]
    assert "not a Wellbeing sync bundle" in result.stderr
    assert peak_mb < 400, peak_mb
    marked = tmp_path / "marked.wbsync"
    with open(marked, "wb") as fh:
        fh.write(b"WBSYNC")
        fh.truncate(1536 * 1024**2)  # 1.5 GB: refused by its size
    result, peak_mb = _bounded_run(tmp_path, "central", "merge", str(marked), "--db",
                                   str(tmp_path / "c.sqlite3"), "--key", key)
    assert result.returncode == 2 and "allowed" in result.stderr, result.stderr[-500:]
    assert peak_mb < 400, peak_mb


def test_a_bundle_that_unpacks_past_the_limit_is_refused(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from wellbeing_desktop.sync import bundle

    d = ["--data-dir", str(tmp_path / "desk")]
    assert main([*d, "init", "--plain", "--demo"]) == 0
    assert main(["central", "keygen", "--out", str(tmp_path / "k"), "--json"]) == 0
    capsys.readouterr()
    public = (tmp_path / "k" / "central-public.txt").read_text().strip()
    out = tmp_path / "b.wbsync"
    assert main([*d, "export", "--out", str(out), "--recipient", public, "--full"]) == 0
    monkeypatch.setattr(bundle, "MAX_UNPACKED_BYTES", 4096)
    code = main(["central", "merge", str(out), "--db", str(tmp_path / "c.sqlite3"), "--key",
                 str(tmp_path / "k" / "central-private.pem")])
    assert code == 2
    assert "unpack to more than" in capsys.readouterr().err


def _package(tmp_path: Path, **paths: str) -> Path:
    folder = tmp_path / "package"
    shutil.copytree(EXAMPLES / "csv", folder)
    meta = json.loads((EXAMPLES / "datapackage.json").read_text())
    for res in meta["resources"]:
        if res["name"] in paths:
            res["path"] = paths[res["name"]]
    (folder / "datapackage.json").write_text(json.dumps(meta))
    return folder


@pytest.mark.parametrize("where", ["../outside/services.csv", "/ABS/services.csv"])
def test_a_csv_package_cannot_point_outside_its_folder(tmp_path: Path, desk: list[str],
                                                      where: str,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(EXAMPLES / "csv" / "services.csv", outside / "services.csv")
    path = where.replace("/ABS", str(outside)) if where.startswith("/ABS") else where
    package = _package(tmp_path, service=path)
    assert main([*desk, "directory", "import", str(package), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "only files inside the package are read" in err, err
    assert len(err.splitlines()) == 1


def test_a_link_out_of_a_csv_package_is_refused(tmp_path: Path, desk: list[str],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "secret.csv"
    shutil.copy(EXAMPLES / "csv" / "services.csv", outside)
    package = _package(tmp_path)
    (package / "services.csv").unlink()
    os.symlink(outside, package / "services.csv")
    assert main([*desk, "directory", "import", str(package), "--dry-run"]) == 2
    assert "outside the package" in capsys.readouterr().err


def test_a_feed_zip_bomb_and_a_device_are_refused(tmp_path: Path, desk: list[str],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(EXAMPLES / "datapackage.json", "datapackage.json")
        zf.writestr("services.csv", b"\n" * (60 * 1024 * 1024))
    assert main([*desk, "directory", "import", str(bomb), "--dry-run"]) == 2
    assert "zip bomb" in capsys.readouterr().err
    climbing = tmp_path / "climb.zip"
    with zipfile.ZipFile(climbing, "w") as zf:
        zf.write(EXAMPLES / "datapackage.json", "datapackage.json")
        zf.writestr("../../services.csv", "id\n")
    assert main([*desk, "directory", "import", str(climbing), "--dry-run"]) == 2
    assert "leaves the package" in capsys.readouterr().err
    if Path("/dev/zero").exists():
        assert main([*desk, "directory", "import", "/dev/zero", "--dry-run"]) == 2
        assert "not a regular file" in capsys.readouterr().err
