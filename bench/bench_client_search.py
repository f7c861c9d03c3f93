"""Client search and the client list on the 50,000-client demo data set (DESIGN §9).

- search p95 through `services.clients.list_clients` + `count_clients` (what the Clients page
  runs per keystroke), beside the floor: the very statements the service sent for that search
  (captured once) replayed on a plain sqlite3 connection in the same run. Targets: p95 ≤ 10 ms
  and ≤ 3× the floor.
- first rows painted: the Clients page's lazy model reset with the first page and the table
  painted offscreen, beside a bare QTableView over a plain in-memory model of the same rows.
  Target ≤ 50 ms.

    python bench/bench_client_search.py [--clients 50000] [--data-dir DIR]
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
from _common import ensure_demo, percentile, report  # noqa: E402

QUERIES = ["sm", "smith", "jo", "khan", "wi", "o'b", "mill", "zoe", "999 1", "9995", "km1",
           "km3 4", "KM5 7", "pat", "le", "ahmed", "nowak", "tom", "a", "lloyd-j"]


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--data-dir", default="")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    data_dir = Path(args.data_dir or Path(tempfile.gettempdir()) / f"wellbeing-bench-{args.clients}")
    ensure_demo(data_dir, args.clients, 0)

    from sqlalchemy import event

    from wellbeing_desktop.services import clients
    from wellbeing_desktop.services.app import AppContext
    from wellbeing_desktop.storage import paths

    ctx = AppContext.open(data_dir)
    raw = sqlite3.connect(paths.database_path(data_dir))
    # The floor replays, on a plain sqlite3 connection, exactly the statements the service
    # sent for the same search (captured once per search, below).
    captured: list[tuple[str, object]] = []

    @event.listens_for(ctx.store.engine, "before_cursor_execute")
    def capture(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ANN202, ARG001
        if statement.lstrip().upper().startswith("SELECT"):
            captured.append((statement, parameters))

    def search(text: str) -> None:
        flt = clients.ClientFilter(search=text)
        clients.list_clients(ctx, limit=200, flt=flt)
        clients.count_clients(ctx, flt=flt)

    replay: dict[str, list[tuple[str, object]]] = {}
    for text in QUERIES:
        captured.clear()
        search(text)
        replay[text] = list(captured)
    event.remove(ctx.store.engine, "before_cursor_execute", capture)

    service_ms, floor_ms = [], []
    for _ in range(args.rounds):
        for text in QUERIES:
            t0 = time.perf_counter()
            search(text)
            service_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            for sql, params in replay[text]:
                raw.execute(sql, params).fetchall()
            floor_ms.append((time.perf_counter() - t0) * 1000)
    found = clients.count_clients(ctx, flt=clients.ClientFilter(search="sm"))

    # first rows painted
    from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
    from PySide6.QtWidgets import QApplication, QTableView

    from wellbeing_desktop.ui import worker
    from wellbeing_desktop.ui.pages.clients import ClientsPage

    app = QApplication.instance() or QApplication([])
    worker.use_immediate_pools()
    page = ClientsPage()
    page.resize(1100, 700)
    page.show()
    app.processEvents()
    paint_ms = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        page.attach(ctx)
        page.refresh()
        page.table.viewport().repaint()
        app.processEvents()
        paint_ms.append((time.perf_counter() - t0) * 1000)
    rows = page.model.rows

    class Plain(QAbstractTableModel):
        def rowCount(self, parent=QModelIndex()):  # noqa: B008, N802, ANN001, ANN201
            return len(rows)

        def columnCount(self, parent=QModelIndex()):  # noqa: B008, N802, ANN001, ANN201
            return 5

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # noqa: ANN001, ANN201
            if role != Qt.ItemDataRole.DisplayRole:
                return None
            r = rows[index.row()]
            return (r.family_name, str(r.date_of_birth), r.nhs_number or "", r.postcode,
                    r.status)[index.column()]

    bare = QTableView()
    bare.resize(1100, 700)
    bare.show()
    bare_ms = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        bare.setModel(Plain())
        bare.viewport().repaint()
        app.processEvents()
        bare_ms.append((time.perf_counter() - t0) * 1000)
    total = page.model.total
    ctx.close()
    shown = f"{clients.COUNT_CAP:,}+" if found > clients.COUNT_CAP else f"{found:,}"
    print(f"{total:,} clients listed; 'sm' matches {shown}; {len(service_ms)} searches")
    report(f"client search and list, {args.clients:,} clients", [
        ("search p95 (list 200 + count), service", percentile(service_ms, 95),
         percentile(floor_ms, 95), "p95 <= 10 ms and <= 3x raw SQL"),
        ("search median, service", percentile(service_ms, 50), percentile(floor_ms, 50), ""),
        ("first rows painted (query + model + paint)", percentile(paint_ms, 50),
         percentile(bare_ms, 50), "<= 50 ms; floor = bare view, rows in memory"),
    ])


if __name__ == "__main__":
    main()
