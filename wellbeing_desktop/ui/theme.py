"""A calm, clinical look. Colours follow the NHS identity palette; sizes stay relative to the
system font so a larger system font makes the whole app larger. The system's scheme is
followed live: dark or light as it changes, and a high-contrast setting (Windows high
contrast) takes its colours from the system palette instead of ours.

Interface components need 3:1 against what is around them (WCAG 2.2, 1.4.11): the focus ring
and the borders of fields and buttons are checked against the window and panel colours of
every scheme (`contrast_ratio`, tests/access/test_access_theme.py)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

NHS_BLUE = "#005EB8"
NHS_DARK_BLUE = "#003087"
NHS_WARM_YELLOW = "#FFB81C"
NHS_RED = "#DA291C"
NHS_GREEN = "#007F3B"
NHS_FOCUS_TEXT = "#0B0C0C"

# "border" is decoration (cards, grid lines); "field_border" outlines what can be used
# (fields, buttons, answer rows) and "focus" rings what has the keyboard: those two are the
# ones held to 3:1. The NHS yellow ring was 1.6:1 on white: in light, the NHS focus black.
LIGHT = {
    "window": "#F0F4F5", "panel": "#FFFFFF", "text": "#212B32", "muted": "#4C6272",
    "border": "#D8DDE0", "field_border": "#4C6272", "focus": NHS_FOCUS_TEXT,
    "sidebar": NHS_DARK_BLUE, "sidebar_text": "#FFFFFF", "sidebar_focus": NHS_WARM_YELLOW,
    "accent": NHS_BLUE, "accent_text": "#FFFFFF", "selection": "#CCE0F4",
    "selection_text": "#212B32",
    "error": "#B10E1E", "warning_bg": "#FFF4D6", "risk_bg": "#FDE8E7",
    "warning_edge": NHS_WARM_YELLOW, "risk_edge": NHS_RED,
}
DARK = {
    "window": "#1B2228", "panel": "#232C33", "text": "#E8EDEE", "muted": "#AEB7BD",
    "border": "#3A4650", "field_border": "#7A8A95", "focus": NHS_WARM_YELLOW,
    "sidebar": "#0B1A2E", "sidebar_text": "#E8EDEE", "sidebar_focus": NHS_WARM_YELLOW,
    "accent": "#4C9BE8", "accent_text": "#0B1A2E", "selection": "#1F4E7A",
    "selection_text": "#E8EDEE",
    "error": "#FF8A80", "warning_bg": "#4A3B10", "risk_bg": "#4A1B18",
    "warning_edge": NHS_WARM_YELLOW, "risk_edge": NHS_RED,
}


def relative_luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour ("#RRGGBB")."""
    c = QColor(colour)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
            + 0.0722 * channel(c.blueF()))


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class _Scheme(QObject):
    """What the system asks for: dark or light, and high contrast. Kept here because the
    change signals carry the new value (the platform may answer "unknown" when asked)."""

    def __init__(self, app: QGuiApplication) -> None:
        super().__init__(app)
        hints = QGuiApplication.styleHints()
        self.scheme = hints.colorScheme()
        self.high_contrast = (hints.accessibility().contrastPreference()
                              == Qt.ContrastPreference.HighContrast)
        hints.colorSchemeChanged.connect(self._scheme_changed)
        hints.accessibility().contrastPreferenceChanged.connect(self._contrast_changed)

    def _scheme_changed(self, scheme: Qt.ColorScheme) -> None:
        self.scheme = scheme
        self._reapply()

    def _contrast_changed(self, preference: Qt.ContrastPreference) -> None:
        self.high_contrast = preference == Qt.ContrastPreference.HighContrast
        self._reapply()

    def _reapply(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply(app)


_watcher: _Scheme | None = None


def _scheme() -> _Scheme | None:
    app = QGuiApplication.instance()
    if _watcher is None or app is None or _watcher.parent() is not app:
        return None
    return _watcher


def is_high_contrast() -> bool:
    watcher = _scheme()
    return watcher is not None and watcher.high_contrast


def is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    if is_high_contrast():
        return relative_luminance(_system_palette().color(QPalette.ColorRole.Window).name()) < 0.2
    watcher = _scheme()
    scheme = watcher.scheme if watcher is not None else \
        QGuiApplication.styleHints().colorScheme()
    if scheme != Qt.ColorScheme.Unknown:
        return bool(scheme == Qt.ColorScheme.Dark)
    return _system_palette().color(QPalette.ColorRole.Window).lightness() < 128


_SYSTEM_PALETTE: QPalette | None = None


def _system_palette() -> QPalette:
    """The palette the system gave (ours replaces the application's own)."""
    return _SYSTEM_PALETTE if _SYSTEM_PALETTE is not None else QGuiApplication.palette()


def high_contrast_colours(palette: QPalette) -> dict[str, str]:
    """Every colour from the system's high-contrast palette, nothing of ours: the person chose
    those colours. The focus ring is the highlight colour, or the text colour when the
    highlight would not stand 3:1 against the window or the fields."""
    def role(r: QPalette.ColorRole) -> str:
        return palette.color(r).name()

    window, base, text = (role(QPalette.ColorRole.Window), role(QPalette.ColorRole.Base),
                          role(QPalette.ColorRole.WindowText))
    highlight = role(QPalette.ColorRole.Highlight)
    focus = highlight if min(contrast_ratio(highlight, window),
                             contrast_ratio(highlight, base)) >= 3 else text
    return {
        "window": window, "panel": base, "text": text, "muted": text, "border": text,
        "field_border": text, "focus": focus, "sidebar": window, "sidebar_text": text,
        "sidebar_focus": focus, "accent": highlight,
        "accent_text": role(QPalette.ColorRole.HighlightedText), "selection": highlight,
        "selection_text": role(QPalette.ColorRole.HighlightedText),
        "error": text, "warning_bg": window, "risk_bg": window, "warning_edge": text,
        "risk_edge": text,
    }


def colours() -> dict[str, str]:
    if is_high_contrast():
        return high_contrast_colours(_system_palette())
    return DARK if is_dark() else LIGHT


def stylesheet(c: dict[str, str], base_pt: float = 10.0) -> str:
    def pt(scale: float) -> str:
        return f"{base_pt * scale:.1f}pt"

    def px(scale: float) -> str:   # sub-controls take pixels only: points at 96 dpi
        return f"{round(base_pt * scale * 96 / 72)}px"

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
    background: rgba(255,255,255,0.14); border-left: 4px solid {c['sidebar_focus']};
    color: {c['sidebar_text']};
}}
QListWidget#navigation::item:focus {{ border: 2px solid {c['sidebar_focus']}; }}
QLabel#brand {{ background: {c['sidebar']}; color: {c['sidebar_text']}; padding: 14px 16px 6px 16px;
    font-weight: 700; font-size: {pt(1.2)}; }}
