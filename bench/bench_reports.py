"""Reports with group attendance and physical-health figures over N demo clients (issue 16).

The measured figure is the whole Reports read (`services.reports.team_report`, "last 12
months", the whole team) in a demo store whose courses put group contacts, enrolments and
registers at scale, and whose clients carry physical-health measures. Its floor is the same
report without the two new sections (courses and physical health): the Reports figures as
they were. Target: within 1.25 x of that, i.e. the new figures cost under a quarter more.

    python bench/bench_reports.py [--clients 50000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ensure_demo, report  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    data_dir = Path(tempfile.gettempdir()) / f"wellbeing-bench-reports-{args.clients}"
    ensure_demo(data_dir, args.clients, 2_000)

    from wellbeing_desktop.services import health_reports, reports
    from wellbeing_desktop.services.app import AppContext

    ctx = AppContext.open(data_dir)
    with ctx.store.read() as s:
        from sqlalchemy import func, select

        from wellbeing_desktop.storage.models.casework import Appointment

        group = s.execute(select(func.count()).select_from(Appointment).where(
            Appointment.mode == "group")).scalar()
    today = date.today()
    reports.team_report(ctx, "365d", today=today)  # warm the page cache and imports

    courses, health = health_reports.course_figures, health_reports.health_figures
    empty_c = health_reports.CourseFigures(0, 0, 0, 0, 0)
    empty_h = health_reports.HealthFigures(0, 0, 0, 0, 0, 0, 0)

    def once(new: bool) -> float:
        reports.course_figures = courses if new else (  # type: ignore[assignment]
            lambda *a, **k: empty_c)
        reports.health_figures = health if new else (  # type: ignore[assignment]
            lambda *a, **k: empty_h)
        started = time.perf_counter()
        reports.team_report(ctx, "365d", today=today)
        return (time.perf_counter() - started) * 1000

    # Interleaved, so a busy moment on the shared machine falls on both alike.
    with_new, without = [], []
    for _ in range(args.runs):
        with_new.append(once(True))
        without.append(once(False))
    measured, floor = statistics.median(with_new), statistics.median(without)
    reports.course_figures, reports.health_figures = courses, health
    ctx.close()
    print(f"{args.clients} clients, {group} group contacts")
    report("Reports with courses and physical health", [
        ("team report (12 months, whole team)", measured, floor,
         "<= 1.25x the Reports figures without them"),
    ])


if __name__ == "__main__":
    main()
