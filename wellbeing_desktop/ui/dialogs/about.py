"""About: version, data location and the licences of what we ship."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from wellbeing_desktop import APP_NAME, __version__
from wellbeing_desktop.resources import resource
from wellbeing_desktop.ui.dialogs.base import RememberingDialog


def notices_text() -> str:
    """The generated third-party notices (`python -m wellbeing_desktop.licences`)."""
    path = resource("licences", "THIRD-PARTY-NOTICES.md")
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return "The third-party notices file is missing from this installation."


class AboutDialog(RememberingDialog):
    geometry_key = "about"

    def __init__(self, parent: QWidget | None, data_dir: str = "", settings=None) -> None:
        super().__init__(parent, settings)
        self.setWindowTitle(self.tr("About {0}").format(APP_NAME))
        layout = QVBoxLayout(self)
        title = QLabel(f"<h2>{APP_NAME}</h2><p>Version {__version__}</p>")
        title.setObjectName("aboutTitle")
        layout.addWidget(title)
        # Every line wraps: at 150 % text the first one alone made the dialog 1047 px wide.
        purpose = QLabel(self.tr(
            "Offline casework for Health and Wellbeing practitioners in NHS Talking Therapies "
            "services. It never connects to a network."))
        purpose.setWordWrap(True)
        layout.addWidget(purpose)
        if data_dir:
            where = QLabel(self.tr("Data folder: {0}").format(data_dir))
            where.setTextInteractionFlags(where.textInteractionFlags())
            where.setWordWrap(True)
            layout.addWidget(where)
        layout.addWidget(QLabel(
            f"Python {platform.python_version()} · Qt for Python {pyside_version}"))
        licences = QTextBrowser()
        licences.setAccessibleName(self.tr("Licences"))
        licences.setOpenExternalLinks(False)  # the app never opens the network
        # Tab went from link to link through every notice before it left (and the links
        # open nothing: the app never opens the network); arrows still scroll the text.
        licences.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                         | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        licences.setMarkdown(notices_text())
        layout.addWidget(licences)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 480)
