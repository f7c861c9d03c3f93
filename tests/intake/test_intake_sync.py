"""The export bundle carries contact attempts (a care contact of their own kind, mapped in
docs/sync-format.md §9) only for clients who consented to central records, and the centre
merges them."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import orjson
import pytest
from enrolment_helpers import merge_enrolled

sys.path.insert(0, str(Path(__file__).parents[1] / "sync"))

from wellbeing_desktop.services import contact_attempts, sync  # noqa: E402
from wellbeing_desktop.services.app import AppContext  # noqa: E402
from wellbeing_desktop.sync import crypto  # noqa: E402
from wellbeing_desktop.sync.bundle import read_bundle  # noqa: E402


@pytest.mark.parametrize("consent", [True, False])
def test_contact_attempts_travel_with_consent(ctx: AppContext, tmp_path: Path,
                                              consent: bool) -> None:
    from sync_helpers import add_client

    keys = sync.keygen(tmp_path / "central-keys")
    cid = add_client(ctx, consent=consent)
    contact_attempts.record(ctx, cid, contact_attempts.AttemptInput(
        "phone", "no_answer", "mobile", date.today()))
    result = sync.export(ctx, tmp_path / "a.wbsync", recipient=keys.public_text)
    bundle = read_bundle(result.path, crypto.load_private_key(keys.private_key))
    if not consent:
        assert "contact_attempts.ndjson" not in bundle.members
        return
    [row] = [orjson.loads(line) for line in bundle.lines("contact_attempts.ndjson")]
    assert (row["client_id"], row["method"], row["outcome"]) == (cid.hex, "phone", "no_answer")
    outcome = merge_enrolled([result.path], str(tmp_path / "central.sqlite3"),
                                 keys.private_key)
    assert outcome[0].ok, outcome[0].error
    import sqlite3

    central = sqlite3.connect(tmp_path / "central.sqlite3")
    try:
        [(method, outcome_code)] = central.execute(
            "SELECT method, outcome FROM contact_attempts").fetchall()
    finally:
        central.close()
    assert (method, outcome_code) == ("phone", "no_answer")
