"""Importing a referrer's spreadsheet of 2,000 rows (preview, then the all-or-nothing import),
beside the floor in the same run: openpyxl reading the same workbook (read-only, values only)
plus a raw sqlite3 executemany of the same clients and referrals (no checks, no duplicate
search, no audit). No DESIGN target exists for this; the ratio is reported so a regression
shows.

    python bench/bench_referral_import.py [--rows 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import report  # noqa: E402


def floor(sheet: Path, db: Path) -> float:
    import openpyxl

    started = time.perf_counter()
    book = openpyxl.load_workbook(sheet, read_only=True, data_only=True)
    rows = [r for r in book.worksheets[0].iter_rows(values_only=True)][3:]
    book.close()
    conn = sqlite3.connect(db)
    clients, referrals = [], []
    for r in rows:
        cid = uuid.uuid4().hex
        clients.append((cid, r[1], r[0], str(r[2]), str(r[3]).replace(" ", ""), r[5]))
        referrals.append((uuid.uuid4().hex, cid, r[8], "gp", r[9], r[10]))
    with conn:
        conn.executemany("INSERT INTO c VALUES (?, ?, ?, ?, ?, ?)", clients)
        conn.executemany("INSERT INTO r VALUES (?, ?, ?, ?, ?, ?)", referrals)
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    from wellbeing_desktop.services import referral_import, setup
    from wellbeing_desktop.services.app import AppContext
    from wellbeing_desktop.services.demo.intake import write_sample

    measured, floors = [], []
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "referrals.xlsx"
        write_sample(sheet, date.today(), args.rows, seed=5)
        for run in range(args.runs):
            ctx = AppContext.open(Path(tmp) / f"data{run}")
            setup.complete_first_run(ctx, setup.SetupInput("Bench", "Sam Okoye"))
            started = time.perf_counter()
            preview = referral_import.preview(ctx, sheet, source="gp")
            decisions = {r.number: "new" for r in preview.duplicates}
            done = referral_import.commit(ctx, preview, decisions)
            measured.append((time.perf_counter() - started) * 1000)
            assert done.referrals == args.rows, preview.problems[:3]
            ctx.close()
            db = Path(tmp) / f"floor{run}.sqlite3"
            conn = sqlite3.connect(db)
            conn.execute("CREATE TABLE c (id, given, family, dob, nhs, postcode)")
            conn.execute("CREATE TABLE r (id, client_id, received, source, referrer, reason)")
            conn.close()
            floors.append(floor(sheet, db))
    report(f"referral import, {args.rows:,} rows (median of {args.runs})", [
        ("preview + import (service calls)", statistics.median(measured),
         statistics.median(floors), "no target; openpyxl read + raw insert"),
    ])


if __name__ == "__main__":
    main()
