"""Memory with the 50,000-client data set open (target ≤ 250 MB RSS, DESIGN §9), beside a bare
PySide6 window with a table view measured the same way.

    python bench/bench_memory.py [--clients 50000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ensure_demo, run_child  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child_floor() -> None:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

    app = QApplication([])
    window = QMainWindow()
    view = QTableView()
    view.setModel(QStandardItemModel(20, 5))
    window.setCentralWidget(view)
    window.show()
    app.processEvents()
    print(f"RSS {rss_mb():.1f}")


def child_app(data: str) -> None:
    from PySide6.QtWidgets import QApplication

    from wellbeing_desktop.ui.app import launch
    from wellbeing_desktop.ui.main_window import PAGE_SPECS
    from wellbeing_desktop.ui.selftest import wait_until

    window = launch(data, ["bench"])
    app = QApplication.instance()
    # Every page: Today is built before the store opens (its first figures), the others once
    # the store is open and Today has shown its data.
    wait_until(app, lambda: window.ctx is not None and len(window.pages) == len(PAGE_SPECS),
               60)
    for key, page in window.pages.items():
        window.show_page(key)
        wait_until(app, lambda page=page: not page.is_loading(), 60)
    window.show_page("clients")
    clients = window.pages["clients"]
    wait_until(app, lambda: not clients.is_loading(), 60)
    # Scroll to the end of what the list has loaded, as a practitioner browsing would.
    table = getattr(clients, "table", None)
    if table is not None:
        for _ in range(20):
            table.scrollToBottom()
            app.processEvents()
    print(f"RSS {rss_mb():.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50_000)
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--child")
    parser.add_argument("--data")
    args = parser.parse_args()
    if args.child == "floor":
        return child_floor()
    if args.child == "app":
        return child_app(args.data)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    data = Path(tempfile.gettempdir()) / "wellbeing-bench-data" / f"memory-{args.clients}"
    ensure_demo(data, args.clients, args.services)
    me = str(Path(__file__).resolve())
    floor = float(run_child([me, "--child", "floor"]).split()[-1])
    app = float(run_child([me, "--child", "app", "--data", str(data)]).split()[-1])
    print(f"\n== memory, {args.clients:,} clients open, every screen visited")
    print(f"app RSS {app:.0f} MB   bare window RSS {floor:.0f} MB   ratio {app / floor:.2f}x"
          f"   target <= 250 MB ({'met' if app <= 250 else 'NOT met'})")


if __name__ == "__main__":
    main()
