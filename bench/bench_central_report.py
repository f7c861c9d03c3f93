"""The central report over about 1,000,000 merged records in PostgreSQL (target: ≤ 10 s),
beside the floor measured in the same run: one `SELECT count(*)` pass over the same tables.

The records are written straight into a migrated central database with psycopg `COPY`
(clients, referrals, appointments, PHQ-9/GAD-7 administrations, in the proportions of a
service: two appointments per referral, paired scores for most ended episodes; WSAS and ONS4
at first contact and discharge for half the ended episodes, for the wellbeing change table).

    python bench/bench_central_report.py [--clients 150000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import report  # noqa: E402
from bench_merge import new_database, postgres  # noqa: E402

TABLES = ("clients", "referrals", "appointments", "measure_administrations")
UNTIL = date(2026, 11, 30)


def _defaults(table: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in table.columns:
        arg = getattr(col.default, "arg", None)
        out[col.name] = None if callable(arg) else arg
    return out


def build(port: int, name: str, clients: int) -> int:
    """COPY the records in; returns how many."""
    import orjson
    import psycopg

    from wellbeing_desktop.storage.models import Base

    rng = random.Random(7)
    now = datetime(2026, 12, 1, tzinfo=UTC)
    devices = [str(uuid.uuid4()) for _ in range(3)]
    practitioners = [uuid.uuid4() for _ in range(12)]
    ethnic = "ABCDEFGHJKLMNPRSZ"
    written = 0
    meta = Base.metadata.tables
    with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname={name}") as conn:
        with conn.cursor() as cur:
            pr = meta["practitioners"]
            base = _defaults(pr)
            with cur.copy(f"COPY practitioners ({', '.join(c.name for c in pr.columns)}) "
                          "FROM STDIN") as copy:
                for i, pid in enumerate(practitioners):
                    row = base | {"id": pid, "created_at": now, "updated_at": now,
                                  "version": 1, "origin_device": devices[i % 3],
                                  "change_seq": i + 1, "username": f"p{i}",
                                  "display_name": f"Practitioner {i}"}
                    copy.write_row([row[c.name] for c in pr.columns])

            def copy_rows(table_name: str, rows: Any) -> int:
                table = meta[table_name]
                base = _defaults(table)
                cols = [c.name for c in table.columns]
                json_cols = {c.name for c in table.columns if type(c.type).__name__ == "JSON"}
                n = 0
                with cur.copy(f"COPY {table_name} ({', '.join(cols)}) FROM STDIN") as copy:
                    for values in rows:
                        row = base | {"created_at": now, "updated_at": now, "version": 1,
                                      "change_seq": n + 1} | values
                        for c in json_cols:
                            row[c] = orjson.dumps(row[c] if row[c] is not None else []).decode()
                        copy.write_row([row[c] for c in cols])
                        n += 1
                return n

            people = [(uuid.uuid4(), uuid.uuid4(), rng.randrange(3), rng.randrange(12))
                      for _ in range(clients)]
            written += copy_rows("clients", ({
                "id": cid, "given_name": "A", "family_name": "B", "origin_device": devices[d],
                "postcode": "KM1 4AB" if rng.random() < 0.9 else "",
                "nhs_number": "9434765919" if rng.random() < 0.85 else None,
                "ethnic_category": rng.choice(ethnic), "gender_identity": rng.choice("1234Z"),
                "employment_status": "01", "practitioner_id": practitioners[p],
                "consent_central_records": True} for cid, _rid, d, p in people))
            dates = {}
            for cid, rid, _d, _p in people:
                received = UNTIL - timedelta(days=rng.randrange(0, 540))
                first = received + timedelta(days=rng.randrange(3, 90))
                ended = first + timedelta(days=rng.randrange(30, 120))
                dates[rid] = (cid, received, first if first <= UNTIL else None,
                              ended if ended <= UNTIL and rng.random() < 0.7 else None)
            written += copy_rows("referrals", ({
                "id": rid, "client_id": cid, "received_on": received, "source": "gp",
                "first_contact_on": first, "assessed_on": first, "discharged_on": ended,
                "status": "discharged" if ended else "active",
                "origin_device": devices[d], "practitioner_id": practitioners[p]}
                for (cid, rid, d, p), (_c, received, first, ended) in
                zip(people, dates.values(), strict=True)))
            written += copy_rows("appointments", ({
                "id": uuid.uuid4(), "client_id": cid, "referral_id": rid,
                "starts_at": datetime.combine(first + timedelta(days=14 * k), datetime.min.time()),
                "outcome": "attended" if rng.random() < 0.9 else "did_not_attend",
                "mode": "phone", "origin_device": devices[d], "practitioner_id": practitioners[p]}
                for (cid, rid, d, p) in people for k in range(2)
                if (first := dates[rid][2]) is not None))
            written += copy_rows("measure_administrations", ({
                "id": uuid.uuid4(), "client_id": cid, "referral_id": rid, "measure_id": m,
                "taken_on": when, "answers": [], "total": float(rng.randrange(0, 21)),
                "valid": True, "origin_device": devices[d]}
                for (cid, rid, d, _p) in people
                if dates[rid][3] is not None
                for m in ("PHQ-9", "GAD-7")
                for when in (dates[rid][2], dates[rid][3])))
            wellbeing = [(cid, rid, d) for (cid, rid, d, _p) in people
                         if dates[rid][3] is not None and rng.random() < 0.5]

            def wellbeing_rows() -> Any:
                for cid, rid, d in wellbeing:
                    for when in (dates[rid][2], dates[rid][3]):
                        wsas = [rng.randrange(0, 9) for _ in range(5)]
                        ons4 = [rng.randrange(0, 11) for _ in range(4)]
                        for m, answers, total in (("WSAS", wsas, float(sum(wsas))),
                                                  ("ONS4", ons4, None)):
                            yield {"id": uuid.uuid4(), "client_id": cid, "referral_id": rid,
                                   "measure_id": m, "taken_on": when, "answers": answers,
                                   "total": total, "valid": True, "origin_device": devices[d]}

            written += copy_rows("measure_administrations", wellbeing_rows())
        conn.commit()
        conn.execute("ANALYZE")
    return written


def count_floor(url: str) -> float:
    from sqlalchemy import text

    from wellbeing_desktop.sync.central import open_central

    engine = open_central(url)
    try:
        with engine.connect() as conn:
            started = time.perf_counter()
            for t in TABLES:
                conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
            return (time.perf_counter() - started) * 1000
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=150_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    from wellbeing_desktop.services.sync import central_reports

    span = central_reports.Period(date(2025, 12, 1), UNTIL)
    with postgres() as port:
        url = new_database(port, "report")
        built = time.perf_counter()
        records = build(port, "report", args.clients)
        print(f"built {records:,} records with COPY in {time.perf_counter() - built:.1f} s")
        reports, floors = [], []
        for _ in range(args.runs):
            floors.append(count_floor(url))
            started = time.perf_counter()
            central_reports.central_report(url, span, "clinic")
            reports.append((time.perf_counter() - started) * 1000)
    report_ms, floor_ms = statistics.median(reports), statistics.median(floors)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{records:,} records; load average {load} on {os.cpu_count()} CPUs")
    report(f"central report over {records:,} records in PostgreSQL (median of {args.runs})", [
        ("central report, 12 months, by clinic", report_ms, floor_ms,
         "<= 10 s; floor: one count(*) pass over the same tables"),
    ])


if __name__ == "__main__":
    main()
