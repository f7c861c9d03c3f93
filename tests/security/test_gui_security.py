"""Sign-in dialog, the lock, and the security settings, through real widgets."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit, QWidget
from sec_helpers import PASS_SAM

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.main_window import MainWindow


def _visible_text() -> str:
    """Every piece of text a person could see in any visible window, item views included."""
    parts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        parts.append(top.windowTitle())
        for w in [top, *top.findChildren(QWidget)]:
            if not w.isVisible():
                continue
            if isinstance(w, QLabel | QLineEdit):
                parts.append(w.text())
            if isinstance(w, QAbstractItemView) and w.model() is not None:
                m = w.model()
                try:
                    columns = m.columnCount(QModelIndex())
                except TypeError:  # list models keep columnCount private
                    columns = 1
                for r in range(min(m.rowCount(QModelIndex()), 500)):
                    for c in range(columns):
                        parts.append(str(m.index(r, c).data() or ""))
    return "\n".join(parts)


@pytest.mark.safety
def test_lock_hides_every_client_and_unlock_restores_unsaved_work(qtbot, secure_ctx: AppContext,  # type: ignore[no-untyped-def]
                                                                  immediate_tasks) -> None:
    from wellbeing_desktop.services.demo import load_demo

    load_demo(secure_ctx, seed=7, today=date(2026, 11, 24))
    window = MainWindow(secure_ctx.settings)
    qtbot.addWidget(window)
    window.show()
    window.attach(secure_ctx)
    page = window.show_page("clients")
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=10_000)
    names = ["Zebediah", "Quillfeather"]
    assert any(n in _visible_text() for n in names)  # the list shows the client before locking
    window.show_page("settings")
    general = window.pages["settings"].sections[0]
    general.service_name.setText("Typed but not saved")
    window.lock.lock()
    assert window.lock.locked
    window.grab()
    seen = _visible_text()
    for n in names:
        assert n not in seen
    assert "Typed but not saved" not in seen
    window.lock.unlock("wrong passphrase")
    assert window.lock.locked
    assert "not right" in window.lock.screen.error.text()
    window.lock.unlock(PASS_SAM)
    assert not window.lock.locked
    assert window.current_page().key == "settings"
    assert general.service_name.text() == "Typed but not saved"


@pytest.mark.safety
def test_ctrl_l_and_idle_time_lock(qtbot, secure_ctx: AppContext, immediate_tasks) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    window = MainWindow(secure_ctx.settings)
    qtbot.addWidget(window)
    window.show()
    window.attach(secure_ctx)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.lock.locked
    window.lock.unlock(PASS_SAM)
    assert not window.lock.locked
    secure_ctx.settings.section("security")["idle_lock_minutes"] = 0.002  # about 0.1 s
    window.lock.restart()
    qtbot.waitUntil(lambda: window.lock.locked, timeout=3000)
    from wellbeing_desktop.services import audit

    actions = [e.action for e in audit.list_events(secure_ctx, limit=10)]
    assert actions.count("lock") == 2 and "unlock" in actions


def test_login_dialog_shows_a_clear_error_then_signs_in(qtbot, secure_ctx: AppContext,  # type: ignore[no-untyped-def]
                                                        immediate_tasks) -> None:
    from wellbeing_desktop.ui.dialogs.login import LoginDialog

    data_dir, settings = secure_ctx.data_dir, secure_ctx.settings
    secure_ctx.close()
    dialog = LoginDialog(data_dir, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("sam")
    dialog.passphrase.setText("wrong one entirely")
    dialog.accept()
    assert dialog.isVisible()
    assert dialog.error.text() == "That username or passphrase is not right."
    assert dialog.username.text() == "sam" and dialog.passphrase.text() == ""
    got: list[AppContext] = []
    dialog.signed_in.connect(got.append)
    dialog.passphrase.setText(PASS_SAM)
    dialog.accept()
    assert got and got[0].actor.name == "Sam Okoye"
    assert not dialog.isVisible()
    got[0].close()


def test_security_settings_add_user_back_up_and_audit_viewer(qtbot, secure_ctx: AppContext,  # type: ignore[no-untyped-def]
                                                             immediate_tasks, tmp_path,
                                                             qtmodeltester) -> None:
    from wellbeing_desktop.services import accounts
    from wellbeing_desktop.ui.dialogs.audit_viewer import AuditViewerDialog
    from wellbeing_desktop.ui.settings.security import SecuritySection

    section = SecuritySection()
    qtbot.addWidget(section)
    section.show()
    section.attach(secure_ctx)
    assert section.user_list.count() == 2
    section.new_name.setText("Imran Qureshi")
    section.new_username.setText("imran")
    section.new_pass_user.setText("short")
    section.add_user()
    assert "10 characters" in section.user_errors._labels["passphrase"].text()
    assert section.new_name.text() == "Imran Qureshi"  # kept what was typed
    section.new_pass_user.setText("river crossing evening")
    section.new_pass_user2.setText("river crossing evening")
    section.add_user()
    assert section.user_list.count() == 3
    assert "imran" in {u.username for u in accounts.list_users(secure_ctx)}
    section.backup_now()
    assert section.backup_list.count() >= 1
    section.idle.setValue(5)
    section.save_idle()
    assert secure_ctx.settings.section("security")["idle_lock_minutes"] == 5
    section.backup_list.setCurrentRow(0)
    section.restore(tmp_path / "nothing.sqlite3", confirm=False)
    assert "no such file" in section.backup_note.text()
    viewer = AuditViewerDialog(secure_ctx)
    qtbot.addWidget(viewer)
    viewer.show()
    assert viewer.model.rowCount() >= 3
    viewer.verify()
    assert "intact" in viewer.status.text()
    qtmodel = viewer.model
    qtmodeltester.check(qtmodel)
    assert qtmodel.data(qtmodel.index(0, 3)) in {"backup", "user_added", "settings.change"}
    viewer.grab().save(str(tmp_path / "audit.png"))
    assert not section.grab().isNull()  # painted (look at it by saving it)
    assert not viewer.grab().isNull()  # painted (look at it by saving it)
