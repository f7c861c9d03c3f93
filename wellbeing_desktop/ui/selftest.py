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
        *_privacy_checks(ctx, QApplication.instance()),
        *_measures_checks(window, ctx),
        *_directory_checks(ctx, grab),
        *_casework_checks(window, ctx),
        *_intake_checks(ctx, grab),
    ]


def _intake_checks(ctx: Any, grab: Any) -> list[tuple[str, Callable[[], str | None]]]:
    from wellbeing_desktop.services.clients import list_clients
    from wellbeing_desktop.ui.intake.attempt_dialog import AttemptDialog
    from wellbeing_desktop.ui.intake.import_dialog import ImportDialog
    from wellbeing_desktop.ui.intake.letters_dialog import LettersDueDialog

    client = list_clients(ctx, limit=1)[0]
    return [
        ("Import referrals", grab(ImportDialog, ctx)),
        ("Letters due", grab(LettersDueDialog, ctx)),
        ("Contact attempt", grab(AttemptDialog, ctx, client.id, client.display_name)),
    ]


def _casework_checks(window: Any, ctx: Any) -> list[tuple[str, Callable[[], str | None]]]:
    """The client record (every tab) and each casework dialog, on a demo client with goals."""
    from PySide6.QtWidgets import QApplication

    from wellbeing_desktop.services import clients, goals

    state: dict[str, Any] = {}

    def record() -> str:
        from wellbeing_desktop.ui.client_record import open_client

        cid = next(c.id for c in clients.list_clients(ctx) if goals.list_for_client(ctx, c.id))
        rec = open_client(ctx, cid, window)
        if not wait_until(QApplication.instance(), lambda: not rec.is_loading()):
            raise TimeoutError("the client record did not load")
        if rec.data is None:
            raise RuntimeError("the client record has no data")
        state["record"] = rec
        for i in range(rec.tabs.count()):
            rec.tabs.setCurrentIndex(i)
            if rec.grab().isNull():
                raise RuntimeError(f"tab {rec.tabs.tabText(i)} did not paint")
        return f"{rec.tabs.count()} tabs"

    def dialog(opener: str) -> Callable[[], str]:
        def fn() -> str:
            rec = state.get("record")
            if rec is None:
                raise RuntimeError("the client record did not open")
            args = [rec.data.goals[0]] if opener == "review_goal" else []
            dlg = getattr(rec, opener)(*args)
            image = dlg.grab()
            dlg.dirty = False
            dlg.reject()
            if image.isNull():
                raise RuntimeError("dialog did not paint")
            return f"{image.width()}x{image.height()}"
        return fn

    def close() -> str:
        rec = state.get("record")
        if rec is not None:
            rec.close()
        return ""

    def group_sessions() -> str:
        from wellbeing_desktop.ui.casework.group_dialogs import open_groups

        app = QApplication.instance()
        listing = open_groups(ctx, window)
        if not wait_until(app, lambda: not listing.is_loading()):
            raise TimeoutError("the group sessions did not load")
        shown = [listing.grab()]
        new = listing.new_group()
        shown.append(new.grab())
        new.dirty = False
        new.reject()
        register = listing.open_register()
        if register is not None:
            if not wait_until(app, lambda: not register.is_loading()):
                raise TimeoutError("the register did not load")
            shown.append(register.grab())
            register.reject()
        listing.reject()
        if any(image.isNull() for image in shown):
            raise RuntimeError("a group session dialog did not paint")
        return f"{listing.table.rowCount()} groups, {len(shown)} dialogs"

    def pending_drafts() -> str:
        from datetime import UTC, datetime

        from wellbeing_desktop.services.drafts import Draft
        from wellbeing_desktop.ui.casework.drafts_offer import PendingDraftsDialog

        someone = clients.list_clients(ctx, limit=1)[0]
        draft = Draft(f"appointment:new:{someone.id}", someone.id, someone.display_name,
                      "(self-test) an unsaved note", {}, datetime.now(UTC))
        offer = PendingDraftsDialog(ctx, [draft], window)
        image = offer.grab()
        offer.reject()
        if image.isNull():
            raise RuntimeError("the unsaved notes dialog did not paint")
        return f"{image.width()}x{image.height()}"

    return [("Client record", record),
            *((f"casework: {name}", dialog(opener)) for name, opener in (
                ("client details", "edit_client"), ("new referral", "new_referral"),
                ("referral status", "change_status"), ("needs check", "needs_check"),
                ("suitability", "suitability"), ("session", "new_session"),
                ("goal", "new_goal"), ("goal review", "review_goal"),
                ("discharge", "discharge"), ("risk concern", "raise_concern"),
                ("merge duplicates", "merge_duplicate"))),
            ("Client record closes", close),
            ("casework: group sessions and register", group_sessions),
            ("casework: unsaved notes offered at start", pending_drafts)]
