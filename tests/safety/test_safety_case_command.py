"""`python -m wellbeing_desktop.packs.safety_case`: writes both files, or one clear line."""

from __future__ import annotations

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
