"""Issue 18: the Session dialog's Length spin box had arrows a few pixels wide at 150 % text
(the theme's field padding squeezed them); its buttons now grow with the text and the
system style still draws their arrows."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionSpinBox

from wellbeing_desktop.ui import selftest_layout as audit


def _button_width(box: Any) -> int:
    return box.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, _option(box),
                                      QStyle.SubControl.SC_SpinBoxUp, box).width()


def test_the_length_arrows_grow_with_the_text(qtbot: Any, ctx: Any, immediate_tasks: None) -> None:
    from wellbeing_desktop.services import clients
    from wellbeing_desktop.ui import theme
    from wellbeing_desktop.ui.casework.session_dialog import SessionDialog

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app)
    person = clients.create_client(ctx, clients.ClientInput("Amelia", "Hughes"))
    dialog = SessionDialog(ctx, person.id)
    dialog.confirm_discard = lambda: True
    qtbot.addWidget(dialog)
    dialog.show()
    box = dialog.minutes
    for scale in (1.0, 1.5):
        with audit.text_scale(scale, dialog):
            line = box.fontMetrics().height()
            assert _button_width(box) >= line, scale        # at least a line's height wide
            image = box.grab().toImage()
            rect = box.style().subControlRect(QStyle.ComplexControl.CC_SpinBox,
                                              _option(box), QStyle.SubControl.SC_SpinBoxUp, box)
            colours = {image.pixelColor(x, y).name()
                       for x in range(rect.left() + 2, rect.right() - 1)
                       for y in range(rect.top() + 2, rect.bottom() - 1)}
            assert len(colours) >= 2, scale     # an arrow is drawn on the button, not a blank


def _option(box: Any) -> QStyleOptionSpinBox:
    opt = QStyleOptionSpinBox()
    box.initStyleOption(opt)
    return opt
