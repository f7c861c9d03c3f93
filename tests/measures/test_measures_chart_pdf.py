"""The reusable reportlab chart: drawn into a real PDF and read back."""

from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Line, PolyLine

from wellbeing_desktop.domain.measures import MeasureSeries
from wellbeing_desktop.domain.measures.registry import shipped
from wellbeing_desktop.packs.charts import measures_chart


def _series() -> list[MeasureSeries]:
    phq = shipped().find("PHQ-9")
    assert phq is not None
    return [
        MeasureSeries("PHQ-9", "PHQ-9", (date(2026, 9, 8), date(2026, 9, 22), date(2026, 10, 6)),
                      (18.0, 13.0, 7.0), 10, 0, 27, phq.bands),
        MeasureSeries("GAD-7", "GAD-7", (date(2026, 9, 8),), (11.0,), 8, 0, 21),
    ]


def _text(drawing: object) -> str:
    pdf = renderPDF.drawToString(drawing)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_chart_reads_back_from_a_pdf() -> None:
    text = _text(measures_chart(_series(), 400, 300))
    for expected in ("PHQ-9", "GAD-7", "cut-off 10", "cut-off 8", "18", "7", "8 Sep", "6 Oct"):
        assert expected in text


def test_points_line_and_caseness_are_drawn() -> None:
    drawing = measures_chart(_series()[:1], 400, 150)
    shapes = drawing.contents
    assert sum(isinstance(s, Circle) for s in shapes) == 3
    line = next(s for s in shapes if isinstance(s, PolyLine))
    ys = line.points[1::2]
    assert ys[0] > ys[1] > ys[2]  # falling scores fall on the page
    dashed = [s for s in shapes if isinstance(s, Line) and s.strokeDashArray]
    assert len(dashed) == 1
    # The cut-off sits between the plotted 7 and 13.
    assert ys[2] < dashed[0].y1 < ys[1]


def test_the_cut_off_label_can_be_worded() -> None:
    text = _text(measures_chart(_series(), 400, 300, cut_off_label="caseness {value}"))
    assert "caseness 10" in text and "cut-off" not in text


def test_no_scores_says_so() -> None:
    assert "No scores recorded yet" in _text(measures_chart([], 300, 100))


def test_the_packs_snapshot_shape_is_accepted() -> None:
    """`packs.documents` calls `measures_chart(snapshot.measures, width=..., variant=...)`."""
    from wellbeing_desktop.packs.snapshot import MeasurePoint
    from wellbeing_desktop.packs.snapshot import MeasureSeries as SnapshotSeries

    snap = [SnapshotSeries("PHQ-9", 27, (MeasurePoint(date(2026, 10, 6), 7),
                                         MeasurePoint(date(2026, 9, 8), 18))),
            SnapshotSeries("GAD-7", 21, ())]
    standard = measures_chart(snap, width=400)
    large = measures_chart(snap, width=400, variant="large-print")
    assert large.height > standard.height
    text = _text(large)
    assert "PHQ-9" in text and "cut-off 10" in text and "GAD-7" not in text  # no points
    line = next(s for s in standard.contents if isinstance(s, PolyLine))
    assert line.points[1] > line.points[3]  # sorted by date: 18 first, then 7
