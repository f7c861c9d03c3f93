"""About: version, data location and the licences of what we ship."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from wellbeing_desktop import APP_NAME, __version__
from wellbeing_desktop.resources import resource
from wellbeing_desktop.ui.dialogs.base import RememberingDialog

COMPONENTS = [
    ("Qt for Python (PySide6)", "LGPL-3.0"),
    ("SQLAlchemy, Alembic", "MIT"),
    ("ReportLab", "BSD"),
    ("pypdfium2 / PDFium", "Apache-2.0 / BSD-3-Clause"),
    ("SQLCipher (sqlcipher3)", "BSD-3-Clause / zlib"),
    ("cryptography", "Apache-2.0 or BSD"),
    ("argon2-cffi", "MIT"),
    ("orjson", "Apache-2.0 or MIT"),
    ("platformdirs", "MIT"),
    ("DejaVu fonts", "Bitstream Vera / public domain"),
    ("Noto fonts", "SIL Open Font License 1.1"),
    ("Open Referral UK data standard", "CC BY 4.0 / Open Government Licence"),
]


class AboutDialog(RememberingDialog):
    geometry_key = "about"

    def __init__(self, parent: QWidget | None, data_dir: str = "", settings=None) -> None:
        super().__init__(parent, settings)
        self.setWindowTitle(self.tr("About {0}").format(APP_NAME))
        layout = QVBoxLayout(self)
        title = QLabel(f"<h2>{APP_NAME}</h2><p>Version {__version__}</p>")
        title.setObjectName("aboutTitle")
        layout.addWidget(title)
        layout.addWidget(QLabel(self.tr(
            "Offline casework for Health and Wellbeing practitioners in NHS Talking Therapies "
            "services. It never connects to a network.")))
        if data_dir:
            where = QLabel(self.tr("Data folder: {0}").format(data_dir))
            where.setTextInteractionFlags(where.textInteractionFlags())
            layout.addWidget(where)
        layout.addWidget(QLabel(
            f"Python {platform.python_version()} · Qt for Python {pyside_version}"))
        licences = QTextBrowser()
        licences.setAccessibleName(self.tr("Licences"))
        rows = "".join(f"<tr><td>{n}</td><td>{lic}</td></tr>" for n, lic in COMPONENTS)
        fonts = resource("fonts")
        extra = ""
        if fonts.exists():
            files = sorted(p.name for p in fonts.glob("*LICEN*")) + sorted(
                p.name for p in fonts.glob("*/*LICEN*"))
            if files:
                extra = "<p>Font licence files shipped in resources/fonts: " + ", ".join(
                    files) + "</p>"
        licences.setHtml(f"<table cellpadding='3'>{rows}</table>{extra}")
        layout.addWidget(licences)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 480)
