"""Start the GUI: paint the window first, then open the store in a worker (DESIGN §9).

Keep this module's imports light: SQLAlchemy, Alembic and the services are imported by the
worker that opens the store, after the window has painted.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication

from wellbeing_desktop import APP_NAME, __version__
from wellbeing_desktop.services import locations
from wellbeing_desktop.services.settings import Settings
from wellbeing_desktop.ui import theme
from wellbeing_desktop.ui.main_window import MainWindow
from wellbeing_desktop.ui.operations import Op, background, read, write

if TYPE_CHECKING:
    from pathlib import Path

    from wellbeing_desktop.services.app import AppContext
    from wellbeing_desktop.services.first_figures import FirstFigures


def _open_context(data_dir: str | None, settings: Settings,
                  restore_from: str | None = None) -> AppContext:
    from wellbeing_desktop.services.app import AppContext

    if restore_from:
        from pathlib import Path

        from wellbeing_desktop.services.integrity import replace_damaged

        replace_damaged(locations.data_dir(data_dir), None, Path(restore_from))
    # The quick_check runs beside the first reads; every write waits for it (services/app.py).
    ctx = AppContext.open(data_dir, settings=settings, check="defer")
    # Import the first page's module here, off the GUI thread, so building it is quick. The
    # other pages are imported after Today's first data (`import_pages`), not before it.
    import_pages(first_only=True)
    return ctx


def import_pages(*, first_only: bool = False) -> None:
    """Import the pages' modules (and the services behind them) on a worker thread."""
    from wellbeing_desktop.ui.main_window import PAGE_SPECS

    for _key, _title, module, _cls in PAGE_SPECS[:1] if first_only else PAGE_SPECS:
        __import__(f"wellbeing_desktop.ui.pages.{module}")


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        # The style is named on the command line, not set afterwards: `setStyle` hands back
        # the style object, and wrapping it makes PySide6 build QStyle's 19 Python enums
        # (about 6 ms before the first paint; theme.apply skips its own setStyle).
        app = QApplication([*(argv if argv is not None else sys.argv), "-style", "Fusion"])
        app.setProperty("wellbeingStyleSet", True)
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Wellbeing Desktop")
    from PySide6.QtGui import QIcon

    from wellbeing_desktop.resources import resource

    app.setWindowIcon(QIcon(str(resource("icons", "wellbeing.png"))))
    from wellbeing_desktop.ui import crash

    crash.install()
    theme.apply(app)
    from wellbeing_desktop.ui import keys

    keys.install(app)   # Ctrl+Enter saves every form
    return app


def signed_in(window: MainWindow, ctx: AppContext) -> None:
    """Records are open (and, if encrypted, someone has signed in): show them."""
    from wellbeing_desktop.services import logs, setup

    logs.configure(ctx.data_dir)
    window.attach(ctx, lazy=True)  # the other pages are built after Today's first data
    if ctx.integrity is not None:
        read(ctx.confirm_integrity).on_error(lambda exc: damaged_after_open(window, ctx, exc)) \
            .start()
    def first_run_known(needed: bool) -> None:
        if window.ctx is not ctx:
            return
        if needed:
            offer_first_run(window, ctx)
        else:
            after_first_data(window, later)

    def later() -> None:  # nothing here is needed to show Today: it waits for Today's data
        if window.ctx is not ctx:
            return
        background(import_pages).on_success(lambda _r: window.build_remaining()).start()
        if ctx.store.key is None:
            offer_secure_store(window, ctx)
        start_backups(window, ctx)
        from wellbeing_desktop.ui.measures.startup import check_definitions

        check_definitions(window)
        from wellbeing_desktop.ui.clock_check import check_clock

        check_clock(window, ctx)
        from wellbeing_desktop.ui.casework.drafts_offer import offer_pending_drafts

        offer_pending_drafts(window, ctx)  # notes typed before a crash are offered back

    read(setup.needs_first_run, ctx).on_success(first_run_known).start()


def after_first_data(window: MainWindow, fn: Callable[[], None], *,
                     give_up_ms: int = 20_000) -> None:
    """Run `fn` once the Today page has shown its first data (or after `give_up_ms`), so the
    start-up backup and the like do not compete with the first load (DESIGN §9)."""
    from PySide6.QtCore import QElapsedTimer, QTimer

    def ready() -> bool:
        today = window.pages.get("today")
        return today is None or getattr(today, "last", None) is not None

    if ready():
        fn()
        return
    clock = QElapsedTimer()
    clock.start()
    timer = QTimer(window)
    timer.setInterval(50)

    def poll() -> None:
        if ready() or clock.elapsed() > give_up_ms:
            timer.stop()
            timer.deleteLater()
            fn()

    timer.timeout.connect(poll)
    timer.start()


