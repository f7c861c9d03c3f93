"""`wellbeing self-test`: offscreen, on a fresh demo store, open every screen and build every
document. It proves an installed (or frozen) app works end to end without touching user data."""

from __future__ import annotations

import os
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class SelfTestReport:
    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    def add(self, name: str, ok: bool, detail: str = "") -> None:
        self.checks.append((name, ok, detail))

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(ok for _, ok, _ in self.checks)

    def first_failure(self) -> str:
        return next((f"{n}: {d}" for n, ok, d in self.checks if not ok), "")

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": [
            {"name": n, "ok": ok, "detail": d} for n, ok, d in self.checks]}

    def text(self) -> str:
        lines = [f"{'ok  ' if ok else 'FAIL'} {n}{(' - ' + d) if d else ''}"
                 for n, ok, d in self.checks]
        lines.append("self-test passed" if self.ok else "self-test FAILED")
        return "\n".join(lines)


def _check(report: SelfTestReport, name: str, fn: Callable[[], str | None]) -> None:
    try:
        detail = fn() or ""
        report.add(name, True, detail)
    except Exception as exc:
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        report.add(name, False, f"{type(exc).__name__}: {exc}{where}")


def wait_until(app: Any, condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def run_self_test(_data_dir: str | None = None, *, screenshots: Path | None = None) -> SelfTestReport:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    report = SelfTestReport()
    with tempfile.TemporaryDirectory(prefix="wellbeing-selftest-") as tmp:
        _run(Path(tmp), report, screenshots)
    return report


def _run(tmp: Path, report: SelfTestReport, screenshots: Path | None) -> None:
    from wellbeing_desktop.cli.core import _ensure_demo_setup
    from wellbeing_desktop.services.app import AppContext
    from wellbeing_desktop.services.demo import load_demo
    from wellbeing_desktop.ui.app import make_application
    from wellbeing_desktop.ui.main_window import MainWindow
    from wellbeing_desktop.ui.worker import wait_for_all

    app = make_application(["wellbeing-self-test"])
    ctx = AppContext.open(tmp / "data")
    try:
        _check(report, "store opens at the newest schema", lambda: None)
        _check(report, "demo data loads", lambda: (_ensure_demo_setup(ctx), None)[1] or
               f"{load_demo(ctx).clients} clients")
        window = MainWindow(ctx.settings)
        window.show()
        window.attach(ctx)
        for key, page in window.pages.items():
            def visit(key: str = key, page: Any = page) -> str:
                window.show_page(key)
                if not wait_until(app, lambda: not page.is_loading()):
                    raise TimeoutError("page did not finish loading in 30 s")
                image = page.grab()
                if image.isNull() or image.width() < 100:
                    raise RuntimeError("page did not paint")
                if screenshots is not None:
                    screenshots.mkdir(parents=True, exist_ok=True)
                    image.save(str(screenshots / f"page-{key}.png"))
                return f"{image.width()}x{image.height()}"

            _check(report, f"screen: {page.title}", visit)
        for name, fn in _dialog_checks(window, ctx):
            _check(report, f"dialog: {name}", fn)
        for name, fn in _document_checks(ctx):
            _check(report, f"document: {name}", fn)
        wait_for_all()
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        ctx.close()


def _dialog_checks(window: Any, ctx: Any) -> list[tuple[str, Callable[[], str | None]]]:
    from wellbeing_desktop.ui.dialogs.about import AboutDialog
    from wellbeing_desktop.ui.dialogs.first_run import FirstRunDialog

    def grab(cls: Any, *args: Any) -> Callable[[], str]:
        def fn() -> str:
            dialog = cls(*args)
            dialog.show()
            image = dialog.grab()
            dialog.close()
            if image.isNull():
                raise RuntimeError("dialog did not paint")
            return f"{image.width()}x{image.height()}"
        return fn

    return [
        ("About", grab(AboutDialog, window, str(ctx.data_dir), ctx.settings)),
        ("First-run set-up", grab(FirstRunDialog, ctx, window)),
    ]


def _document_checks(ctx: Any) -> list[tuple[str, Callable[[], str | None]]]:
    """Every printable document, built for a demo client (the packs issue registers them)."""
    try:
        from wellbeing_desktop.services import packs
    except ImportError:
        return []
    builder = getattr(packs, "self_test_documents", None)
    if builder is None:
        return []
    return list(builder(ctx))
