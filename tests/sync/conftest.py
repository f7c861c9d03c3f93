"""Sync fixtures: a real PostgreSQL server on loopback, central keys, devices (real stores)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sync_helpers import Keys, clone_device, device_context

from wellbeing_desktop.services.app import AppContext

# ------------------------------------------------------------------ PostgreSQL

def _pg_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    port: int
    base: Path

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self) -> str:
        import psycopg

        name = f"central_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A throwaway PostgreSQL cluster, run as the `postgres` user when we are root."""
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("POSTGRESQL NOT INSTALLED: install Debian's `postgresql` (make sysdeps); "
                    "the PostgreSQL merge tests did NOT run")
    base = Path(tempfile.mkdtemp(prefix="wellbeing-pg-", dir="/tmp"))
    data, sock = base / "data", base / "sock"
    data.mkdir()
    sock.mkdir()
    runner: list[str] = []
    if os.geteuid() == 0:
        os.chmod(base, 0o755)
        shutil.chown(data, "postgres", "postgres")
        shutil.chown(sock, "postgres", "postgres")
        runner = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    log = base / "server.log"
    log.touch()
    if runner:
        shutil.chown(log, "postgres", "postgres")
    try:
        subprocess.run([*runner, str(bindir / "initdb"), "-D", str(data), "-A", "trust",
                        "-U", "postgres", "-E", "UTF8", "--no-sync"],
                       check=True, capture_output=True, timeout=120)
        subprocess.run([*runner, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                        "-t", "60", "-o",
                        f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off "
                        "-c full_page_writes=off -c synchronous_commit=off",
                        "start"], check=True, capture_output=True, timeout=90)
    except (subprocess.SubprocessError, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        tail = log.read_text(errors="replace")[-500:] if log.exists() else ""
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"POSTGRESQL COULD NOT START ({exc}; {detail[-300:]!r}; {tail}): the "
                    "PostgreSQL merge tests did NOT run")
    try:
        yield PgServer(port, base)
    finally:
        subprocess.run([*runner, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "-w", "stop"], check=False, capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def central_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The central database URL: a SQLite file, or a fresh database on the real server."""
    if request.param == "sqlite":
        return str(tmp_path / "central.sqlite3")
    server: PgServer = request.getfixturevalue("pg_server")
    return server.create_database()


# ------------------------------------------------------------------ keys and devices

@pytest.fixture
def keys(tmp_path: Path) -> Keys:
    from wellbeing_desktop.services import sync

    made = sync.keygen(tmp_path / "central-keys")
    return Keys(made.private_key, made.public_text)


@pytest.fixture
def make_device(tmp_path: Path, keys: Keys) -> Iterator[Callable[..., AppContext]]:
    opened: list[AppContext] = []

    def make(name: str = "device", clone_of: AppContext | None = None) -> AppContext:
        where = tmp_path / f"device-{name}-{len(opened)}"
        ctx = clone_device(clone_of, where, keys.public) if clone_of else device_context(
            where, keys.public)
        opened.append(ctx)
        return ctx

    yield make
    for ctx in opened:
        ctx.close()


