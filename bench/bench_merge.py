"""Central merge of about 100,000 records into PostgreSQL (targets: ≥ 50,000 records/s, DESIGN
§9, and ≤ 1.5 × the floor, issue 12), beside the floor in the same run: psycopg `COPY` of the
same rows into the same tables of a second, identical database, in one transaction. A second
floor, binary COPY of the same rows (the form the merge sends), is printed beside it.

Starts a throwaway PostgreSQL cluster on loopback (as the `postgres` user when run as root).
The merge is the whole service call: decrypt, verify every checksum, validate every record,
merge in one transaction, write the acknowledgement.

    python bench/bench_merge.py [--clients 14000] [--runs 5]
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, ensure_demo, report  # noqa: E402

CACHE = Path(os.environ.get("WELLBEING_BENCH_CACHE", ROOT / "bench" / "results" / "cache"))


@contextmanager
def postgres() -> Iterator[int]:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    bindir = Path(found[-1]).parent if found else Path(shutil.which("initdb") or "").parent
    if not (bindir / "initdb").exists():
        raise SystemExit("PostgreSQL is not installed (make sysdeps)")
    base = Path(tempfile.mkdtemp(prefix="wellbeing-bench-pg-", dir="/tmp"))
    data, sock = base / "data", base / "sock"
    data.mkdir()
    sock.mkdir()
    runner: list[str] = []
    if os.geteuid() == 0:
        os.chmod(base, 0o755)
        for path in (data, sock):
            shutil.chown(path, "postgres", "postgres")
        runner = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    try:
        subprocess.run([*runner, str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U",
                        "postgres", "-E", "UTF8", "--no-sync"], check=True, capture_output=True)
        subprocess.run([*runner, str(bindir / "pg_ctl"), "-D", str(data), "-l",
                        str(sock / "log"), "-w", "-o",
                        f"-c listen_addresses=127.0.0.1 -p {port} -k {sock} -c fsync=off "
                        "-c synchronous_commit=off -c full_page_writes=off", "start"],
                       check=True, capture_output=True)
        yield port
    finally:
        subprocess.run([*runner, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                        "stop"], check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def new_database(port: int, name: str) -> str:
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres",
                         autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/{name}"
    from wellbeing_desktop.sync.central import open_central

    open_central(url).dispose()  # migrations, outside the timing
    return url


def copy_floor(port: int, name: str, rows: dict[str, list[dict[str, object]]]) -> float:
    """COPY every row of the bundle into its table, one transaction (the floor)."""
    import psycopg

    from wellbeing_desktop.sync.schema import entity_map

    order = [e for e in entity_map().values() if e.name in rows]
    with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname={name}") as conn:
        started = time.perf_counter()
        with conn.cursor() as cur:
            for entity in order:
                columns = ", ".join(f'"{c}"' for c in entity.columns)
                json_cols = {i for i, c in enumerate(entity.table.columns)
                             if type(c.type).__name__ == "JSON"}
                with cur.copy(f'COPY "{entity.name}" ({columns}) FROM STDIN') as copy:
                    for row in rows[entity.name]:
                        values = [row[c] for c in entity.columns]
                        for i in json_cols:
                            values[i] = _json(values[i])
                        copy.write_row(values)
        conn.commit()
        return (time.perf_counter() - started) * 1000


def copy_floor_binary(port: int, name: str, rows: dict[str, list[dict[str, object]]]) -> float:
    """A second floor, printed beside the first: the same rows by binary COPY (each column as
    the type the server holds; JSON as its text), the form the merge itself sends since
    issue 12's third round. The server parses no text, so this floor is lower and the
    merge's ratio to it higher; the first floor stays the target's measure."""
    import orjson
    import psycopg

    from wellbeing_desktop.sync.schema import entity_map

    order = [e for e in entity_map().values() if e.name in rows]
    with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname={name}") as conn:
        started = time.perf_counter()
        with conn.cursor() as cur:
            for entity in order:
                columns = ", ".join(f'"{c}"' for c in entity.columns)
                types = dict(cur.execute(
                    "SELECT attname, atttypid::int FROM pg_attribute WHERE attrelid = "
                    "%s::regclass AND attnum > 0", [f'"{entity.name}"']).fetchall())
                json_cols = [i for i, c in enumerate(entity.columns) if types[c] in (114, 3802)]
                oids = [17 if i in json_cols else types[c] for i, c in enumerate(entity.columns)]
                prefix = {i: b"\x01" if types[entity.columns[i]] == 3802 else b""
                          for i in json_cols}
                with cur.copy(f'COPY "{entity.name}" ({columns}) FROM STDIN '
                              "(FORMAT BINARY)") as copy:
                    copy.set_types(oids)
                    for row in rows[entity.name]:
                        values = [row[c] for c in entity.columns]
                        for i in json_cols:
                            if values[i] is not None:
                                values[i] = prefix[i] + orjson.dumps(values[i])
                        copy.write_row(values)
        conn.commit()
        return (time.perf_counter() - started) * 1000


def _json(value: object) -> str | None:
    import orjson

    return None if value is None else orjson.dumps(value).decode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=14000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data_dir = CACHE / f"export-{args.clients}"
    ensure_demo(data_dir, args.clients, 200)

    from wellbeing_desktop.services import sync
    from wellbeing_desktop.services.app import AppContext
    from wellbeing_desktop.sync import crypto
    from wellbeing_desktop.sync.bundle import read_bundle
    from wellbeing_desktop.sync.merge import prepare

    with tempfile.TemporaryDirectory() as tmp:
        keys = sync.keygen(Path(tmp) / "keys")
        ctx = AppContext.open(data_dir)
        bundle = Path(tmp) / "all.wbsync"
        exported = sync.export(ctx, bundle, full=True, recipient=keys.public_text)
        # The centre merges only enrolled devices (the edited copy below is the same device,
        # with the same signing key).
        enrolment = sync.write_enrolment(ctx, Path(tmp) / "device.enrolment.json").path
        ctx.close()
        # The same records, each edited once more (version + 1): merged over the first
        # bundle, every record is an update (the incremental case at its heaviest).
        edited = Path(tmp) / "edited"
        shutil.copytree(data_dir, edited)
        _touch_every_record(edited)
        ctx = AppContext.open(edited)
        bundle2 = Path(tmp) / "edited.wbsync"
        sync.export(ctx, bundle2, full=True, recipient=keys.public_text)
        ctx.close()
        records = exported.records + exported.tombstones
        # The floors' rows: the bundle decoded beforehand (no floor decodes).
        rows = prepare(read_bundle(bundle, crypto.load_private_key(keys.private_key))).every_row()
        merges, updates, floors, binary_floors = [], [], [], []
        with postgres() as port:
            for run in range(args.runs):
                url = new_database(port, f"merge{run}")
                sync.central_enrol(enrolment, url, by="bench")
                for target, path in ((merges, bundle), (updates, bundle2)):
                    started = time.perf_counter()
                    [out] = sync.central_merge([path], url, keys.private_key,
                                               ack_dir=Path(tmp))
                    target.append((time.perf_counter() - started) * 1000)
                    if not out.ok or out.result is None:
                        raise SystemExit(f"merge refused: {out.error}")
                    if target is updates and out.result.totals["updated"] < records * 0.99:
                        raise SystemExit(f"expected updates, got {out.result.totals}")
                new_database(port, f"floor{run}")
                floors.append(copy_floor(port, f"floor{run}", rows))
                new_database(port, f"binfloor{run}")
                binary_floors.append(copy_floor_binary(port, f"binfloor{run}", rows))
    merge_ms, update_ms = statistics.median(merges), statistics.median(updates)
    floor_ms, binary_ms = statistics.median(floors), statistics.median(binary_floors)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{records:,} records in {len(rows)} tables; into an empty database "
          f"{records / (merge_ms / 1000):,.0f} records/s, every record an update "
          f"{records / (update_ms / 1000):,.0f} records/s (target >= 50,000); COPY floor "
          f"{records / (floor_ms / 1000):,.0f} records/s; load average {load} "
          f"on {os.cpu_count()} CPUs")
    report(f"central merge into PostgreSQL, {records:,} records (median of {args.runs})", [
        ("central merge, new records (service call)", merge_ms, floor_ms,
         "<= 1.5x COPY of the same rows (issue 12)"),
        ("central merge, every record updated", update_ms, floor_ms,
         "<= 1.5x COPY of the same rows (issue 12)"),
    ])
    report("the same, beside binary COPY of the same rows (a second, lower floor)", [
        ("central merge, new records (service call)", merge_ms, binary_ms, "none (shown)"),
        ("central merge, every record updated", update_ms, binary_ms, "none (shown)"),
    ])
    print("Neither floor decrypts, checks checksums or decodes the bundle, which the merge "
          "must do (about a third of its time); each run's figures are in order "
          f"merges {[round(x) for x in merges]}, updates {[round(x) for x in updates]}, "
          f"floors {[round(x) for x in floors]}, binary floors "
          f"{[round(x) for x in binary_floors]}")


def _touch_every_record(data_dir: Path) -> None:
    """Raise every synchronised record's version by one, as if each was edited once more."""
    import sqlite3

    from wellbeing_desktop.sync.schema import entities

    db = sqlite3.connect(data_dir / "wellbeing.sqlite3")
    with db:
        for entity in entities():
            db.execute(f'UPDATE "{entity.name}" SET version = version + 1')
    db.close()


if __name__ == "__main__":
    main()
