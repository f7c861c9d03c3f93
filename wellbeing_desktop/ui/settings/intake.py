"""Settings → Intake and letters: the service's contact rules (shown on the waiting list as the
next action, never applied by themselves) and the letterhead and signature letters carry."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from wellbeing_desktop.domain import intake
from wellbeing_desktop.services.errors import Changed
from wellbeing_desktop.ui.bus import bus
from wellbeing_desktop.ui.pages.base import card
from wellbeing_desktop.ui.settings.base import SettingsSection


class IntakeSection(SettingsSection):
    title = "Intake and letters"
    supervisor_only = True

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        rules_box = QWidget()
        form = QFormLayout(rules_box)
        self.attempts = QSpinBox()
        self.attempts.setRange(1, 10)
        self.attempts.setSuffix(" attempts")
        self.reply_days = QSpinBox()
        self.reply_days.setRange(1, 60)
        self.reply_days.setSuffix(" days")
        self.missed = QSpinBox()
        self.missed.setRange(1, 10)
        self.missed.setSuffix(" missed")
        for text, widget in (("Contact &attempts before the opt-in letter", self.attempts),
                             ("&Reply time on the opt-in letter", self.reply_days),
                             ("Offer discharge after", self.missed)):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", ""))
            form.addRow(label, widget)
        self.rules_note = QLabel("")
        self.rules_note.setObjectName("muted")
        self.rules_note.setWordWrap(True)
        form.addRow(self.rules_note)
        frame, _ = card("The service's contact rules (shown as the next action; nothing "
                        "happens without you)", rules_box)
        self.layout_.addWidget(frame)

        letters_box = QWidget()
        lform = QFormLayout(letters_box)
        self.letterhead = QPlainTextEdit()
        self.letterhead.setPlaceholderText("Kingsmere Talking Therapies\nHealth and Wellbeing "
                                           "team\n1 Mill Street, Kingsmere KM1 1AA")
        self.letterhead.setFixedHeight(90)
        self.letterhead.setTabChangesFocus(True)   # Tab moved on nowhere: it typed a tab
        self.signature = QPlainTextEdit()
        self.signature.setPlaceholderText("Leave empty: the practitioner's name and the role "
                                          "below")
        self.signature.setFixedHeight(60)
        self.signature.setTabChangesFocus(True)
        self.role = QLineEdit()
        self.role.setPlaceholderText("Health and Wellbeing Practitioner")
        fields: tuple[tuple[str, QWidget], ...] = (
            ("&Letterhead (one line each)", self.letterhead),
            ("Si&gnature (one line each)", self.signature), ("Signer's r&ole", self.role))
        for text, field in fields:
            label = QLabel(text)
            label.setBuddy(field)
            field.setAccessibleName(text.replace("&", ""))
            lform.addRow(label, field)
        frame2, box = card("Letters", letters_box)
        buttons = QHBoxLayout()
        self.saved = QLabel("")
        self.saved.setObjectName("muted")
        self.save_button = QPushButton("&Save")
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.saved)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        box.addLayout(buttons)
        self.layout_.addWidget(frame2)
        self.layout_.addStretch(1)

    def refresh(self) -> None:
        if self.ctx is None:
            return
        rules = intake.Rules.from_settings(self.ctx.settings.section("intake"))
        self.attempts.setValue(rules.attempts_before_opt_in)
        self.reply_days.setValue(rules.opt_in_reply_days)
        self.missed.setValue(rules.missed_before_discharge)
        self.rules_note.setText(rules.describe())
        letters = self.ctx.settings.section("letters")
        self.letterhead.setPlainText("\n".join(_lines(letters.get("letterhead"))))
        self.signature.setPlainText("\n".join(_lines(letters.get("signature"))))
        self.role.setText(str(letters.get("signature_role") or ""))

    def save(self) -> None:
        if self.ctx is None:
            return
        section = self.ctx.settings.section("intake")
        section.update(attempts_before_opt_in=self.attempts.value(),
                       opt_in_reply_days=self.reply_days.value(),
                       missed_before_discharge=self.missed.value())
        letters = self.ctx.settings.section("letters")
        letters["letterhead"] = _lines(self.letterhead.toPlainText())
        letters["signature"] = _lines(self.signature.toPlainText())
        letters["signature_role"] = self.role.text().strip()
        self.ctx.settings.save()
        self.rules_note.setText(intake.Rules.from_settings(section).describe())
        self.saved.setText("Saved.")
        bus().announce(Changed.of("settings"))


def _lines(value: object) -> list[str]:
    if isinstance(value, str):
        return [x.strip() for x in value.splitlines() if x.strip()]
    if isinstance(value, list):
        return [str(x).strip() for x in value if str(x).strip()]
    return []


SECTION = IntakeSection
