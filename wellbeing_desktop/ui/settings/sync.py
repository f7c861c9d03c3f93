"""Sync settings: the central records team's public key that exports are encrypted to."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from wellbeing_desktop.services import sync
from wellbeing_desktop.services.errors import Changed, ValidationError
from wellbeing_desktop.ui.forms import FieldErrors
from wellbeing_desktop.ui.operations import Op, read, write
from wellbeing_desktop.ui.pages.base import card
from wellbeing_desktop.ui.settings.base import SettingsSection


class SyncSection(SettingsSection):
    title = "Sync"
    supervisor_only = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form_box = QWidget()
        form = QFormLayout(form_box)
        self.key = QLineEdit()
        self.key.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.key.setPlaceholderText("wellbeing-x25519:…")
        self.errors = FieldErrors()
        self.errors.add_row(form, "Central &public key", "central_public_key", self.key)
        self.fingerprint = QLabel("")
        self.fingerprint.setObjectName("muted")
        self.fingerprint.setAccessibleName("Key fingerprint")
        form.addRow("", self.fingerprint)
        explain = QLabel(
            "The central records team gives you this key (made with the command “wellbeing central keygen”). "
            "Exports are encrypted to it, so a lost USB stick shows nothing to anyone else. "
            "Before saving, check the fingerprint shown here with the central records team "
            "(for example by phone): a key from anyone else would let them read your exports.")
        explain.setWordWrap(True)
        explain.setObjectName("muted")
        buttons = QHBoxLayout()
        self.load_button = QPushButton("&Load from a file…")
        self.load_button.clicked.connect(self.choose_file)
        self.save_button = QPushButton("&Save key")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        self.saved = QLabel("")
        self.saved.setObjectName("muted")
        buttons.addWidget(self.saved)
        buttons.addStretch(1)
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.save_button)
        frame, box = card("Central records", form_box)
        box.addWidget(explain)
        box.addLayout(buttons)
        self.layout_.addWidget(frame)
        self.layout_.addStretch(1)
        self.key.textEdited.connect(lambda _t: self.saved.clear())

    def refresh(self) -> None:
        if self.ctx is None:
            return
        read(sync.central_key_text, self.ctx).on_success(self._loaded).parent(self).start()

    def _loaded(self, text: str) -> None:
        self.key.setText(text)
        self._show_fingerprint(text)

    def _show_fingerprint(self, text: str) -> None:
        from wellbeing_desktop.sync import crypto

        try:
            value = crypto.fingerprint(crypto.parse_public_key(text)) if text else ""
        except crypto.BundleError:
            value = ""
        self.fingerprint.setText(f"Fingerprint: {value}" if value else "No key set.")

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Central public key", "",
                                              "Key files (*.txt *.pem *.pub);;All files (*)")
        if name:
            try:
                self.key.setText(Path(name).read_text(encoding="ascii", errors="replace").strip())
            except OSError as exc:
                self.errors.show(ValidationError([sync.FieldProblem(
                    "central_public_key", f"Cannot read {name}: {exc.strerror}.")]))

    def save(self) -> Op[Changed] | None:
        """Save the key on the write pool; a bad key is shown under the field, as typed."""
        if self.ctx is None:
            return None
        self.saved.clear()

        def done(_changed: Changed) -> None:
            self.refresh()
            self.saved.setText("Saved.")

        return (write(sync.set_central_key, self.ctx, self.key.text())
                .fields(self.errors).parent(self).on_success(done).start())


SECTION = SyncSection
