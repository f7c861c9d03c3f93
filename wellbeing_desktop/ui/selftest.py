"""`wellbeing self-test`: offscreen, on a fresh demo store, open every screen and build every
document. It proves an installed (or frozen) app works end to end without touching user data."""

from __future__ import annotations

import os
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wellbeing_desktop.ui import selftest_layout
from wellbeing_desktop.ui.selftest_checks import (
    casework_checks,
    directory_checks,
    document_checks,
    intake_checks,
    measures_checks,
    privacy_checks,
    wait_until,
)


@dataclass
class SelfTestReport:
    checks: list[tuple[str, bool, str]] = field(default_factory=list)
    # Per page and dialog: fits 1024×700 / 1280×800 at 100 % / 150 % text, mnemonic clashes,
    # controls without an accessible name (`selftest_layout`).
    screens: list[dict[str, Any]] = field(default_factory=list)

    def add(self, name: str, ok: bool, detail: str = "") -> None:
        self.checks.append((name, ok, detail))

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(ok for _, ok, _ in self.checks)

    def first_failure(self) -> str:
        return next((f"{n}: {d}" for n, ok, d in self.checks if not ok), "")

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": [
            {"name": n, "ok": ok, "detail": d} for n, ok, d in self.checks],
            "screens": self.screens}

    def text(self) -> str:
        lines = [f"{'ok  ' if ok else 'FAIL'} {n}{(' - ' + d) if d else ''}"
                 for n, ok, d in self.checks]
        lines.append("self-test passed" if self.ok else "self-test FAILED")
        return "\n".join(lines)


def _check(report: SelfTestReport, name: str, fn: Callable[[], str | None]) -> None:
    selftest_layout.CURRENT = name
    try:
        detail = fn() or ""
        report.add(name, True, detail)
    except Exception as exc:
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        report.add(name, False, f"{type(exc).__name__}: {exc}{where}")
def run_self_test(_data_dir: str | None = None, *, screenshots: Path | None = None) -> SelfTestReport:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    report = SelfTestReport()
    with tempfile.TemporaryDirectory(prefix="wellbeing-selftest-") as tmp:
        # Everything the run reads or writes by default (settings, data, logs) points into the
        # temporary folder, so the real settings (the current practitioner, the window) and
        # records are never touched, whatever the environment names (issue 13).
        saved = {name: os.environ.get(name) for name in _ISOLATED_ENV}
        os.environ["WELLBEING_DATA_DIR"] = str(Path(tmp) / "data")
        os.environ["WELLBEING_CONFIG_DIR"] = str(Path(tmp) / "config")
        os.environ.pop("WELLBEING_PASSPHRASE", None)
        os.environ.pop("WELLBEING_USER", None)
        try:
            _run(Path(tmp), report, screenshots)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    return report


_ISOLATED_ENV = ("WELLBEING_DATA_DIR", "WELLBEING_CONFIG_DIR", "WELLBEING_PASSPHRASE",
                 "WELLBEING_USER")


def _run(tmp: Path, report: SelfTestReport, screenshots: Path | None) -> None:
    from wellbeing_desktop.services.app import AppContext
    from wellbeing_desktop.services.demo import ensure_demo_setup, load_demo
    from wellbeing_desktop.ui.app import make_application
    from wellbeing_desktop.ui.main_window import MainWindow
    from wellbeing_desktop.ui.worker import wait_for_all

    app = make_application(["wellbeing-self-test"])
    ctx = AppContext.open(tmp / "data")
    try:
        _check(report, "store opens at the newest schema", lambda: None)
        def demo() -> str:
            ensure_demo_setup(ctx)
            return f"{load_demo(ctx).clients} clients"

        _check(report, "demo data loads", demo)
        ctx = _sign_in(report, ctx, tmp / "data")
        audit = selftest_layout.start()
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
                selftest_layout.inspect(window)
                return f"{image.width()}x{image.height()}"

            _check(report, f"screen: {page.title}", visit)
        for name, fn in _dialog_checks(window, ctx):
            _check(report, f"dialog: {name}", fn)
        selftest_layout.stop()
        report.screens = audit.results
        for result in audit.results:
            report.add(f"fits and names: {result['name']}", result["ok"],
                       selftest_layout.summary(result))
        for name, fn in document_checks(ctx):
            _check(report, f"document: {name}", fn)
        wait_for_all()
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        ctx.close()


SELF_TEST_PASSPHRASE = "self-test passphrase, never a real one"


def _sign_in(report: SelfTestReport, ctx: Any, data_dir: Path) -> Any:
    """Encrypt the demo store and sign in again, as a user would (no prompt: the self-test
    chooses its own passphrase)."""
    from wellbeing_desktop.services import auth

    holder = [ctx]

    def run() -> str:
        auth.secure_store(ctx, "selftest", SELF_TEST_PASSPHRASE)
        ctx.close()
        holder[0] = auth.login(data_dir, "selftest", SELF_TEST_PASSPHRASE, settings=ctx.settings)
        return "SQLCipher"

    _check(report, "records encrypted and signed in", run)
    return holder[0]


def _lock_check(window: Any, app: Any) -> Callable[[], str]:
    def fn() -> str:
        window.lock.lock()
        image = window.grab()
        selftest_layout.inspect(window, "Lock screen")
        if not window.lock.locked or image.isNull():
            raise RuntimeError("the window did not lock")
        window.lock.unlock(SELF_TEST_PASSPHRASE)
        if not wait_until(app, lambda: not window.lock.locked, 20):
            raise RuntimeError("the window did not unlock with the passphrase")
        return f"{image.width()}x{image.height()}"
    return fn


def _dialog_checks(window: Any, ctx: Any) -> list[tuple[str, Callable[[], str | None]]]:
    from PySide6.QtWidgets import QApplication

    from wellbeing_desktop.ui.dialogs.about import AboutDialog
    from wellbeing_desktop.ui.dialogs.first_run import FirstRunDialog
    from wellbeing_desktop.ui.dialogs.login import LoginDialog
    from wellbeing_desktop.ui.dialogs.recovery_key import RecoveryKeyDialog
    from wellbeing_desktop.ui.dialogs.secure_store import SecureStoreDialog

    def grab(cls: Any, *args: Any) -> Callable[[], str]:
        def fn() -> str:
            dialog = cls(*args)
            dialog.show()
            image = dialog.grab()
            selftest_layout.inspect(dialog)
            dialog.close()
            if image.isNull():
                raise RuntimeError("dialog did not paint")
            return f"{image.width()}x{image.height()}"
        return fn

    return [
        ("About", grab(AboutDialog, window, str(ctx.data_dir), ctx.settings)),
        ("First-run set-up", grab(FirstRunDialog, ctx, window)),
        ("Sign in", grab(LoginDialog, ctx.data_dir, ctx.settings, window)),
        ("Recovery key", grab(RecoveryKeyDialog, "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567",
                              "Self-test", window)),
        ("Protect your records", grab(SecureStoreDialog, ctx, window)),
        ("Lock and unlock", _lock_check(window, QApplication.instance())),
        *privacy_checks(ctx, QApplication.instance()),
        *measures_checks(window, ctx),
        *directory_checks(ctx, grab),
        *casework_checks(window, ctx),
        *intake_checks(ctx, grab),
    ]