QLabel#brandService {{ background: {c['sidebar']}; color: {c['sidebar_text']};
    padding: 0 16px 10px 16px; }}
QTableView {{ background: {c['panel']}; gridline-color: {c['border']};
    selection-background-color: {c['selection']}; selection-color: {c['selection_text']};
    alternate-background-color: {c['window']}; }}
QHeaderView::section {{ background: {c['panel']}; color: {c['muted']}; padding: 6px;
    border: none; border-bottom: 2px solid {c['border']}; font-weight: 600; }}
QPushButton {{ padding: 6px 14px; border-radius: 4px; border: 1px solid {c['field_border']};
    background: {c['panel']}; color: {c['text']}; }}
QPushButton:focus {{ border: 3px solid {c['focus']}; }}
QPushButton#primary {{ background: {c['accent']}; color: {c['accent_text']};
    border: 1px solid {c['accent']}; font-weight: 600; }}
QPushButton#primary:focus {{ border: 3px solid {c['focus']}; }}
QCheckBox:focus, QRadioButton:focus {{ border: 2px solid {c['focus']}; }}
QTabBar::tab:focus {{ border: 2px solid {c['focus']}; }}
QLineEdit, QComboBox, QDateEdit, QSpinBox, QPlainTextEdit, QTextEdit {{
    padding: 4px; border: 1px solid {c['field_border']}; border-radius: 3px;
    background: {c['panel']}; color: {c['text']}; }}
