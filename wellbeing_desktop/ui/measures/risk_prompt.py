"""The risk prompt a measure raises (PHQ-9 item 9 above 0). It cannot be dismissed silently:
Escape and the close button do nothing until the practitioner confirms they have asked."""

from __future__ import annotations

import uuid
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.services import measures, risk
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.dialogs.base import RememberingDialog


class RiskPromptDialog(RememberingDialog):
    geometry_key = "measures_risk_prompt"

    def __init__(self, ctx: AppContext, client_id: uuid.UUID, messages: list[str],
                 administration_id: uuid.UUID | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, ctx.settings)
        self.ctx = ctx
        self.client_id = client_id
        self.administration_id = administration_id
        self.setObjectName("riskPromptDialog")
        self.setWindowTitle(self.tr("Ask about risk now"))
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        layout = QVBoxLayout(self)
        banner = QFrame()
        banner.setObjectName("riskBanner")
        inner = QVBoxLayout(banner)
        heading = QLabel(self.tr("<h3>Ask about risk now</h3>"))
        inner.addWidget(heading)
        for message in messages:
            label = QLabel(message)
            label.setWordWrap(True)
            inner.addWidget(label)
        layout.addWidget(banner)
        # The same list the documents print (national numbers if none are configured).
        lines = "".join(f"<li>{escape(c.name)}: <b>{escape(c.phone)}</b></li>"
                        for c in risk.crisis_contacts(ctx))
        crisis = QLabel(self.tr("<p>Crisis contacts to give the person:</p>") + f"<ul>{lines}</ul>")
        crisis.setWordWrap(True)
        crisis.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(crisis)
        follow = QLabel(self.tr(
            "Follow your service's risk procedure, and record what you found and what you did "
            "in the client's record."))
        follow.setWordWrap(True)
        layout.addWidget(follow)
        self.confirm = QCheckBox(self.tr("I have &asked about risk and will record what I found"))
        layout.addWidget(self.confirm)
        buttons = QDialogButtonBox()
        self.continue_button = buttons.addButton(self.tr("&Continue"),
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
        self.continue_button.setObjectName("primary")
        self.continue_button.setEnabled(False)
        self.confirm.toggled.connect(self.continue_button.setEnabled)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.confirm.setFocus()
        self.resize(520, 420)

    def accept(self) -> None:
        if not self.confirm.isChecked():
            return
        from wellbeing_desktop.ui.operations import write

        write(measures.acknowledge_risk_prompt, self.ctx, self.client_id, self.administration_id).start()
        super().accept()

    def reject(self) -> None:
        # Escape and closing the window must not make the prompt go away unseen.
        if self.confirm.isChecked():
            self.accept()
