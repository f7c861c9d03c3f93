"""Issue 13: a replayed bundle reports zero inserted and updated (the first merge's counts
under their own key); each bundle carries the head of the keyed audit chain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wellbeing_desktop.cli import main


def test_replay_reports_nothing_done_and_the_chain_head_travels(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path / "desk")]
    assert main([*d, "init", "--plain", "--demo"]) == 0
    assert main(["central", "keygen", "--out", str(tmp_path / "k")]) == 0
    capsys.readouterr()
    public = (tmp_path / "k" / "central-public.txt").read_text().strip()
    private = tmp_path / "k" / "central-private.pem"
    bundle = tmp_path / "b.wbsync"
    assert main([*d, "export", "--out", str(bundle), "--recipient", public, "--full"]) == 0
    enrolment = tmp_path / "desk.enrolment.json"
    assert main([*d, "sync", "enrolment", "--out", str(enrolment)]) == 0
    assert main(["central", "enrol", str(enrolment), "--db", str(tmp_path / "c.sqlite3")]) == 0
    capsys.readouterr()
    merge = ["central", "merge", str(bundle), "--db", str(tmp_path / "c.sqlite3"), "--key",
             str(private), "--json"]
    assert main(merge) == 0
    [first] = json.loads(capsys.readouterr().out)
    assert first["status"] == "merged" and first["inserted"] > 0
    assert main(merge) == 0
    [again] = json.loads(capsys.readouterr().out)
    assert again["status"] == "already merged"
    assert again["inserted"] == 0 and again["updated"] == 0
    assert again["first_merge"]["inserted"] == first["inserted"]

    from wellbeing_desktop.sync.bundle import read_bundle
    from wellbeing_desktop.sync.crypto import load_private_key

    head = read_bundle(bundle, load_private_key(private)).manifest["audit_head"]
    assert head["seq"] > 0 and len(head["hash"]) == 64
    assert main([*d, "audit", "verify", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["exported_up_to"] == head["seq"]
