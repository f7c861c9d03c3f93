"""The recovery key, shown once at set-up: print it or write it down; it is not kept."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.ui.dialogs.base import RememberingDialog


class RecoveryKeyDialog(RememberingDialog):
    geometry_key = "recovery_key"

    def __init__(self, recovery_key: str, service_name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, None)
        self.recovery_key = recovery_key
        self.service_name = service_name
        self.setObjectName("recoveryKeyDialog")
        self.setWindowTitle(self.tr("Your recovery key"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr(
            "<h2>Keep this recovery key safe</h2><p>If every supervisor forgets their "
            "passphrase, this key is the only way back into these records. It is shown "
            "<b>once</b> and is not stored on this computer. Print it or write it down, and "
            "keep it locked away, apart from the computer.</p>"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.key_label = QLabel(recovery_key)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setWeight(QFont.Weight.Bold)
        self.key_label.setFont(font)
        self.key_label.setAccessibleName(self.tr("Recovery key"))
        self.key_label.setTextInteractionFlags(self.key_label.textInteractionFlags()
                                               | self.key_label.textInteractionFlags().TextSelectableByMouse)
        layout.addWidget(self.key_label)
        self.print_button = QPushButton(self.tr("&Print…"))
        self.print_button.clicked.connect(self.print_key)
        layout.addWidget(self.print_button)
        self.confirm = QCheckBox(self.tr("I have printed or &written down the recovery key"))
        layout.addWidget(self.confirm)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.done_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.done_button.setText(self.tr("&Done"))
        self.done_button.setEnabled(False)
        self.confirm.toggled.connect(self.done_button.setEnabled)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.resize(520, 320)

    def reject(self) -> None:
        if self.confirm.isChecked():
            super().reject()

    def print_key(self) -> None:
        from PySide6.QtGui import QPainter
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
            return
        painter = QPainter(printer)
        try:
            page = printer.pageLayout().paintRectPixels(printer.resolution())
            text = (f"Wellbeing Desktop recovery key\n{self.service_name}\n\n"
                    f"{self.recovery_key}\n\nKeep this page locked away, apart from the computer.")
            painter.drawText(page, 0, text)
        finally:
            painter.end()
