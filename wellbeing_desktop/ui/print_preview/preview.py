"""A scrolling preview of a PDF's pages, with zoom; rendering happens in the worker."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.ui.operations import read
from wellbeing_desktop.ui.print_preview.pages import render_pages


class PdfPreview(QWidget):
    ZOOMS = (60, 80, 100, 125, 150)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf: bytes = b""
        self.images: list[QImage] = []
        self.zoom = 80
        self._loading = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.info = QLabel("")
        self.info.setObjectName("muted")
        self.zoom_out = QPushButton("−")
        self.zoom_out.setAccessibleName("Zoom out")
        self.zoom_out.setToolTip("Zoom out (Ctrl+-)")
        self.zoom_out.setShortcut("Ctrl+-")
        self.zoom_in = QPushButton("+")
        self.zoom_in.setAccessibleName("Zoom in")
        self.zoom_in.setToolTip("Zoom in (Ctrl++)")
        self.zoom_in.setShortcut("Ctrl++")
        self.zoom_label = QLabel("")
        for w in (self.zoom_out, self.zoom_in):
            w.setFixedWidth(36)
        self.zoom_out.clicked.connect(lambda: self.step_zoom(-1))
        self.zoom_in.clicked.connect(lambda: self.step_zoom(1))
        bar.addWidget(self.info, 1)
        bar.addWidget(self.zoom_out)
        bar.addWidget(self.zoom_label)
        bar.addWidget(self.zoom_in)
        outer.addLayout(bar)
        # Busy while the document is made and its pages drawn (both in the worker).
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(6)
        self.busy_bar.setAccessibleName("Making the preview")
        self.busy_bar.setVisible(False)
        outer.addWidget(self.busy_bar)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAccessibleName("Document preview")
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.canvas = QWidget()
        self.canvas.setObjectName("previewCanvas")
        self.pages_box = QVBoxLayout(self.canvas)
        self.pages_box.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.pages_box.setSpacing(12)
        self.scroll_area.setWidget(self.canvas)
        outer.addWidget(self.scroll_area, 1)
        self.placeholder = QLabel("The preview appears here.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setMinimumWidth(320)
        self.pages_box.addWidget(self.placeholder)
        self._update_zoom_label()

    def is_loading(self) -> bool:
        return self._loading

    def set_busy(self, message: str) -> None:
        """The document is being made: show the busy bar and say so (the old pages go)."""
        self.clear(message)
        self.busy_bar.setVisible(True)

    def clear(self, message: str = "") -> None:
        self.pdf = b""
        self.images = []
        self.busy_bar.setVisible(False)
        self._show_labels()
        if message:
            self.placeholder.setText(message)

    def set_pdf(self, pdf: bytes) -> None:
        self.pdf = pdf
        self._render()

    def step_zoom(self, direction: int) -> None:
        index = self.ZOOMS.index(self.zoom) + direction
        if 0 <= index < len(self.ZOOMS):
            self.zoom = self.ZOOMS[index]
            self._update_zoom_label()
            if self.pdf:
                self._render()

    def _update_zoom_label(self) -> None:
        self.zoom_label.setText(f"{self.zoom}%")
        self.zoom_label.setAccessibleName(f"Zoom {self.zoom} percent")
        self.zoom_out.setEnabled(self.zoom != self.ZOOMS[0])
        self.zoom_in.setEnabled(self.zoom != self.ZOOMS[-1])

    def _render(self) -> None:
        self._loading = True
        self.busy_bar.setVisible(True)
        pdf = self.pdf
        dpi = 96.0 * self.zoom / 100.0 * self.devicePixelRatioF()
        (read(render_pages, pdf, dpi)
         .on_success(partial(self._rendered, pdf))
         .on_error(lambda exc: self.clear(f"The preview could not be shown: {exc}"))
         .on_done(self._done)
         .start())

    def _done(self) -> None:
        self._loading = False
        self.busy_bar.setVisible(False)

    def _rendered(self, pdf: bytes, images: list[QImage]) -> None:
        if pdf is not self.pdf:
            return  # a newer document replaced this one while it rendered
        self.images = images
        self._show_labels()

    def _show_labels(self) -> None:
        while self.pages_box.count():
            item = self.pages_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None and widget is not self.placeholder:
                widget.deleteLater()
        if not self.images:
            self.pages_box.addWidget(self.placeholder)
            self.placeholder.show()
            self.info.setText("")
            return
        self.placeholder.hide()
        ratio = self.devicePixelRatioF()
        for number, image in enumerate(self.images, start=1):
            pixmap = QPixmap.fromImage(image)
            pixmap.setDevicePixelRatio(ratio)
            label = QLabel()
            label.setPixmap(pixmap)
            label.setObjectName("previewPage")
            label.setStyleSheet("QLabel#previewPage { border: 1px solid #aeb7bd; }")
            label.setAccessibleName(f"Page {number} of {len(self.images)}")
            self.pages_box.addWidget(label)
        self.info.setText(f"{len(self.images)} page{'s' if len(self.images) != 1 else ''}")
