"""Importing real-shaped council feeds (800 and 20,000 services) beside the floor of parsing
plus a raw insert of the same rows, then directory search p95 on the imported data.

Target (issue 14): import ≤ 3 × (parse + raw insert of the same rows, measured in the same run
on the same machine); search p95 ≤ 10 ms on the imported 20,000 services.

The feeds are built by `tests/directory/council_feeds.py` in the ORUK 3.0 API shape council
APIs serve (HTML descriptions, empty strings, missing costs). The floor: `orjson.loads` of the
file, then `executemany` INSERTs through `sqlite3` of exactly the rows the import left in the
`dir_*` tables (FTS5 triggers firing, as they do for the import), into a fresh migrated store.

    python bench/bench_feed_import.py [--sizes 800 20000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "directory"))

from _common import percentile, report  # noqa: E402

WORDS = ["debt advice", "food bank", "carers", "walking", "housing options", "stop smoking",
         "counselling", "befriending", "bailiffs", "voucher", "nicotine", "budgeting",
         "community trust", "high street", "homeless", "lonely", "talking therapy"]
COMMON = ["kingsmere", "kin", "community", "centre", "free", "support", "help"]


def _store(folder: Path) -> object:
    from wellbeing_desktop.services import setup
    from wellbeing_desktop.services.app import AppContext

    ctx = AppContext.open(folder)
    setup.complete_first_run(ctx, setup.SetupInput("Bench", "Sam Okoye", phone="01632 960100"))
    return ctx


def _dir_tables(db: Path) -> list[str]:
    con = sqlite3.connect(db)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'dir_%' "
            "AND name NOT LIKE '%fts%'")]
    finally:
        con.close()
    return names


def _floor(path: Path, imported_db: Path, empty_dir: Path) -> tuple[float, float, int, float]:
    """(parse ms, raw insert ms, rows, CPU ms of both) of the same rows the import wrote."""
    import orjson

    c0 = time.process_time()
    t0 = time.perf_counter()
    orjson.loads(path.read_bytes())
    parse = (time.perf_counter() - t0) * 1000
    cpu = (time.process_time() - c0) * 1000
    ctx = _store(empty_dir)
    target = ctx.store.db_path  # type: ignore[attr-defined]
    ctx.close()  # type: ignore[attr-defined]
    source = sqlite3.connect(imported_db)
    tables = _dir_tables(imported_db)
    # Parents first, as the foreign keys need.
    order = ["dir_feeds", "dir_organizations", "dir_taxonomies", "dir_taxonomy_terms",
             "dir_locations", "dir_addresses", "dir_accessibility", "dir_services"]
    tables = [t for t in order if t in tables] + [t for t in tables if t not in order]
    data = {t: source.execute(f"SELECT * FROM {t}").fetchall() for t in tables}
    source.close()
    con = sqlite3.connect(target)
    c0 = time.process_time()
    t0 = time.perf_counter()
    with con:
        for t in tables:
            rows = data[t]
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                con.executemany(f"INSERT INTO {t} VALUES ({marks})", rows)
    insert = (time.perf_counter() - t0) * 1000
    cpu += (time.process_time() - c0) * 1000
    con.close()
    return parse, insert, sum(len(v) for v in data.values()), cpu


def _search(ctx: object, rounds: int) -> list[tuple[str, float, float, str]]:
    from wellbeing_desktop.domain.directory import fts_query
    from wellbeing_desktop.services import directory

    raw = sqlite3.connect(ctx.store.db_path)  # type: ignore[attr-defined]
    floor_sql = ("SELECT rowid FROM dir_services_fts WHERE dir_services_fts MATCH ? "
                 "ORDER BY bm25(dir_services_fts, 10.0, 1.0, 4.0) LIMIT 50")
    rows = []
    for mix, texts in (("council words", WORDS), ("common words", COMMON)):
        queries = [t[:n] for t in texts for n in range(3, len(t) + 1) if t[n - 1:n] != " "]
        for q in queries:
            directory.search_page(ctx, q)  # type: ignore[arg-type]
        page, floor = [], []
        best_page: dict[str, float] = {}
        best_floor: dict[str, float] = {}
        for _ in range(rounds):
            for q in queries:
                t0 = time.perf_counter()
                raw.execute(floor_sql, (fts_query(q),)).fetchall()
                t1 = time.perf_counter()
                directory.search_page(ctx, q)  # type: ignore[arg-type]
                t2 = time.perf_counter()
                floor.append((t1 - t0) * 1000)
                page.append((t2 - t1) * 1000)
                best_page[q] = min(best_page.get(q, 1e9), (t2 - t1) * 1000)
                best_floor[q] = min(best_floor.get(q, 1e9), (t1 - t0) * 1000)
        rows.append((f"search page p95, {mix} ({len(queries)} q)", percentile(page, 95),
                     percentile(floor, 95), "≤ 10 ms"))
        # Each query's best of its rounds, then the p95 over queries: what the query costs
        # when another engineer's process is not running at that moment (shown, not judged).
        rows.append((f"  the same, best of {rounds} per query", percentile(
            list(best_page.values()), 95), percentile(list(best_floor.values()), 95), ""))
    raw.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[800, 20_000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import council_feeds as cf
    import orjson

    from wellbeing_desktop.services import directory

    rows: list[tuple[str, float, float, str]] = []
    ok = True
    search_ctx = None
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        # Warm up (module imports, schema and statement caches) on a throwaway store, so the
        # figures are the import's own work, as the floor's are.
        warm = root / "warm.json"
        warm.write_bytes(orjson.dumps(cf.oruk3_page("eastvale", 5)))
        directory.import_feed(_store(root / "warm"), warm)  # type: ignore[arg-type]
        for size in args.sizes:
            feed = root / f"kingsmere-{size}.json"
            feed.write_bytes(orjson.dumps(cf.oruk3_page("kingsmere", size)))
            ctx = _store(root / f"store-{size}")
            c0 = time.process_time()
            t0 = time.perf_counter()
            result = directory.import_feed(ctx, feed)  # type: ignore[arg-type]
            first = (time.perf_counter() - t0) * 1000
            first_cpu = (time.process_time() - c0) * 1000
            t0 = time.perf_counter()
            again = directory.import_feed(ctx, feed)  # type: ignore[arg-type]
            second = (time.perf_counter() - t0) * 1000
            assert len(result.added) == size and len(again.unchanged) == size
            parse, insert, count, floor_cpu = _floor(
                feed, ctx.store.db_path, root / f"floor-{size}")  # type: ignore[attr-defined]
            mb = feed.stat().st_size / 1e6
            rows += [
                (f"import {size:,} services ({mb:.1f} MB, {count:,} rows)", first,
                 parse + insert, "≤ 3× parse + raw insert"),
                (f"  re-import unchanged ({size:,})", second, parse + insert, ""),
                (f"  floor: parse {parse:.0f} ms + raw insert", insert + parse, parse + insert, ""),
                # The same two in CPU time (this process only): on a machine shared with
                # other work the wall-clock ratio swings with their load; this one hardly.
                (f"  CPU time: import vs floor ({size:,})", first_cpu, floor_cpu, "(steadier)"),
            ]
            ok = ok and first <= 3 * (parse + insert)
            if size == max(args.sizes):
                search_ctx = ctx
            else:
                ctx.close()  # type: ignore[attr-defined]
        if search_ctx is not None:
            search = _search(search_ctx, args.rounds)
            rows += search
            ok = ok and all(r[1] <= 10 for r in search)
            search_ctx.close()  # type: ignore[attr-defined]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    report(f"directory feed import and search, load average {load} on {os.cpu_count()} cores",
           rows)
    print("target met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
