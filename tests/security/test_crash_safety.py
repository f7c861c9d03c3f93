"""Crash safety (DESIGN §9): a process writing through the real services is killed with
SIGKILL 50 times at random points. Afterwards the encrypted database passes
`integrity_check`, the audit chain is intact, the keyring still opens, and every write that
had been acknowledged (printed after its commit returned) is present."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from wellbeing_desktop.services import audit
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.storage.backup import integrity_problem
from wellbeing_desktop.storage.keyring import Keyring
from wellbeing_desktop.storage.models import AuditEvent, Practitioner

WRITER = Path(__file__).with_name("crash_writer.py")
KILLS = 50


def _run_and_kill(data_dir: Path, key: bytes, prefix: str, rng: random.Random) -> list[str]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    proc = subprocess.Popen([sys.executable, str(WRITER), str(data_dir), key.hex(), prefix],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    ready = proc.stdout.readline()
    assert ready.strip() == b"READY", ready
    time.sleep(rng.uniform(0.0, 0.25))
    proc.send_signal(signal.SIGKILL)
    out = proc.stdout.read()
    proc.wait()
    # A line cut by the kill was not acknowledged.
    return [line for line in out.decode().split("\n")[:-1] if line.startswith("ACK ")]


@pytest.mark.safety
def test_sigkill_during_writes_loses_no_acknowledged_write(secure_ctx: AppContext) -> None:
    data_dir, key = secure_ctx.data_dir, secure_ctx.store.key
    assert key is not None
    secure_ctx.close()
    rng = random.Random(8)
    acked: list[str] = []
    for run in range(KILLS):
        acked += _run_and_kill(data_dir, key, f"r{run}", rng)
        problem = integrity_problem(data_dir / "wellbeing.sqlite3", key=key)
        assert problem is None, f"after kill {run + 1}: {problem}"
    assert len(acked) > KILLS  # the kills landed among writes, not before them
    ctx = AppContext.open(data_dir, key=key)
    try:
        with ctx.store.read() as s:
            views = set(s.execute(select(AuditEvent.client_id)).scalars())
            users = set(s.execute(select(Practitioner.username)).scalars())
            assert audit.verify(s).ok
        ring = Keyring.load(data_dir)
        assert ring is not None
        missing = []
        for line in acked:
            _, kind, ident = line.split(" ")
            if (kind == "view" and ident not in views) or (kind == "user" and ident not in users):
                missing.append(line)
            if kind == "user":
                assert ring.by_username(ident) is not None, ident
        assert missing == []
    finally:
        ctx.close()
