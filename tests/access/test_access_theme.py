"""Contrast of what can be used (3:1, WCAG 2.2 1.4.11) in every scheme, measured on the pixels
the real widgets paint; the live switch between dark and light and into high contrast."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget

from wellbeing_desktop.ui import theme

# Windows' own high-contrast themes ("Night sky" / "High Contrast Black", and "Desert" /
# "High Contrast White"), as the palette Qt receives from the system.
HC_BLACK = {QPalette.ColorRole.Window: "#000000", QPalette.ColorRole.Base: "#000000",
            QPalette.ColorRole.WindowText: "#FFFFFF", QPalette.ColorRole.Text: "#FFFFFF",
            QPalette.ColorRole.Highlight: "#1AEBFF", QPalette.ColorRole.HighlightedText: "#000000",
            QPalette.ColorRole.Button: "#000000", QPalette.ColorRole.ButtonText: "#FFFFFF"}
HC_WHITE = {QPalette.ColorRole.Window: "#FFFFFF", QPalette.ColorRole.Base: "#FFFFFF",
            QPalette.ColorRole.WindowText: "#000000", QPalette.ColorRole.Text: "#000000",
            QPalette.ColorRole.Highlight: "#37006E", QPalette.ColorRole.HighlightedText: "#FFFFFF",
            QPalette.ColorRole.Button: "#FFFFFF", QPalette.ColorRole.ButtonText: "#000000"}


def _palette(roles: dict[QPalette.ColorRole, str]) -> QPalette:
    palette = QPalette()
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    return palette


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """The app styled as at start; the system's scheme is put back afterwards."""
    theme.apply(qapp)
    yield qapp
    hints = QGuiApplication.styleHints()
    hints.accessibility().contrastPreferenceChanged.emit(Qt.ContrastPreference.NoPreference)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)


def test_the_contrast_ratio_is_wcags() -> None:
    assert theme.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert theme.contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    # The figures the issue measured before the change: the yellow ring and the grey border.
    assert theme.contrast_ratio(theme.NHS_WARM_YELLOW, "#FFFFFF") == pytest.approx(1.7, abs=0.1)
    assert theme.contrast_ratio("#D8DDE0", "#FFFFFF") == pytest.approx(1.37, abs=0.02)


@pytest.mark.parametrize("name, colours", [
    ("light", theme.LIGHT), ("dark", theme.DARK),
    ("high contrast black", theme.high_contrast_colours(_palette(HC_BLACK))),
    ("high contrast white", theme.high_contrast_colours(_palette(HC_WHITE)))])
def test_focus_ring_and_borders_stand_out_three_to_one(name: str, colours: dict[str, str]) -> None:
    for part in ("focus", "field_border"):
        for ground in ("window", "panel"):
            ratio = theme.contrast_ratio(colours[part], colours[ground])
            assert ratio >= 3.0, f"{name}: {part} on {ground} is {ratio:.2f}:1"
    assert theme.contrast_ratio(colours["sidebar_focus"], colours["sidebar"]) >= 3.0


def _painted(widget: QWidget) -> QColor:
    """The colour painted in the middle of the widget's left border."""
    image = widget.grab().toImage()
    return image.pixelColor(0, image.height() // 2)


def _painted_ring(themed: QApplication, qtbot, dark: bool) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    QGuiApplication.styleHints().colorSchemeChanged.emit(
        Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
    holder = QWidget()
    qtbot.addWidget(holder)
    column = QVBoxLayout(holder)
    field, other, button = QLineEdit(), QLineEdit(), QPushButton("Save")
    for w in (field, other, button):
        column.addWidget(w)
    holder.show()
    holder.activateWindow()
    qtbot.waitActive(holder)
    field.setFocus()
    qtbot.waitUntil(lambda: field.hasFocus())
    ring, border = _painted(field).name(), _painted(other).name()
    button.setFocus()
    qtbot.waitUntil(lambda: button.hasFocus())
    return ring, border, _painted(button).name()


@pytest.mark.parametrize("dark", [False, True])
def test_the_painted_ring_and_border_are_the_checked_colours(themed, qtbot, dark: bool) -> None:  # type: ignore[no-untyped-def]
    ring, border, button_ring = _painted_ring(themed, qtbot, dark)
    colours = theme.DARK if dark else theme.LIGHT
    assert ring == colours["focus"].lower()
    assert button_ring == colours["focus"].lower()
    assert border == colours["field_border"].lower()
    for painted in (ring, border):
        assert theme.contrast_ratio(painted, colours["panel"]) >= 3.0
        assert theme.contrast_ratio(painted, colours["window"]) >= 3.0


def test_dark_and_light_switch_live_with_the_system(themed: QApplication) -> None:
    hints = QGuiApplication.styleHints()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert themed.palette().color(QPalette.ColorRole.Window).name() == theme.DARK["window"].lower()
    assert theme.DARK["panel"] in themed.styleSheet()
    assert themed.property("wellbeingScheme") == "dark"
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert themed.palette().color(QPalette.ColorRole.Window).name() == theme.LIGHT["window"].lower()
    assert theme.LIGHT["panel"] in themed.styleSheet() and theme.DARK["panel"] not in \
        themed.styleSheet()
    assert themed.property("wellbeingScheme") == "light"


def test_high_contrast_takes_the_systems_colours(themed: QApplication) -> None:
    system = theme._SYSTEM_PALETTE
    try:
        theme._SYSTEM_PALETTE = _palette(HC_BLACK)
        QGuiApplication.styleHints().accessibility().contrastPreferenceChanged.emit(
            Qt.ContrastPreference.HighContrast)
        assert themed.property("wellbeingScheme") == "high-contrast"
        # The system's palette, not ours: black window, white text, its own highlight.
        assert themed.palette().color(QPalette.ColorRole.Window).name() == "#000000"
        assert themed.palette().color(QPalette.ColorRole.Highlight).name() == "#1aebff"
        sheet = themed.styleSheet().lower()
        assert theme.LIGHT["window"].lower() not in sheet
        assert theme.NHS_WARM_YELLOW.lower() not in sheet
        assert "border: 2px solid #1aebff" in sheet        # the focus ring is the highlight
        QGuiApplication.styleHints().accessibility().contrastPreferenceChanged.emit(
            Qt.ContrastPreference.NoPreference)
        assert themed.property("wellbeingScheme") in ("light", "dark")
        assert theme.LIGHT["window"] in themed.styleSheet() or \
            theme.DARK["window"] in themed.styleSheet()
    finally:
        theme._SYSTEM_PALETTE = system


def test_a_highlight_that_would_not_show_gives_way_to_the_text_colour() -> None:
    roles = dict(HC_WHITE)
    roles[QPalette.ColorRole.Highlight] = "#F0F0F0"     # a pale highlight on white
    colours = theme.high_contrast_colours(_palette(roles))
    assert colours["focus"] == "#000000"