def damaged_after_open(window: MainWindow, ctx: AppContext, exc: BaseException) -> None:
    """The deferred quick_check failed: no write reached the file (each waited for the
    check). Close the store and offer the newest good backup, as at a synchronous start."""
    from wellbeing_desktop.services.errors import DamagedStore

    data_dir, settings = str(ctx.data_dir), ctx.settings
    ctx.close()
    window.statusBar().showMessage("Your records could not be opened.")
    if isinstance(exc, DamagedStore) and exc.backups and offer_restore(window, exc):
        open_in_window(window, data_dir, settings, restore_from=exc.backups[0])
        return
    from wellbeing_desktop.ui.dialogs.errors import show_error

    show_error(window, exc, "Your records are damaged")


def open_in_window(window: MainWindow, data_dir: str | None, settings: Settings,
                   restore_from: str | None = None) -> Op[Any] | None:
    """Open (and migrate) the store off the GUI thread, then hand it to the window. An
    encrypted store asks for a sign-in first; nothing is read before it."""
    if locations.is_encrypted(locations.data_dir(data_dir)):
        ask_sign_in(window, data_dir, settings)
        return None

    def failed(exc: BaseException) -> None:
        from wellbeing_desktop.services.errors import DamagedStore

        window.statusBar().showMessage("Your records could not be opened.")
        if isinstance(exc, DamagedStore) and exc.backups:
            if offer_restore(window, exc):
                open_in_window(window, data_dir, settings, restore_from=exc.backups[0])
            return
        from wellbeing_desktop.ui.dialogs.errors import show_error

        show_error(window, exc, "Could not open your records")

    return write(_open_context, data_dir, settings, restore_from) \
        .on_success(lambda ctx: signed_in(window, ctx)).on_error(failed).start()


def offer_restore(window: MainWindow, exc: BaseException) -> bool:
    from pathlib import Path

    from PySide6.QtWidgets import QMessageBox

    newest = Path(exc.backups[0]).name  # type: ignore[attr-defined]
    answer = QMessageBox.question(
        window, "Your records are damaged",
        f"{exc}\n\nRestore the newest good backup ({newest})? The damaged file is kept aside.")
    return answer == QMessageBox.StandardButton.Yes


def ask_sign_in(window: MainWindow, data_dir: str | None, settings: Settings) -> None:
    from wellbeing_desktop.ui.dialogs.login import LoginDialog

    window.statusBar().showMessage("Signed out")
    window.service_label.setText("Sign in to see your records")
    dialog = LoginDialog(locations.data_dir(data_dir), settings, window)
    dialog.signed_in.connect(lambda ctx: signed_in(window, ctx))
    dialog.quit_requested.connect(window.close)   # Quit or Escape at the sign-in
    dialog.open()
    # While the person types, import what signing in and Today need, so that the time from
    # "Sign in" to Today's data is the key derivation and the first query, not imports. Not
    # before the dialog has painted: the imports would hold the interpreter while it draws.
    from wellbeing_desktop.ui.first_paint import after_first_paint

    after_first_paint(dialog, lambda: background(warm_up).start())


def warm_up() -> None:
    """Import the heavy modules (SQLAlchemy, the models, the services, the pages)."""
    import wellbeing_desktop.services.auth
    import wellbeing_desktop.services.today  # noqa: F401 - and with it the models

    import_pages(first_only=True)


def start_backups(window: MainWindow, ctx: AppContext) -> None:
    """A backup on start (unless one was taken in the last hour) and one a day while open."""
    from datetime import timedelta

    from PySide6.QtCore import QTimer

    def backup(reason: str, age: timedelta) -> None:
        from wellbeing_desktop.services import backups

        write(backups.maybe_backup, ctx, reason, older_than=age) \
            .on_error(lambda exc: window.statusBar().showMessage(
                f"The automatic backup failed: {type(exc).__name__}", 10_000)).start()

    backup("start", timedelta(hours=1))
    if window.backup_timer is None:
        timer = window.backup_timer = QTimer(window)
        timer.setInterval(60 * 60 * 1000)
        timer.timeout.connect(lambda: backup("daily", timedelta(hours=24)))
        timer.start()


def offer_secure_store(window: MainWindow, ctx: AppContext) -> None:
    """A store set up before passphrases existed: encrypt it now (the supervisor chooses a
    username and passphrase; the recovery key is shown once)."""
    from wellbeing_desktop.ui.dialogs.secure_store import SecureStoreDialog

    dialog = SecureStoreDialog(ctx, window)

    def finished(result: int) -> None:
        if result and dialog.recovery_key:
            show_recovery_key(window, ctx, dialog.recovery_key)

    dialog.finished.connect(finished)
    dialog.open()


