"""The idle lock (Settings: minutes, default 10) and Ctrl+L.

Locking takes the window's content out of the window (it is kept, untouched, so unsaved
work survives), hides every other open window and the menus and status bar, and shows only
the lock screen. Unlocking needs the signed-in person's passphrase and puts everything back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop import APP_NAME
from wellbeing_desktop.ui.operations import write

if TYPE_CHECKING:
    from wellbeing_desktop.ui.main_window import MainWindow

ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
            QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class LockScreen(QWidget):
    def __init__(self, who: str, needs_passphrase: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        # The box is centred by stretches, not by an alignment flag: an aligned box gets its
        # one-line height, and at 150 % text the wrapped sentence was cut off and overlapped
        # the passphrase. Its width follows the text size.
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget()
        box.setMaximumWidth(self.fontMetrics().averageCharWidth() * 52)
        col = QVBoxLayout(box)
        title = QLabel(self.tr("Locked"))
        title.setObjectName("pageTitle")
        col.addWidget(title)
        text = QLabel(self.tr("Wellbeing Desktop is locked to keep records private.\n"
                              "Signed in: {who}").format(who=who))
        text.setWordWrap(True)
        col.addWidget(text)
        form = QFormLayout()
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        label = QLabel(self.tr("&Passphrase"))
        label.setBuddy(self.passphrase)
        if needs_passphrase:
            form.addRow(label, self.passphrase)
        col.addLayout(form)
        self.error = QLabel("")
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        col.addWidget(self.error)
        self.unlock_button = QPushButton(self.tr("&Unlock"))
        self.unlock_button.setObjectName("primary")
        self.unlock_button.setDefault(True)
        col.addWidget(self.unlock_button)
        self.passphrase.returnPressed.connect(self.unlock_button.click)
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(box, 4)
        middle.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(2)


class LockManager(QObject):
    """One per main window. `lock()` / `unlock(passphrase)`; idle time from Settings."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.locked = False
        self._content: QWidget | None = None
        self._hidden: list[QWidget] = []
        self._title = ""
        self.screen: LockScreen | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.action = QAction(self.tr("&Lock"), window)
        self.action.setShortcut(QKeySequence("Ctrl+L"))
        self.action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action.triggered.connect(self.lock)
        window.addAction(self.action)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.restart()

    def idle_minutes(self) -> float:
        settings = self.window.settings
        if settings is None:
            return 10
        try:
            return float(settings.section("security").get("idle_lock_minutes", 10))
        except (TypeError, ValueError):
            return 10

    def restart(self) -> None:
        minutes = self.idle_minutes()
        if minutes > 0 and not self.locked:
            self.timer.start(int(minutes * 60_000))
        else:
            self.timer.stop()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if not self.locked and event.type() in ACTIVITY:
            self.timer.start()  # same interval: cheap on every event
        return False

    def lock(self) -> None:
        window = self.window
        if self.locked or window.ctx is None:
            return
        self.locked = True
        self.timer.stop()
        self._hidden = [w for w in QApplication.topLevelWidgets()
                        if w.isVisible() and w is not window and w.isWindow()]
        for w in self._hidden:
            w.hide()
        self._title = window.windowTitle()
        window.setWindowTitle(APP_NAME)
        self._content = window.takeCentralWidget()
        ctx = window.ctx
        from wellbeing_desktop.services.locations import is_encrypted

        needs = is_encrypted(ctx.data_dir)
        self.screen = LockScreen(ctx.actor.name, needs)
        self.screen.unlock_button.clicked.connect(self._unlock_clicked)
        window.setCentralWidget(self.screen)
        window.menuBar().setVisible(False)
        window.statusBar().setVisible(False)
        self.screen.passphrase.setFocus()
        write(_record_lock, ctx).start()

    def _unlock_clicked(self) -> None:
        assert self.screen is not None
        self.unlock(self.screen.passphrase.text())

    def unlock(self, passphrase: str) -> None:
        if not self.locked or self.screen is None:
            return
        ctx = self.window.ctx
        self.screen.unlock_button.setEnabled(False)
        write(_unlock, ctx, passphrase).on_success(
            lambda _r: self._restore()).on_error(self._failed).start()

    def _failed(self, exc: BaseException) -> None:
        if self.screen is None:
            return
        self.screen.unlock_button.setEnabled(True)
        self.screen.passphrase.clear()
        self.screen.error.setText(str(exc))
        self.screen.error.setVisible(True)
        self.screen.passphrase.setFocus()

    def _restore(self) -> None:
        window = self.window
        screen = window.takeCentralWidget()
        if screen is not None:
            screen.deleteLater()
        self.screen = None
        if self._content is not None:
            window.setCentralWidget(self._content)
        self._content = None
        window.menuBar().setVisible(True)
        window.statusBar().setVisible(True)
        window.setWindowTitle(self._title)
        for w in self._hidden:
            w.show()
        self._hidden = []
        self.locked = False
        self.restart()


def _record_lock(ctx: Any) -> None:
    from wellbeing_desktop.services import auth

    auth.record_lock(ctx)


def _unlock(ctx: Any, passphrase: str) -> None:
    from wellbeing_desktop.services import auth

    auth.unlock(ctx, passphrase)
