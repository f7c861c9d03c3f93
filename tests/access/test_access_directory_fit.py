"""Issue 18, the Directory at 1024×700 and 150 % text: the page no longer scrolls down to the
selected service's buttons, the results list is not a sliver beside the detail, and a narrow
tall window stacks the list above the detail."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from wellbeing_desktop.ui import selftest_layout as audit


def test_directory_fits_a_small_laptop_at_large_text(qtbot: Any, demo_ctx: Any,
                                                     immediate_tasks: None) -> None:
    from wellbeing_desktop.ui import theme
    from wellbeing_desktop.ui.main_window import MainWindow

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    theme.apply(app)
    window = MainWindow(demo_ctx.settings)
    qtbot.addWidget(window)
    window.attach(demo_ctx)
    window.build_pages(["directory"])
    window.show()
    page = window.show_page("directory")
    with audit.text_scale(1.5):
        window.resize(1024, 700 - 48 - 32)     # the screen less a taskbar and a title bar
        qtbot.waitUntil(lambda: page.detail.detail is not None)
        QApplication.processEvents()
        area = page.parentWidget().parentWidget()
        assert isinstance(area, QScrollArea)
        viewport = area.viewport()
        assert page.height() <= viewport.height()   # nothing to scroll down to
        for button in (page.detail.favourite, page.detail.notes, page.detail.wrong):
            corner = button.mapTo(viewport, QPoint(button.width(), button.height()))
            assert 0 < corner.y() <= viewport.height(), button.text()
            assert corner.x() <= viewport.width(), button.text()
        assert page.splitter.orientation() == Qt.Orientation.Horizontal   # short: side by side
        assert page.table.width() >= page.splitter.width() * 0.4         # not a sliver
        assert page.table.columnWidth(0) >= page.table.fontMetrics().averageCharWidth() * 10


def test_a_narrow_tall_directory_stacks_the_list_above_the_detail(qtbot: Any) -> None:
    from wellbeing_desktop.ui.pages.directory import DirectoryPage

    page = DirectoryPage()
    qtbot.addWidget(page)
    page.show()
    chars = page.splitter.fontMetrics().averageCharWidth()
    lines = page.splitter.fontMetrics().lineSpacing()
    page.resize(chars * 70, lines * 60)
    QApplication.processEvents()
    assert page.splitter.orientation() == Qt.Orientation.Vertical
    assert page.table.width() >= page.splitter.width() - 2     # the list has the full width
    page.resize(chars * 140, lines * 60)
    QApplication.processEvents()
    assert page.splitter.orientation() == Qt.Orientation.Horizontal
