"""Small shared widgets of the client record: the risk banner and the progress sparkline."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from itertools import pairwise

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from wellbeing_desktop.services import risk
from wellbeing_desktop.ui import theme


class RiskBanner(QFrame):
    """Persistent while any concern is open; it has no close button by design."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("riskBanner")
        row = QHBoxLayout(self)
        self.text = QLabel("")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAccessibleName("Risk concern")
        row.addWidget(self.text, 1)
        col = QVBoxLayout()
        self.action_button = QPushButton("Record &action…")
        self.resolve_button = QPushButton("Mark &resolved…")
        col.addWidget(self.action_button)
        col.addWidget(self.resolve_button)
        row.addLayout(col)
        self.concerns: list[risk.RiskConcernSummary] = []
        self.setVisible(False)

    def show_concerns(self, concerns: list[risk.RiskConcernSummary],
                      contacts: list[risk.CrisisContact]) -> None:
        self.concerns = concerns
        self.setVisible(bool(concerns))
        if not concerns:
            return
        c = concerns[0]
        when = c.raised_at.astimezone().strftime("%d %b %Y")
        action = (escape(c.action_taken).replace("\n", "<br>") if c.action_taken else
                  "<b>No action recorded yet — record what was done.</b>")
        more = f" (and {len(concerns) - 1} more)" if len(concerns) > 1 else ""
        phones = " · ".join(f"{escape(x.name)} <b>{escape(x.phone)}</b>" for x in contacts)
        self.text.setText(
            f"<b>Risk concern{more}</b> raised {when} ({escape(c.source_label)}): "
            f"{escape(c.detail)}<br><b>Action taken:</b> {action}<br>"
            f"<span>Crisis contacts: {phones}</span>")
        self.text.setAccessibleDescription(self.text.text())


class Sparkline(QWidget):
    """0–10 ratings over time, drawn with QPainter (no QtCharts: DESIGN §10)."""

    def __init__(self, ratings: list[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ratings = ratings
        self.setAccessibleName("Progress chart")
        self.setAccessibleDescription(
            "Progress ratings: " + (", ".join(map(str, ratings)) or "none yet"))
        self.setMinimumSize(QSize(140, 44))

    def paintEvent(self, _event: object) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        c = theme.colours()
        w, h = self.width() - 8, self.height() - 8
        p.setPen(QPen(QColor(c["border"]), 1))
        p.drawLine(4, 4 + h, 4 + w, 4 + h)
        if not self.ratings:
            p.setPen(QColor(c["muted"]))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No reviews yet")
            return
        n = len(self.ratings)
        pts = [QPointF(4 + (w * i / max(1, n - 1) if n > 1 else w / 2), 4 + h - h * r / 10)
               for i, r in enumerate(self.ratings)]
        p.setPen(QPen(QColor(c["accent"]), 2))
        for a, b in pairwise(pts):
            p.drawLine(a, b)
        p.setBrush(QColor(c["accent"]))
        for pt in pts:
            p.drawEllipse(pt, 3, 3)


def button(text: str, slot: Callable[[], None], name: str = "") -> QPushButton:
    b = QPushButton(text)
    if name:
        b.setAccessibleName(name)
    b.clicked.connect(lambda _c=False: slot())
    return b
