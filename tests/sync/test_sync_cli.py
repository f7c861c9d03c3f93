"""`wellbeing export`, `sync …` and `central …`: the contract central teams script against."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wellbeing_desktop.cli import main


def _json(capsys: pytest.CaptureFixture[str]) -> object:
    return json.loads(capsys.readouterr().out)


def test_whole_round_trip_through_the_command(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path / "desk")]
    assert main([*d, "init", "--demo", "--plain", "--json"]) == 0
    capsys.readouterr()
    assert main(["central", "keygen", "--out", str(tmp_path / "keys"), "--json"]) == 0
    made = _json(capsys)
    assert isinstance(made, dict) and made["public_text"].startswith("wellbeing-x25519:")
    assert (Path(made["private_key"]).stat().st_mode & 0o777) == 0o600

    assert main([*d, "sync", "status", "--json"]) == 0
    status = _json(capsys)
    # The demo town's invented history: an acknowledged export, some records waiting.
    assert isinstance(status, dict) and status["pending_total"] > 40 and status["watermark"] > 0

    bundle = tmp_path / "out.wbsync"
    assert main([*d, "export", "--out", str(bundle), "--recipient", made["public_key"],
                 "--full", "--json"]) == 0
    exported = _json(capsys)
    assert isinstance(exported, dict) and exported["records"] > status["pending_total"]
    assert exported["since_seq"] == 0 and exported["full"] is True

    central = tmp_path / "central.sqlite3"
    args = ["central", "merge", str(bundle), "--db", str(central), "--key", made["private_key"]]
    assert main(args) == 2  # not enrolled yet
    assert "is not enrolled" in capsys.readouterr().err
    enrolment = tmp_path / "desk.enrolment.json"
    assert main([*d, "sync", "enrolment", "--out", str(enrolment), "--json"]) == 0
    device = _json(capsys)
    assert isinstance(device, dict) and len(device["fingerprint"]) == 24
    assert main(["central", "enrol", str(enrolment), "--db", str(central), "--json"]) == 0
    enrolled = _json(capsys)
    assert isinstance(enrolled, dict) and enrolled["status"] == "enrolled"
    assert enrolled["fingerprint"] == device["fingerprint"]
    assert main([*args, "--json"]) == 0
    [merged] = _json(capsys)  # type: ignore[misc]
    assert merged["status"] == "merged" and merged["inserted"] == exported["records"]
    assert main(args) == 0
    assert "already merged, nothing changed" in capsys.readouterr().out
    assert main(["central", "conflicts", "--db", str(central)]) == 0
    assert capsys.readouterr().out.strip() == "No open conflicts."

    assert main([*d, "sync", "acknowledge", merged["ack"], "--json"]) == 0
    [acked] = _json(capsys)  # type: ignore[misc]
    assert acked["watermark"] == exported["until_seq"]
    assert main([*d, "sync", "history", "--json"]) == 0
    newest, *older = _json(capsys)  # type: ignore[misc]
    assert newest["acknowledged"] is True and older[0]["superseded"] is True


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    d = ["--data-dir", str(tmp_path / "desk")]
    assert main([*d, "export", "--out", str(tmp_path / "x.wbsync")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wellbeing: recipient: No central public key") and err.count("\n") == 1
    assert main(["central", "keygen", "--out", str(tmp_path / "k")]) == 0
    capsys.readouterr()
    junk = tmp_path / "junk.wbsync"
    junk.write_bytes(b"not a bundle at all")
    code = main(["central", "merge", str(junk), "--db", str(tmp_path / "c.sqlite3"), "--key",
                 str(tmp_path / "k" / "central-private.pem")])
    err = capsys.readouterr().err
    assert code == 2 and "refused: not a Wellbeing sync bundle" in err and "Traceback" not in err
    assert main(["central", "merge", str(junk), "--db", str(tmp_path / "c.sqlite3"), "--key",
                 str(junk)]) == 2
    assert "not an unencrypted PEM private key" in capsys.readouterr().err
    assert main(["central", "merge", str(tmp_path / "missing"), "--db", "x", "--key", "y"]) == 2
    assert main(["central", "merge", str(junk), "--db", "mysql://nope", "--key",
                 str(tmp_path / "k" / "central-private.pem")]) == 1
    assert "unsupported database URL" in capsys.readouterr().err
    assert main(["central", "keygen", "--out", str(tmp_path / "k")]) == 2
    assert "never overwritten" in capsys.readouterr().err
