"""`wellbeing directory import|search|export`: exit codes, one-line errors, JSON output."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from wellbeing_desktop.cli import main


def run(capsys: Any, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_search_export(capsys: Any, data_dir: Path, examples: Path, tmp_path: Path) -> None:
    assert run(capsys, "init", "--plain")[0] == 0
    code, out, _ = run(capsys, "directory", "import", str(examples / "service_full.json"),
                       "--dry-run", "--json")
    assert code == 0 and json.loads(out)["counts"]["added"] == 1
    code, out, _ = run(capsys, "directory", "search", "couns", "--json")
    assert code == 0 and json.loads(out) == []  # the dry run changed nothing
    code, out, _ = run(capsys, "directory", "import", str(examples / "service_full.json"))
    assert code == 0 and "added 1" in out
    code, out, _ = run(capsys, "directory", "search", "couns", "--json")
    hits = json.loads(out)
    assert code == 0 and hits[0]["name"] == "Community Counselling" and hits[0]["stale"]
    target = tmp_path / "export.json"
    code, out, _ = run(capsys, "directory", "export", str(target))
    assert code == 0 and json.loads(target.read_text())["total_items"] == 1


def test_bad_input_is_one_line_and_exit_2(capsys: Any, data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope", encoding="utf-8")
    code, _out, err = run(capsys, "directory", "import", str(bad))
    assert code == 2 and err.startswith("wellbeing: bad.json: not valid JSON")
    assert err.count("\n") == 1 and "Traceback" not in err
    code, _, err = run(capsys, "directory", "import", str(tmp_path / "missing.json"))
    assert code == 2 and "no such file" in err
    code, _, err = run(capsys, "directory", "search", "x", "--need", "astrology")
    assert code == 2 and "--need" in err
    code, _, err = run(capsys, "directory", "export", str(tmp_path / "no" / "dir" / "x.json"))
    assert code == 2 and "does not exist" in err


def test_skip_invalid_reports_each_skipped_record(capsys: Any, data_dir: Path, examples: Path,
                                                  tmp_path: Path) -> None:
    good = json.loads((examples / "service_full.json").read_text(encoding="utf-8"))
    bad = dict(good, id="bad-one", status="sometimes", service_at_locations=[], contacts=[],
               schedules=[], service_areas=[], languages=[], cost_options=[], funding=[],
               attributes=[])
    feed = tmp_path / "feed.json"
    feed.write_text(json.dumps([good, bad]), encoding="utf-8")
    code, _, err = run(capsys, "directory", "import", str(feed))
    assert code == 2 and "record bad-one: status" in err
    code, out, _ = run(capsys, "directory", "import", str(feed), "--skip-invalid")
    assert code == 0 and "added 1" in out and "skipped: feed.json [1], record bad-one: status" in out
