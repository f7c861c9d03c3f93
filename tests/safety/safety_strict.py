"""A pytest plugin for `make safety`: a skipped test there is a control not proved, so the run
fails (a PostgreSQL-backed proof skipped for want of the server must not read as a pass)."""

from __future__ import annotations

from typing import Any

_skipped: list[str] = []


def pytest_runtest_logreport(report: Any) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skipped:
        terminalreporter.write_line(
            f"SAFETY: {len(_skipped)} test(s) the hazard log relies on were skipped, so their "
            "controls are not proved: " + ", ".join(_skipped[:10]), red=True)


def pytest_sessionfinish(session: Any, exitstatus: int) -> None:
    if _skipped and exitstatus == 0:
        session.exitstatus = 1
