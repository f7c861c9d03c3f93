"""Exporting about 100,000 records (target ≤ 3 × the floor, DESIGN §9), beside the floor in the
same run: a raw sqlite3 query of the same rows of every synchronised table, each row made a
dict and written with orjson as one JSON line (no consent filter, no zip, no encryption).

    python bench/bench_export.py [--clients 14000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, ensure_demo, report  # noqa: E402

CACHE = Path(os.environ.get("WELLBEING_BENCH_CACHE", ROOT / "bench" / "results" / "cache"))


def floor(db: Path, tables: list[str], out: Path) -> tuple[float, int]:
    conn = sqlite3.connect(db)
    started = time.perf_counter()
    rows = 0
    with open(out, "wb") as fh:
        for table in tables:
            cur = conn.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cur.description]
            while batch := cur.fetchmany(2000):
                fh.write(b"\n".join(orjson.dumps(dict(zip(names, r, strict=True)))
                                    for r in batch) + b"\n")
                rows += len(batch)
        fh.flush()
        os.fsync(fh.fileno())
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return elapsed, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=14000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data_dir = CACHE / f"export-{args.clients}"
    ensure_demo(data_dir, args.clients, 200)

    from wellbeing_desktop.services import sync
    from wellbeing_desktop.services.app import AppContext
    from wellbeing_desktop.sync.schema import entities

    ctx = AppContext.open(data_dir)
    tables = [e.name for e in entities()]
    with tempfile.TemporaryDirectory() as tmp:
        keys = sync.keygen(Path(tmp) / "keys")
        measured, floors, records = [], [], 0
        for run in range(args.runs):
            out = Path(tmp) / f"run{run}.wbsync"
            started = time.perf_counter()
            result = sync.export(ctx, out, full=True, recipient=keys.public_text)
            measured.append((time.perf_counter() - started) * 1000)
            records = result.records + result.tombstones
            base, floor_rows = floor(ctx.store.db_path, tables, Path(tmp) / f"floor{run}.ndjson")
            floors.append(base)
        size = out.stat().st_size
    ctx.close()
    print(f"{records:,} records exported (of {floor_rows:,} rows in the floor: the export leaves "
          f"out clients without consent); bundle {size / 1e6:.1f} MB")
    report(f"export, {records:,} records (median of {args.runs})", [
        ("wellbeing export --full (service call)", statistics.median(measured),
         statistics.median(floors), "<= 3x raw query + orjson write"),
    ])


if __name__ == "__main__":
    main()
