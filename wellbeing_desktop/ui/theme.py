"""A calm, clinical look. Colours follow the NHS identity palette; sizes stay relative to the
system font so a larger system font makes the whole app larger. A dark system scheme gets a
dark variant."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_WARM_YELLOW = "#FFB81C"
NHS_RED = "#DA291C"
NHS_GREEN = "#007F3B"

LIGHT = {
    "window": "#F0F4F5", "panel": "#FFFFFF", "text": "#212B32", "muted": "#4C6272",
    "border": "#D8DDE0", "sidebar": NHS_DARK_BLUE, "sidebar_text": "#FFFFFF",
    "accent": NHS_BLUE, "accent_text": "#FFFFFF", "selection": "#CCE0F4",
    "error": "#B10E1E", "warning_bg": "#FFF4D6", "risk_bg": "#FDE8E7",
}
DARK = {
    "window": "#1B2228", "panel": "#232C33", "text": "#E8EDEE", "muted": "#AEB7BD",
    "border": "#3A4650", "sidebar": "#0B1A2E", "sidebar_text": "#E8EDEE",
    "accent": "#4C9BE8", "accent_text": "#0B1A2E", "selection": "#1F4E7A",
    "error": "#FF8A80", "warning_bg": "#4A3B10", "risk_bg": "#4A1B18",
}


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None:
        return bool(scheme() == Qt.ColorScheme.Dark)
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def colours() -> dict[str, str]:
    return DARK if is_dark() else LIGHT


def stylesheet(c: dict[str, str], base_pt: float = 10.0) -> str:
    def pt(scale: float) -> str:
        return f"{base_pt * scale:.1f}pt"

    return f"""
QMainWindow, QDialog {{ background: {c['window']}; color: {c['text']}; }}
QWidget#page {{ background: {c['window']}; }}
QLabel#pageTitle {{ font-size: {pt(1.7)}; font-weight: 600; color: {c['text']}; }}
QLabel#pageSubtitle, QLabel#muted {{ color: {c['muted']}; }}
QLabel#fieldError {{ color: {c['error']}; font-weight: 600; }}
QFrame#card {{ background: {c['panel']}; border: 1px solid {c['border']}; border-radius: 6px; }}
QLabel#cardTitle {{ font-weight: 600; font-size: {pt(1.15)}; }}
QLabel#cardFigure {{ font-size: {pt(2.2)}; font-weight: 600; color: {c['accent']}; }}
QListWidget#navigation {{
    background: {c['sidebar']}; color: {c['sidebar_text']}; border: none;
    padding-top: 8px; outline: 0;
}}
QListWidget#navigation::item {{ padding: 10px 16px; border-left: 4px solid transparent; }}
QListWidget#navigation::item:selected {{
    background: rgba(255,255,255,0.14); border-left: 4px solid {NHS_WARM_YELLOW};
    color: {c['sidebar_text']};
}}
QListWidget#navigation::item:focus {{ border: 2px solid {NHS_WARM_YELLOW}; }}
QLabel#brand {{ background: {c['sidebar']}; color: {c['sidebar_text']}; padding: 14px 16px 6px 16px;
    font-weight: 700; font-size: {pt(1.2)}; }}
QLabel#brandService {{ background: {c['sidebar']}; color: {c['sidebar_text']};
    padding: 0 16px 10px 16px; }}
QTableView {{ background: {c['panel']}; gridline-color: {c['border']};
    selection-background-color: {c['selection']}; selection-color: {c['text']};
    alternate-background-color: {c['window']}; }}
QHeaderView::section {{ background: {c['panel']}; color: {c['muted']}; padding: 6px;
    border: none; border-bottom: 2px solid {c['border']}; font-weight: 600; }}
QPushButton {{ padding: 6px 14px; border-radius: 4px; border: 1px solid {c['border']};
    background: {c['panel']}; color: {c['text']}; }}
QPushButton:focus {{ border: 2px solid {NHS_WARM_YELLOW}; }}
QPushButton#primary {{ background: {c['accent']}; color: {c['accent_text']};
    border: 1px solid {c['accent']}; font-weight: 600; }}
QLineEdit, QComboBox, QDateEdit, QSpinBox, QPlainTextEdit, QTextEdit {{
    padding: 4px; border: 1px solid {c['border']}; border-radius: 3px;
    background: {c['panel']}; color: {c['text']}; }}
QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus, QTextEdit:focus {{
    border: 2px solid {NHS_WARM_YELLOW}; }}
QFrame#riskBanner {{ background: {c['risk_bg']}; border-left: 6px solid {NHS_RED}; }}
QFrame#noticeBanner {{ background: {c['warning_bg']}; border-left: 6px solid {NHS_WARM_YELLOW}; }}
QLabel#warning {{ background: {c['warning_bg']}; border-left: 6px solid {NHS_WARM_YELLOW}; padding: 6px; }}
QStatusBar {{ background: {c['panel']}; color: {c['muted']}; }}
QListWidget#todayList {{ border: none; background: {c['panel']}; }}
QListWidget#todayList::item {{ padding: 4px 2px; border-bottom: 1px solid {c['window']}; }}
QListWidget#todayList::item:selected {{ background: {c['selection']}; color: {c['text']}; }}
"""


def apply(app: QApplication) -> None:
    app.setStyle("Fusion")
    # Sizes derive from the system font, so a larger system font enlarges everything.
    base = app.font().pointSizeF()
    app.setStyleSheet(stylesheet(colours(), base if base > 0 else 10.0))
