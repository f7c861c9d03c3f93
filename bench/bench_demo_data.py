"""Generating the 50,000-client demo data set (target ≤ 20 s, DESIGN §9), beside the floor:
raw sqlite3 `executemany` of the same number of client-shaped rows in the same run.

    python bench/bench_demo_data.py [--clients 50000] [--services 20000]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import report, run_child  # noqa: E402


def floor(rows: int, path: Path) -> float:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (id BLOB PRIMARY KEY, given TEXT, family TEXT, dob TEXT, "
                 "postcode TEXT, status TEXT, n INTEGER)")
    data = [(uuid.uuid4().bytes, "Amelia", "Smith", "1980-01-01", "KM1 2AB", "active", i)
            for i in range(rows)]
    started = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO t VALUES (?,?,?,?,?,?,?)", data)
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--services", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        out = run_child(["-m", "wellbeing_desktop.cli", "--data-dir", f"{tmp}/d", "demo-data",
                         "--clients", str(args.clients), "--services", str(args.services),
                         "--json"])
        total = (time.perf_counter() - started) * 1000
        base = floor(args.clients, Path(tmp) / "floor.sqlite3")
    print(out.strip())
    report(f"demo data, {args.clients:,} clients and {args.services:,} services", [
        ("wellbeing demo-data (whole command)", total, base,
         "<= 20 s absolute; floor = raw executemany of the client rows"),
    ])


if __name__ == "__main__":
    main()