QLineEdit:focus, QComboBox:focus, QDateEdit:focus, QSpinBox:focus, QPlainTextEdit:focus,
QTextEdit:focus {{ border: 2px solid {c['focus']}; }}
QAbstractItemView:focus {{ border: 2px solid {c['focus']}; }}
/* Spin buttons as wide as the text is tall (they were a few pixels at 150 % text). Only
   the width: a styled button or arrow loses the arrow the system style draws in the
   palette's colours (light and dark alike). */
QSpinBox::up-button, QSpinBox::down-button, QDoubleSpinBox::up-button,
QDoubleSpinBox::down-button {{ width: {px(1.6)}; }}
QFrame#itemRow {{ border: 1px solid {c['field_border']}; border-radius: 4px; }}
QFrame#itemRow:focus {{ border: 3px solid {c['focus']}; }}
QFrame#riskBanner {{ background: {c['risk_bg']}; border-left: 6px solid {c['risk_edge']}; }}
QFrame#noticeBanner {{ background: {c['warning_bg']}; border-left: 6px solid {c['warning_edge']}; }}
QLabel#warning {{ background: {c['warning_bg']}; border-left: 6px solid {c['warning_edge']}; padding: 6px; }}
QStatusBar {{ background: {c['panel']}; color: {c['muted']}; }}
QListWidget#todayList {{ border: none; background: {c['panel']}; }}
QListWidget#todayList::item {{ padding: 4px 2px; border-bottom: 1px solid {c['window']}; }}
QListWidget#todayList::item:selected {{ background: {c['selection']};
    color: {c['selection_text']}; }}
"""


def palette_for(c: dict[str, str]) -> QPalette:
    """Our colours as a palette, so widgets the stylesheet does not name follow the scheme."""
    p = QPalette()
    for role, key in ((QPalette.ColorRole.Window, "window"), (QPalette.ColorRole.Base, "panel"),
                      (QPalette.ColorRole.AlternateBase, "window"),
                      (QPalette.ColorRole.WindowText, "text"), (QPalette.ColorRole.Text, "text"),
                      (QPalette.ColorRole.Button, "panel"), (QPalette.ColorRole.ButtonText, "text"),
                      (QPalette.ColorRole.ToolTipBase, "panel"),
                      (QPalette.ColorRole.ToolTipText, "text"),
                      (QPalette.ColorRole.PlaceholderText, "muted"),
                      (QPalette.ColorRole.Highlight, "accent"),
                      (QPalette.ColorRole.HighlightedText, "accent_text"),
                      (QPalette.ColorRole.Link, "accent")):
        p.setColor(role, QColor(c[key]))
    return p


def apply(app: QApplication, base_pt: float | None = None) -> None:
    """Style the application for the system's current scheme; called again, live, whenever
    the system switches between dark and light or turns high contrast on or off. `base_pt`
    changes the text size everything is relative to (the self-test's 150 % text run)."""
    global _watcher, _SYSTEM_PALETTE
    if _watcher is None or _watcher.parent() is not app:
        _SYSTEM_PALETTE = QPalette(app.palette())
        _watcher = _Scheme(app)
        # Sizes derive from the system font, so a larger system font enlarges everything.
        app.setProperty("wellbeingBasePt", app.font().pointSizeF())
    if base_pt is not None:
        app.setProperty("wellbeingBasePt", base_pt)
    if not app.property("wellbeingStyleSet"):  # (ui/app.make_application names it)
        app.setStyle("Fusion")
    c = colours()
    assert _SYSTEM_PALETTE is not None
    app.setPalette(_SYSTEM_PALETTE if is_high_contrast() else palette_for(c))
    base = float(app.property("wellbeingBasePt") or 0)
    app.setStyleSheet(stylesheet(c, base if base > 0 else 10.0))
    app.setProperty("wellbeingScheme", "high-contrast" if is_high_contrast() else
                    "dark" if is_dark() else "light")
