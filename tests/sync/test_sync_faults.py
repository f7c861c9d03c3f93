"""Faults: the merge killed mid-transaction, a damaged byte anywhere — nothing half-applied."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from enrolment_helpers import merge_enrolled
from sync_helpers import Keys, add_client, central_count, edit

from wellbeing_desktop.services import sync
from wellbeing_desktop.storage.models import Client

CHILD = r"""
import sys, time
from pathlib import Path
from wellbeing_desktop.services import sync

bundle, url, key, marker = sys.argv[1:5]

def progress(percent, message=""):
    if message.startswith("Merging referrals"):
        # The clients of this bundle are written inside the open transaction by now.
        Path(marker).write_text("inside")
        time.sleep(120)

sync.central_merge([Path(bundle)], url, Path(key), progress=progress)  # enrolled already
"""


def _tables(url: str) -> dict[str, int]:
    return {t: central_count(url, t) for t in ("clients", "referrals", "sync_merges")}


@pytest.mark.safety
def test_merge_killed_mid_transaction_leaves_nothing_half_applied(
        make_device: Any, keys: Keys, tmp_path: Path, central_url: str) -> None:
    desk = make_device("a")
    first = add_client(desk, given="Before")
    early = tmp_path / "early.wbsync"
    sync.export(desk, early, recipient=keys.public)
    assert merge_enrolled([early], central_url, keys.private)[0].ok
    for n in range(20):
        add_client(desk, given=f"During{n}")
    edit(desk, Client, first, pronouns="they/them")
    bundle = tmp_path / "late.wbsync"
    sync.export(desk, bundle, recipient=keys.public)
    before = _tables(central_url)
    marker = tmp_path / "inside.marker"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(bundle), central_url,
                              str(keys.private), str(marker)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"merge ended before the kill: {child.stderr.read()!r}")  # type: ignore[union-attr]
            if time.monotonic() > deadline:
                pytest.fail("the merge never reached its transaction")
            time.sleep(0.02)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=60)
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    assert _tables(central_url) == before
    if not central_url.startswith("postgresql"):
        import sqlite3

        with sqlite3.connect(central_url) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # The same bundle merges whole afterwards.
    [out] = merge_enrolled([bundle], central_url, keys.private)
    assert out.ok and out.result is not None and not out.result.replay
    assert out.result.totals["inserted"] == 40 and out.result.totals["updated"] == 1
    assert _tables(central_url) == {"clients": 21, "referrals": 21, "sync_merges": 2}


@pytest.mark.safety
def test_a_damaged_byte_anywhere_is_refused_and_changes_nothing(
        make_device: Any, keys: Keys, tmp_path: Path) -> None:
    desk = make_device("a")
    for n in range(5):
        add_client(desk, given=f"Person{n}")
    bundle = tmp_path / "b.wbsync"
    sync.export(desk, bundle, recipient=keys.public)
    url = str(tmp_path / "central.sqlite3")
    original = bundle.read_bytes()
    size = len(original)
    positions = sorted({0, 5, 7, 8, 40, 72, 75, 76, 100, size // 3, size // 2, size - 17,
                        size - 1, *range(80, size, max(1, size // 25))})
    damaged = tmp_path / "damaged.wbsync"
    for position in positions:
        data = bytearray(original)
        data[position] ^= 0x20
        damaged.write_bytes(bytes(data))
        [out] = merge_enrolled([damaged], url, keys.private)
        assert not out.ok, position
        assert out.error, position
    for cut in (0, 10, 76, size // 2, size - 1):
        damaged.write_bytes(original[:cut])
        [out] = merge_enrolled([damaged], url, keys.private)
        assert not out.ok and out.error, cut
    assert _tables(url) == {"clients": 0, "referrals": 0, "sync_merges": 0}
    assert merge_enrolled([bundle], url, keys.private)[0].ok


