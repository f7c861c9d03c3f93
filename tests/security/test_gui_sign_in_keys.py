"""The sign-in by keyboard and for someone who forgot their passphrase (issue 18): Quit and
Escape leave; the hint speaks of the recovery key and a supervisor, not a command; the
recovery key sets a new passphrase and signs in from the dialog itself."""

from __future__ import annotations

from PySide6.QtCore import Qt

from wellbeing_desktop.services.app import AppContext


def _login(qtbot, secure_ctx: AppContext):  # type: ignore[no-untyped-def]
    from wellbeing_desktop.ui.dialogs.login import LoginDialog

    data_dir, settings = secure_ctx.data_dir, secure_ctx.settings
    secure_ctx.close()
    dialog = LoginDialog(data_dir, settings)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_escape_and_quit_leave_the_sign_in(qtbot, secure_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    dialog = _login(qtbot, secure_ctx)
    with qtbot.waitSignal(dialog.quit_requested, timeout=1000):
        qtbot.keyClick(dialog.username, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    dialog.show()
    with qtbot.waitSignal(dialog.quit_requested, timeout=1000):
        qtbot.mouseClick(dialog.quit_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_the_forgotten_passphrase_hint_is_plain_words(qtbot, secure_ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    dialog = _login(qtbot, secure_ctx)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "recovery key" in text and "supervisor" in text
    assert "wellbeing recover" not in text and "<i>" not in text


def test_the_recovery_key_sets_a_new_passphrase_and_signs_in(qtbot, secure_ctx: AppContext,  # type: ignore[no-untyped-def]
                                                             immediate_tasks) -> None:
    from wellbeing_desktop.services import auth

    key = secure_ctx.recovery_key  # type: ignore[attr-defined]
    data_dir = secure_ctx.data_dir
    dialog = _login(qtbot, secure_ctx)
    dialog.username.setText("sam")
    dialog.recover()
    recovery = dialog.recovery
    assert recovery is not None and recovery.username.text() == "sam"
    recovery.key.setText("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH")
    recovery.new.setText("a brand new passphrase for sam")
    recovery.repeat.setText("a brand new passphrase for sam")
    recovery.accept()
    assert recovery.isVisible()                       # the wrong key: said under the field
    assert recovery.errors._labels["recovery_key"].isVisible()
    assert recovery.new.text() == "a brand new passphrase for sam"   # what was typed stays
    recovery.key.setText(key)
    recovery.repeat.setText("not the same")
    recovery.accept()
    assert recovery.errors._labels["confirm_passphrase"].isVisible()
    recovery.repeat.setText("a brand new passphrase for sam")
    signed: list[AppContext] = []
    dialog.signed_in.connect(signed.append)
    recovery.accept()
    assert signed and not dialog.isVisible() and not recovery.isVisible()
    signed[0].close()
    auth.login(data_dir, "sam", "a brand new passphrase for sam").close()
