"""`python -m wellbeing_desktop.packs.safety_case`: writes both files, or one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

LOG = Path(__file__).resolve().parents[2] / "docs" / "safety" / "hazard-log.toml"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wellbeing_desktop.packs.safety_case", *args],
                          capture_output=True, text=True, timeout=300)


def test_builds_markdown_and_pdf_where_asked(tmp_path: Path) -> None:
    result = run("--log", str(LOG), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "safety-case.md").read_text(encoding="utf-8").startswith(
        "# Clinical safety case report")
    reader = PdfReader(tmp_path / "out" / "safety-case.pdf")
    assert reader.metadata is not None and reader.metadata.title.startswith("Clinical safety")
    assert "hazard log v" in result.stdout


def test_a_broken_log_is_one_line_naming_hazard_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "log.toml"
    bad.write_text(LOG.read_text(encoding="utf-8").replace(
        'status = "controlled"', 'status = "fine"', 1), encoding="utf-8")
    result = run("--log", str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(bad) in result.stderr and "hazard H01: 'status' must be one of" in result.stderr
    assert not (tmp_path / "out").exists()
    missing = run("--log", str(tmp_path / "nope.toml"))
    assert missing.returncode == 2 and "nope.toml" in missing.stderr


def test_a_skipped_safety_test_fails_make_safety(tmp_path: Path) -> None:
    (tmp_path / "test_x.py").write_text(
        "import pytest\n\n"
        "def test_ran() -> None:\n    pass\n\n"
        "def test_needs_a_server() -> None:\n    pytest.skip('no server')\n", encoding="utf-8")
    (tmp_path / "none.ini").write_text("[pytest]\n", encoding="utf-8")
    here = str(Path(__file__).parent)

    def pytest_run(*plugin: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "-c", str(tmp_path / "none.ini"), "--rootdir", str(tmp_path),
                               *plugin, str(tmp_path)], capture_output=True, text=True,
                              timeout=300, cwd=tmp_path, env={**os.environ, "PYTHONPATH": here})

    assert pytest_run().returncode == 0
    strict = pytest_run("-p", "safety_strict")
    assert strict.returncode == 1
    assert "SAFETY: 1 test(s)" in strict.stdout and "test_needs_a_server" in strict.stdout