def show_recovery_key(window: MainWindow, ctx: AppContext, key: str) -> None:
    from wellbeing_desktop.ui.dialogs.recovery_key import RecoveryKeyDialog

    RecoveryKeyDialog(key, ctx.settings.get("service_name") or "", window).open()


def offer_first_run(window: MainWindow, ctx: AppContext) -> None:
    from wellbeing_desktop.ui.dialogs.first_run import FirstRunDialog

    dialog = FirstRunDialog(ctx, window)

    def finished(result: int) -> None:
        if not result:
            return
        from wellbeing_desktop.services.demo import load_demo

        if dialog.recovery_key:
            show_recovery_key(window, ctx, dialog.recovery_key)
        start_backups(window, ctx)
        if dialog.wants_demo:
            task = write(lambda report: load_demo(ctx, progress=report))
            window.run_with_progress(task, cancellable=False)

    dialog.finished.connect(finished)
    dialog.open()


def close_down(window: MainWindow) -> None:
    """On quit (`aboutToQuit`), before the store closes: cancel the running tasks and wait for
    them, so none fails against a closed store and none reports into a window going away;
    then close the store (which records the clean shutdown)."""
    from wellbeing_desktop.ui import worker

    finished = worker.shutdown()
    ctx, window.ctx = window.ctx, None
    if ctx is not None:
        from wellbeing_desktop.services import integrity

        _anchor_on_quit(ctx)
        ctx.close()
        if finished:  # nothing was cut off: the next start need not check the file
            integrity.mark_clean_shutdown(ctx.data_dir)


def first_figures(data_dir: Path) -> FirstFigures | None:
    """On a worker: imported there, as sqlite3 and the keyring module would cost the first
    paint time."""
    from wellbeing_desktop.services.first_figures import read_first_figures

    return read_first_figures(data_dir)


def _anchor_on_quit(ctx: AppContext) -> None:
    """Where the audit chain reached, kept outside the database as the command line does when
    a command ends (services/audit.py, docs/hardening.md). On a thread of its own, as every
    store access is off the GUI thread; never stops the quit (`audit verify` says when the
    chain is not anchored)."""
    import threading

    from wellbeing_desktop.services import audit

    def run() -> None:
        try:
            audit.record_anchor(ctx)
        except Exception:  # a locked store, a full disk: the anchor is only a help
            pass

    thread = threading.Thread(target=run, name="audit-anchor", daemon=True)
    thread.start()
    thread.join(15)


def launch(data_dir: str | None, argv: Sequence[str] = ("wellbeing-desktop",)) -> MainWindow:
    """Create the app and window, start opening the store, show the window at once."""
    app = make_application(argv)
    settings = Settings.load(locations.data_dir(data_dir))
    window = MainWindow(settings)
    app.aboutToQuit.connect(lambda: close_down(window))
    from wellbeing_desktop.ui.first_paint import after_first_paint

    if locations.is_encrypted(locations.data_dir(data_dir)):
        open_in_window(window, data_dir, settings)  # the sign-in dialog, at once
    else:
        after_first_paint(window, lambda: first_figures_then_open(window, data_dir, settings))
    window.show()
    return window


def first_figures_then_open(window: MainWindow, data_dir: str | None,
                            settings: Settings) -> None:
    """Once the window has painted: read the first figures straight from the file (no
    SQLAlchemy: services/first_figures.py) on a worker while Today's page is built here, show
    them, and only then open the store. Opening imports SQLAlchemy and the models, which
    would hold the interpreter while the page is built and the figures drawn; a figure read
    that stands aside (None), fails, or is slow never holds the opening up."""
    from PySide6.QtCore import QTimer

    from wellbeing_desktop.ui.first_paint import after_first_paint

    opened = False

    def open_store() -> None:
        nonlocal opened
        if not opened:
            opened = True
            open_in_window(window, data_dir, settings)

    def show(figures: FirstFigures | None) -> None:
        shown = window.show_first_figures(figures) if figures is not None else None
        if shown is None or opened:
            open_store()
        else:
            after_first_paint(shown, open_store, fallback_ms=100)

    background(first_figures, locations.data_dir(data_dir)).on_success(show) \
        .on_error(lambda _exc: open_store()).start()
    QTimer.singleShot(500, window, open_store)  # a locked file: open anyway
    window.build_first_page()  # while the worker reads


def main(argv: Sequence[str] | None = None) -> int:
    args = list(argv) if argv is not None else sys.argv[1:]
    data_dir = None
    if "--data-dir" in args:
        i = args.index("--data-dir")
        data_dir = args[i + 1] if i + 1 < len(args) else None
    window = launch(data_dir, [sys.argv[0], *args])
    app = QApplication.instance()
    assert app is not None
    code = int(app.exec())
    del window
    return code


if __name__ == "__main__":
    raise SystemExit(main())
