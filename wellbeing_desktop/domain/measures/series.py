"""A measure over time: what a chart (on screen or printed) draws for one client."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from wellbeing_desktop.domain.measures.definitions import Band


@dataclass(frozen=True)
class MeasureSeries:
    measure_id: str
    title: str
    dates: tuple[date, ...]
    totals: tuple[float, ...]
    caseness_cutoff: float | None
    minimum: float
    maximum: float
    bands: tuple[Band, ...] = ()
    higher_is: str = "worse"
    item_key: str | None = None  # set for a measure reported item by item (ONS4)

    @property
    def points(self) -> list[tuple[date, float]]:
        return list(zip(self.dates, self.totals, strict=True))

    @property
    def latest(self) -> float | None:
        return self.totals[-1] if self.totals else None
