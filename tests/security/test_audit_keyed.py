"""Issue 13, audit you can trust: the chain is keyed (HMAC), anchored outside the database,
and `audit verify` says how far it is anchored; a rewrite or a missing tail is found."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from wellbeing_desktop.cli import main
from wellbeing_desktop.services import audit
from wellbeing_desktop.storage import paths

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "stores" / "0.1.0" / "plain"


def _store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "init", "--plain", "--demo"]) == 0
    for _ in range(3):  # more events, each command closing (and anchoring) the store
        assert main(["--data-dir", str(data), "backup"]) == 0
    capsys.readouterr()
    return data


def _verify(data: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    code = main(["--data-dir", str(data), "audit", "verify", "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.err


def _rewrite(db: Path, *, use_key: bool, edit_seq: int, drop_after: int | None = None) -> None:
    """What an attacker with the file does: drop the triggers, edit or delete events, and
    recompute every link (with the key in the database when `use_key`)."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("DROP TRIGGER audit_events_no_update")
        conn.execute("DROP TRIGGER audit_events_no_delete")
        if drop_after is not None:
            conn.execute("DELETE FROM audit_events WHERE seq > ?", (drop_after,))
        conn.execute("UPDATE audit_events SET detail = 'nothing to see' WHERE seq = ?",
                     (edit_seq,))
        row = conn.execute("SELECT keyed_from_seq, key FROM audit_chain").fetchone()
        keyed_from, key = int(row[0]), bytes.fromhex(row[1])
        prev = audit.GENESIS
        for seq, at, actor, action, entity, eid, cid, detail in conn.execute(
                "SELECT seq, at, actor_id, action, entity, entity_id, client_id, detail "
                "FROM audit_events ORDER BY seq").fetchall():
            when = datetime.fromisoformat(at) if "+" in at else datetime.fromisoformat(at + "+00:00")
            digest = audit._digest(prev, when, actor, action, entity, eid, cid, detail,
                                   key if use_key and seq >= keyed_from else None)
            conn.execute("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?",
                         (prev, digest, seq))
            prev = digest
    finally:
        conn.close()


def test_verify_says_how_far_the_chain_is_anchored(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = _store(tmp_path, capsys)
    code, report, _ = _verify(data, capsys)
    assert code == 0 and report["ok"] is True
    assert report["keyed_from"] == 1  # a new store is keyed from its first event
    assert 0 < report["anchored_up_to"] <= report["head"]
    assert report["anchored_by"] == "closing the app"
    assert main(["--data-dir", str(data), "audit", "verify"]) == 0
    assert "anchored up to event" in capsys.readouterr().out


def test_a_rewrite_without_the_key_breaks_the_chain(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    data = _store(tmp_path, capsys)
    _rewrite(paths.database_path(data), use_key=False, edit_seq=2)
    code, report, err = _verify(data, capsys)
    assert code == 1 and report["first_broken_seq"] == 1  # every link was recomputed
    assert "audit log was altered" in err


def test_a_rewrite_with_the_key_is_found_by_the_anchor(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    data = _store(tmp_path, capsys)
    _rewrite(paths.database_path(data), use_key=True, edit_seq=2)
    code, report, err = _verify(data, capsys)
    assert code == 1, report
    assert "rewritten" in report["problem"] and "audit log was altered" in err
    assert main(["--data-dir", str(data), "check"]) == 1
    capsys.readouterr()


def test_events_removed_from_the_end_are_found(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    data = _store(tmp_path, capsys)
    conn = sqlite3.connect(paths.database_path(data), isolation_level=None)
    head = conn.execute("SELECT max(seq) FROM audit_events").fetchone()[0]
    conn.execute("DROP TRIGGER audit_events_no_delete")
    conn.execute("DELETE FROM audit_events WHERE seq > ?", (head - 3,))
    conn.close()
    code, report, _ = _verify(data, capsys)
    assert code == 1
    assert f"events after {head - 3} were removed" in report["problem"]


def test_a_released_store_keeps_its_old_links_and_keys_new_ones(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not (FIXTURE / "wellbeing.sqlite3").exists():
        pytest.skip("the 0.1.0 fixture store is not in this checkout")
    data = tmp_path / "old"
    shutil.copytree(FIXTURE, data)
    conn = sqlite3.connect(data / "wellbeing.sqlite3")
    old_events = conn.execute("SELECT count(*) FROM audit_events").fetchone()[0]
    conn.close()
    assert main(["--data-dir", str(data), "backup"]) == 0  # upgrades, then writes an event
    capsys.readouterr()
    code, report, _ = _verify(data, capsys)
    assert code == 0, report
    assert report["keyed_from"] == old_events + 1 if old_events else report["keyed_from"]
    assert report["events"] > old_events