def _privacy_checks(ctx: Any, app: Any) -> list[tuple[str, Callable[[], str | None]]]:
    """The client record's Privacy tab and the erasure dialog (nothing is erased)."""
    from wellbeing_desktop.services.clients import list_clients
    from wellbeing_desktop.ui.dialogs.erase_client import EraseClientDialog
    from wellbeing_desktop.ui.panels.privacy import PrivacyPanel

    def panel() -> str:
        widget = PrivacyPanel()
        widget.resize(900, 800)
        widget.set_client(ctx, list_clients(ctx)[0].id)
        widget.show()
        if not wait_until(app, lambda: not widget.is_loading() and widget.view is not None):
            raise TimeoutError("the privacy panel did not load")
        image = widget.grab()
        widget.close()
        if image.isNull():
            raise RuntimeError("the privacy panel did not paint")
        view = widget.view
        assert view is not None
        return f"{len(view.history)} corrections"

    def erase_dialog() -> str:
        dialog = EraseClientDialog(ctx, list_clients(ctx)[0].id, "Example")
        dialog.show()
        image = dialog.grab()
        dialog.reject()
        if image.isNull():
            raise RuntimeError("the erasure dialog did not paint")
        return f"{image.width()}x{image.height()}"

    return [("Privacy panel", panel), ("Erase a record (not confirmed)", erase_dialog)]


def _directory_checks(ctx: Any, grab: Any) -> list[tuple[str, Callable[[], str | None]]]:
    """The directory's and signposting's dialogs, on a demo service and client."""
    from wellbeing_desktop.services import clients, directory, signposting
    from wellbeing_desktop.ui.directory.import_wizard import ImportWizard
    from wellbeing_desktop.ui.directory.notes_dialog import LocalDetailsDialog
    from wellbeing_desktop.ui.directory.report_wrong_dialog import ReportWrongDialog
    from wellbeing_desktop.ui.panels.signposting import SignpostingPanel
    from wellbeing_desktop.ui.signposting.follow_up_dialog import FollowUpDialog
    from wellbeing_desktop.ui.signposting.signpost_dialog import SignpostDialog

    hit = directory.search(ctx, "debt", limit=1)[0]
    detail = directory.get_service(ctx, hit.id)
    client = next(c for c in clients.list_clients(ctx)
                  if signposting.list_for_client(ctx, c.id))
    item = signposting.list_for_client(ctx, client.id)[0]

    def panel() -> str:
        widget = SignpostingPanel()
        widget.show()
        widget.set_client(ctx, client.id)
        image = widget.grab()
        widget.close()
        return f"{image.width()}x{image.height()}"

    return [
        ("Directory import", grab(ImportWizard, ctx)),
        ("Directory notes", grab(LocalDetailsDialog, ctx, detail)),
        ("Report a service wrong", grab(ReportWrongDialog, ctx, detail)),
        ("Signpost to a service", grab(SignpostDialog, ctx, client.id)),
        ("Signposting follow-up", grab(FollowUpDialog, ctx, item)),
        ("Signposting panel", panel),
    ]


def _measures_checks(window: Any, ctx: Any) -> list[tuple[str, Callable[[], str | None]]]:
    """The measures panel of a demo client, and administering every measure (the measures
    area)."""
    from wellbeing_desktop.services import measures
    from wellbeing_desktop.services.clients import list_clients
    from wellbeing_desktop.ui.measures.administer_dialog import AdministerDialog
    from wellbeing_desktop.ui.panels.measures import MeasuresPanel

    def client() -> Any:
        for summary in list_clients(ctx):
            if measures.series(ctx, summary.id):
                return summary.id
        raise RuntimeError("no demo client has measures")

    def panel() -> str:
        widget = MeasuresPanel()
        widget.resize(900, 700)
        widget.set_client(ctx, client())
        widget.show()
        app = __import__("PySide6.QtWidgets", fromlist=["QApplication"]).QApplication.instance()
        if not wait_until(app, lambda: not widget.is_loading() and widget.model.rowCount() > 0):
            raise TimeoutError("the measures panel did not load")
        image = widget.grab()
        widget.close()
        if image.isNull() or not widget.chart.series:
            raise RuntimeError("the measures chart did not paint")
        return f"{widget.model.rowCount()} measures, {len(widget.chart.series)} charted"

    def administer() -> str:
        cid = client()
        sizes = []
        for definition in measures.definitions():
            dialog = AdministerDialog(ctx, cid, measure_id=definition.id,
                                      paper=definition.id == "ONS4", parent=window)
            dialog.show()
            image = dialog.grab()
            dialog.close()
            if image.isNull() or not dialog.rows:
                raise RuntimeError(f"{definition.id} did not paint")
            sizes.append(definition.id)
        return ", ".join(sizes)

    def definitions() -> str:
        problems = measures.definition_problems()
        if problems:
            raise RuntimeError(f"not loaded: {problems[0]}")
        return ", ".join(d.id for d in measures.definitions())

    return [("Measure definitions", definitions), ("Measures panel", panel),
            ("Administer a measure", administer)]


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
