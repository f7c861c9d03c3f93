"""The main window: composes the navigation, the pages and the status bar. Nothing else.

It paints before anything heavy is imported (DESIGN §9): pages, and through them
SQLAlchemy and the services, are imported when the store has been opened in a worker.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop import APP_NAME
from wellbeing_desktop.services.errors import Changed, Entity
from wellbeing_desktop.services.settings import Settings
from wellbeing_desktop.ui.bus import bus
from wellbeing_desktop.ui.operations import Op

if TYPE_CHECKING:
    from wellbeing_desktop.services.app import AppContext
    from wellbeing_desktop.services.first_figures import FirstFigures
    from wellbeing_desktop.ui.pages.base import Page

# (key, title, module under wellbeing_desktop.ui.pages, class)
PAGE_SPECS: tuple[tuple[str, str, str, str], ...] = (
    ("today", "Today", "today", "TodayPage"),
    ("clients", "Clients", "clients", "ClientsPage"),
    ("waiting", "Waiting list", "waiting", "WaitingListPage"),
    ("directory", "Directory", "directory", "DirectoryPage"),
    ("reports", "Reports", "reports", "ReportsPage"),
    ("sync", "Sync", "sync", "SyncPage"),
    ("settings", "Settings", "settings", "SettingsPage"),
)


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.ctx: AppContext | None = None
        self.setWindowTitle(APP_NAME)
        self.setObjectName("mainWindow")
        self.resize(1180, 760)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        side = QWidget()
        side.setFixedWidth(220)
        side_col = QVBoxLayout(side)
        side_col.setContentsMargins(0, 0, 0, 0)
        side_col.setSpacing(0)
        brand = QLabel(APP_NAME)
        brand.setObjectName("brand")
        self.service_label = QLabel("Opening your records…")
        self.service_label.setObjectName("brandService")
        self.service_label.setWordWrap(True)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Navigation")
        side_col.addWidget(brand)
        side_col.addWidget(self.service_label)
        side_col.addWidget(self.nav, 1)
        side.setStyleSheet("")
        self.stack = QStackedWidget()
        row.addWidget(side)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.pages: dict[str, Page] = {}
        for number, (key, title, _module, _cls) in enumerate(PAGE_SPECS, start=1):
            waiting = QLabel("Opening your records…")
            waiting.setAlignment(Qt.AlignmentFlag.AlignCenter)
            waiting.setObjectName("muted")
            self.stack.addWidget(waiting)
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{title} (Ctrl+{number})")
            self.nav.addItem(item)
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _c=False, k=key: self.show_page(k))
            self.addAction(action)
        self.nav.currentRowChanged.connect(self._on_navigate)
        self.nav.setCurrentRow(0)

        self.backup_timer: QTimer | None = None  # the daily backup, once records are open
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(280)
        self.progress.setVisible(False)
        self.progress.setAccessibleName("Progress")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the work in progress")
        self.cancel_button.setVisible(False)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.statusBar().showMessage("Opening your records…")
        self._build_menus()
        bus().data_changed.connect(self._on_data_changed)
        self._restore_geometry()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.file_menu = file_menu
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About Wellbeing Desktop", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def build_pages(self, keys: Iterable[str] | None = None) -> None:
        """Replace placeholders with the real pages (all, or those named), giving each the
        open store. Building a page imports the services behind it, so start-up builds only
        the visible page and the others after Today's first data (`build_remaining`)."""
        wanted = None if keys is None else set(keys)
        for index, (key, _title, module, cls) in enumerate(PAGE_SPECS):
            if key in self.pages or (wanted is not None and key not in wanted):
                continue
            page_cls = getattr(importlib.import_module(f"wellbeing_desktop.ui.pages.{module}"), cls)
            page = page_cls()
            self.pages[key] = page
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, _scrolling(page))
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            if self.ctx is not None:
                page.attach(self.ctx)
        self.stack.setCurrentIndex(max(0, self.nav.currentRow()))

    def build_first_page(self) -> None:
        """Build Today before the store is open (it needs none), when it is the page shown."""
        if PAGE_SPECS[max(0, self.nav.currentRow())][0] == "today" and "today" not in self.pages:
            self.build_pages(["today"])

    def show_first_figures(self, figures: FirstFigures | None) -> QWidget | None:
        """Figures read before the store opened: show them on Today (built if need be),
        unless the records are already shown. Returns the widget that shows them, or None
        when they were not shown."""
        if figures is None or PAGE_SPECS[max(0, self.nav.currentRow())][0] != "today":
            return None
        self.build_first_page()
        show = getattr(self.pages["today"], "show_first_figures", None)
        return show(figures) if show is not None else None

    def build_remaining(self) -> None:
        """Build the pages not built yet, one per turn of the event loop (the window stays
        responsive)."""
        missing = [key for key, *_ in PAGE_SPECS if key not in self.pages]
        if not missing or self.ctx is None:
            return
        self.build_pages(missing[:1])
        QTimer.singleShot(0, self.build_remaining)

    def _on_navigate(self, row: int) -> None:
        if row < 0:
            return
        key = PAGE_SPECS[row][0]
        if self.ctx is not None and key not in self.pages:
            self.build_pages([key])
        self.stack.setCurrentIndex(row)

    def attach(self, ctx: AppContext, *, lazy: bool = False) -> None:
        """Give the pages the open store; the visible page loads at once, others when shown.
        With `lazy`, only the visible page is built now (see `build_pages`)."""
        self.ctx = ctx
        self.settings = ctx.settings
        self._install_lock()
        visible = PAGE_SPECS[max(0, self.nav.currentRow())][0]
        already = set(self.pages)
        self.build_pages([visible] if lazy else None)
        self._update_brand()
        for key, page in self.pages.items():
            if key in already:  # new pages were attached as they were built
                page.attach(ctx)
        self.statusBar().showMessage("Ready", 3000)

    def _install_lock(self) -> None:
        """Idle lock and Ctrl+L (ui/lock.py), once records are open."""
        if getattr(self, "lock", None) is None:
            from wellbeing_desktop.ui.lock import LockManager

            self.lock = LockManager(self)
            self.file_menu.insertAction(self.file_menu.actions()[0], self.lock.action)
        else:
            self.lock.restart()

    def _update_brand(self) -> None:
        if self.ctx is None:
            return
        name = self.ctx.settings.get("service_name") or "Health and Wellbeing"
        who = self.ctx.actor.name if self.ctx.actor.id else ""
        self.service_label.setText(name + (f"\n{who}" if who else ""))

    def run_with_progress(self, task: Op[Any], *, cancellable: bool = True) -> Op[Any]:
        """Start `task` with progress (and a Cancel button) in the status bar."""
        task.with_progress(self.progress, self.statusBar())
        if cancellable:
            self.cancel_button.setVisible(True)
            self.cancel_button.setEnabled(True)

            def cancel() -> None:
                self.cancel_button.setEnabled(False)
                self.statusBar().showMessage("Stopping…")
                task.cancel()

            self.cancel_button.clicked.connect(cancel)

            def finished() -> None:
                self.cancel_button.setVisible(False)
                self.cancel_button.clicked.disconnect(cancel)

            task.on_done(finished)
        return task.start()

    def show_page(self, key: str) -> Page | None:
        index = next(i for i, spec in enumerate(PAGE_SPECS) if spec[0] == key)
        self.nav.setCurrentRow(index)
        return self.pages.get(key)

    def current_page(self) -> Page:
        key = PAGE_SPECS[self.stack.currentIndex()][0]
        if key not in self.pages:
            self.build_pages([key])
        return self.pages[key]

    def show_about(self) -> None:
        from wellbeing_desktop.ui.dialogs.about import AboutDialog

        data_dir = str(self.ctx.data_dir) if self.ctx else ""
        AboutDialog(self, data_dir, self.settings).open()

    def _on_data_changed(self, changed: Changed) -> None:
        if changed.entities & {Entity.SETTINGS, Entity.PRACTITIONER}:
            self._update_brand()
        for page in self.pages.values():
            page.on_data_changed(changed)

    def _restore_geometry(self) -> None:
        if self.settings is None:
            return
        saved = self.settings.section("ui").get("geometry", {}).get("main")
        if saved:
            self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii")))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.settings is not None:
            geometry = self.settings.section("ui").setdefault("geometry", {})
            geometry["main"] = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
            try:
                self.settings.save()
            except OSError:
                pass  # closing must not fail because the settings folder vanished
        super().closeEvent(event)


def _scrolling(page: QWidget) -> QScrollArea:
    """A page taller or wider than the window scrolls instead of growing the window: on a
    1366 x 768 clinic laptop every page must fit the screen."""
    area = QScrollArea()
    area.setObjectName("pageScroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(page)
    return area
