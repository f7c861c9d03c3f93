"""Measures: scoring speed and loading a client's Measures tab, each beside its floor.

- scoring 10,000 PHQ-9 forms with `domain.measures.score` (checks, bands, missing rule, risk)
  beside the floor: a bare Python sum and band lookup of the same answers;
- loading what the Measures tab shows for one client (administrations, series, episode
  outcome) in a store of N demo clients, beside the floor: one raw sqlite3 SELECT of that
  client's rows by client_id.

    python bench/bench_measures.py [--clients 5000]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ensure_demo, percentile, report  # noqa: E402


def scoring() -> tuple[float, float]:
    from wellbeing_desktop.domain.measures import score
    from wellbeing_desktop.domain.measures.registry import shipped

    phq = shipped().find("PHQ-9")
    assert phq is not None
    rng = random.Random(1)
    forms = [[rng.randrange(4) for _ in range(9)] for _ in range(10_000)]
    bands = [(4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately severe"),
             (27, "severe")]
    started = time.perf_counter()
    for form in forms:
        total = sum(form)
        next(label for top, label in bands if total <= top)
    floor = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    for form in forms:
        score(phq, form)
    measured = (time.perf_counter() - started) * 1000
    return measured, floor


def tab_load(data_dir: Path, samples: int = 60) -> tuple[float, float, float, float]:
    from sqlalchemy import select

    from wellbeing_desktop.services import measures
    from wellbeing_desktop.services.app import AppContext
    from wellbeing_desktop.storage.models.measures import MeasureAdministration

    ctx = AppContext.open(data_dir)
    with ctx.store.read() as s:
        ids = list(s.execute(select(MeasureAdministration.client_id).distinct().limit(2000))
                   .scalars())
    rng = random.Random(2)
    chosen = [rng.choice(ids) for _ in range(samples)]
    conn = sqlite3.connect(ctx.store.db_path)
    floors, measured = [], []
    for cid in chosen:
        started = time.perf_counter()
        conn.execute("SELECT * FROM measure_administrations WHERE client_id = ? "
                     "ORDER BY taken_on", (cid.hex,)).fetchall()
        floors.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        measures.overview(ctx, cid)
        measured.append((time.perf_counter() - started) * 1000)
    conn.close()
    ctx.close()
    return (percentile(measured, 50), percentile(floors, 50), percentile(measured, 95),
            percentile(floors, 95))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=5_000)
    args = parser.parse_args()
    measured, floor = scoring()
    data_dir = Path(tempfile.gettempdir()) / f"wellbeing-bench-measures-{args.clients}"
    ensure_demo(data_dir, args.clients, 0)
    p50, floor50, p95, floor95 = tab_load(data_dir)
    report("measures", [
        ("score 10,000 PHQ-9 forms", measured, floor, "(no target; bare sum + band)"),
        (f"Measures tab data, median, {args.clients} clients", p50, floor50,
         "(no target; raw SELECT of the rows)"),
        (f"Measures tab data, p95, {args.clients} clients", p95, floor95,
         "(no target; raw SELECT of the rows)"),
    ])


if __name__ == "__main__":
    main()
