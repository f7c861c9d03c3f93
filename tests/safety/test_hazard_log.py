"""The safety case keeps itself honest: the hazard log is valid, every test it names runs in
`make test` with the `safety` marker (and no other test has it), the committed report is the
one this log builds, and CHANGELOG.md names this version of the log."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from wellbeing_desktop.packs import safety_case, safety_case_pdf, safety_log
from wellbeing_desktop.packs.safety_log import HazardLogError

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "docs" / "safety" / "hazard-log.toml"

# The hazards issue 19 asks the log to cover, by the words of their titles.
REQUIRED = ("risk to life", "merged", "another", "service details", "score", "lost or corrupted",
            "central records", "unsafe address", "language or format", "translation",
            "unauthorised access", "clock or time zone", "unavailable in clinic")


def _base(nodeid: str) -> str:
    return nodeid.split("[", 1)[0]


@pytest.fixture(scope="module")
def log() -> safety_log.HazardLog:
    return safety_log.load(LOG)


@pytest.mark.safety
def test_the_log_is_valid_and_rated_by_the_matrix(log: safety_log.HazardLog) -> None:
    titles = " ".join(h.title.lower() for h in log.hazards)
    assert [w for w in REQUIRED if w not in titles] == []
    # The matrix never rates a worse case lower.
    for i, lik in enumerate(safety_log.LIKELIHOODS):
        row = safety_log.MATRIX[lik]
        assert list(row) == sorted(row)
        if i:
            below = safety_log.MATRIX[safety_log.LIKELIHOODS[i - 1]]
            assert all(a >= b for a, b in zip(row, below, strict=True))
    assert safety_log.rating("major", "medium") == 3
    assert safety_log.rating("catastrophic", "very high") == 5
    for h in log.hazards:
        assert h.residual.rating <= h.initial.rating, h.id
    # A rating typed by hand that the matrix does not give is refused, naming the hazard.
    raw = LOG.read_text(encoding="utf-8")
    wrong = raw.replace('residual = { severity = "major", likelihood = "very low", rating = 2 }',
                        'residual = { severity = "major", likelihood = "very low", rating = 1 }',
                        1)
    assert wrong != raw
    with pytest.raises(HazardLogError, match=r"hazard H01: residual.rating is 1 .* gives 2"):
        safety_log.parse(wrong.encode())
    no_proof = raw.replace('kind = "training"\nreason = ', 'kind = "training"\nwhy = ', 1)
    with pytest.raises(HazardLogError, match="H01-C5: a 'training' control gives a 'reason'"):
        safety_log.parse(no_proof.encode())


def _collected(tmp_path: Path) -> list[dict[str, Any]]:
    """What `make test`'s pytest run would execute, from pytest's own collection."""
    out = tmp_path / "collected.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WELLBEING_SAFETY_COLLECT": str(out),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "tests" / "safety"),
                                                       os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-p", "collect_safety"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    items: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    return items


@pytest.mark.safety
def test_every_referenced_test_runs_in_make_test_with_the_safety_marker(
        log: safety_log.HazardLog, tmp_path: Path) -> None:
    items = _collected(tmp_path)
    runs: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        runs.setdefault(_base(item["nodeid"]), []).append(item)
    referenced = log.referenced_tests()
    missing = sorted(t for t in referenced if t not in runs)
    assert missing == [], ("named in the hazard log but not collected by `make test` (deleted, "
                           "renamed, or deselected e.g. marked slow): " + ", ".join(missing))
    unmarked = sorted(t for t in referenced if any("safety" not in i["markers"] for i in runs[t]))
    assert unmarked == [], "named in the hazard log but not marked safety: " + ", ".join(unmarked)
    skipped = sorted(t for t in referenced if any(i["skipped"] for i in runs[t]))
    assert skipped == [], "named in the hazard log but skipped: " + ", ".join(skipped)
    stray = sorted({_base(i["nodeid"]) for i in items if "safety" in i["markers"]} - referenced)
    assert stray == [], "marked safety but not named in the hazard log: " + ", ".join(stray)


def _pdf_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.safety
def test_the_committed_report_is_built_from_this_log(log: safety_log.HazardLog) -> None:
    folder = LOG.parent
    committed_md = (folder / safety_case.MARKDOWN_NAME).read_text(encoding="utf-8")
    assert committed_md == safety_case.markdown(log), (
        "docs/safety/safety-case.md is out of date: run `make safety-report`")
    fresh = _pdf_text(safety_case_pdf.render(log, safety_case.blocks(log)))
    committed = _pdf_text((folder / safety_case.PDF_NAME).read_bytes())
    assert committed == fresh, "docs/safety/safety-case.pdf is out of date: run `make safety-report`"
    text = re.sub(r"\s+", " ", " ".join(committed))
    assert log.label in text and f"Page {len(committed)} of {len(committed)}" in text
    for h in log.hazards:
        assert f"{h.id} {h.title}" in text
        for c in h.controls:
            for test in c.tests:
                assert test.split("::")[1] in text.replace(" ", "").replace("-", ""), test
    for heading in ("Scope", "Intended use and users", "Residual risk", "DCB0160 hand-over",
                    "Limits of use"):
        assert heading in text


@pytest.mark.safety
def test_the_changelog_names_this_log_version(log: safety_log.HazardLog) -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "### Safety" in changelog
    assert log.label in changelog, (
        f"CHANGELOG.md's Safety section must name `{log.label}`: bump [log].version in the "
        "hazard log when it changes and list what changed")
    named: dict[str, set[str]] = {}
    for version, digest in re.findall(r"hazard log v(\d+) \(([0-9a-f]{12})\)", changelog):
        named.setdefault(version, set()).add(digest)
    reused = {v: sorted(d) for v, d in named.items() if len(d) > 1}
    assert reused == {}, f"a log version names two different logs (bump the version): {reused}"
    assert max(int(v) for v in named) == log.version
