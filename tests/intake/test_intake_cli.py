"""`wellbeing referrals import` and `wellbeing clients add` / `clients --json` for scripts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data"


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wellbeing_desktop.cli", "--data-dir",
                           str(data_dir), *args], capture_output=True, text=True, timeout=300)


def test_clients_add_and_list_with_communication_needs(ctx: object, data_dir: Path) -> None:
    ctx.close()  # type: ignore[attr-defined]
    done = run(data_dir, "clients", "add", "--given", "Tola", "--family", "Adeyemi",
               "--date-of-birth", "1970-05-04", "--nhs-number", "999 000 1014",
               "--postcode", "km1 4ab", "--language", "pl", "--interpreter",
               "--document-format", "large_print", "--no-post", "--json")
    assert done.returncode == 0, done.stderr
    new_id = json.loads(done.stdout)["id"]
    listed = json.loads(run(data_dir, "clients", "--json").stdout)["clients"]
    [row] = [c for c in listed if c["id"] == new_id]
    assert (row["language"], row["interpreter_needed"], row["document_format"],
            row["postcode"], row["nhs_number"]) == ("pl", True, "large_print", "KM1 4AB",
                                                    "9990001014")
    assert (row["post_allowed"], row["message_allowed"]) == (False, True)
    again = run(data_dir, "clients", "add", "--given", "Tola", "--family", "Adeyemi",
                "--nhs-number", "9990001014")
    assert again.returncode == 2 and "same person" in again.stderr
    bad = run(data_dir, "clients", "add", "--given", "A", "--family", "B",
              "--nhs-number", "123")
    assert bad.returncode == 2 and "nhs_number" in bad.stderr and "Traceback" not in bad.stderr


def test_referrals_import_dry_run_then_import(ctx: object, data_dir: Path) -> None:
    ctx.close()  # type: ignore[attr-defined]
    bad = run(data_dir, "referrals", "import", str(DATA / "riverside-with-bad-rows.csv"),
              "--json")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "row 8, D.O.B." in bad.stderr and "nothing imported" in bad.stderr
    assert json.loads(bad.stdout)["imported"] == 0
    assert json.loads(run(data_dir, "clients", "--json").stdout)["total"] == 0
    dry = run(data_dir, "referrals", "import", str(DATA / "riverside.xlsx"), "--dry-run",
              "--json")
    assert dry.returncode == 0, dry.stderr
    info = json.loads(dry.stdout)
    assert info["rows"] == 3 and info["imported"] == 0 and info["header_row"] == 3
    assert json.loads(run(data_dir, "clients", "--json").stdout)["total"] == 0
    done = run(data_dir, "referrals", "import", str(DATA / "riverside.xlsx"), "--source", "gp",
               "--save-mapping", "Riverside PCN", "--json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["created"]) == 3
    # The same people again: possible duplicates must be decided.
    ask = run(data_dir, "referrals", "import", str(DATA / "riverside-cp1252.csv"),
              "--mapping", "Riverside PCN")
    assert ask.returncode == 2 and "row 4: may be the same person" in ask.stderr
    match = run(data_dir, "referrals", "import", str(DATA / "riverside-cp1252.csv"),
                "--mapping", "Riverside PCN", "--on-duplicate", "match", "--json")
    assert match.returncode == 0, match.stderr
    assert len(json.loads(match.stdout)["matched"]) == 3
    assert json.loads(run(data_dir, "clients", "--json").stdout)["total"] == 3
    missing = run(data_dir, "referrals", "import", str(DATA / "nope.csv"))
    assert missing.returncode == 2 and "no such file" in missing.stderr
    unknown = run(data_dir, "referrals", "import", str(DATA / "riverside.xlsx"),
                  "--mapping", "Nobody")
    assert unknown.returncode == 2 and "Riverside PCN" in unknown.stderr
