"""Report tables as plain data, and small-number suppression.

A cell is text, a count (int), or a rate (`Rate`: numerator and denominator, shown as a
percentage with the counts it is a rate of). Anything that leaves the central team is
suppressed as NHS statistics are: a count from 1 to 4 becomes "*", and so does a rate whose
numerator or denominator is from 1 to 4 (the rate would reveal it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

SUPPRESS_BELOW = 5
SUPPRESSED = "*"


@dataclass(frozen=True)
class Rate:
    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def text(self) -> str:
        if not self.denominator:
            return "–"
        return f"{100 * self.numerator / self.denominator:.1f}% ({self.numerator}/{self.denominator})"


Cell = str | int | Rate


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    # Index of a count column worth a bar chart in the PDF, if any.
    chart_column: int | None = None


def _small(n: int) -> bool:
    return 0 < n < SUPPRESS_BELOW


def suppress_cell(cell: Cell) -> Cell:
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, int):
        return SUPPRESSED if _small(cell) else cell
    if isinstance(cell, Rate):
        return SUPPRESSED if _small(cell.numerator) or _small(cell.denominator) else cell
    return cell


def suppress(table: Table) -> Table:
    return replace(table, rows=tuple(tuple(suppress_cell(c) for c in row) for row in table.rows))


def cell_text(cell: Cell) -> str:
    if isinstance(cell, Rate):
        return cell.text()
    return str(cell)


def cell_json(cell: Cell) -> object:
    if isinstance(cell, Rate):
        return {"numerator": cell.numerator, "denominator": cell.denominator,
                "rate": cell.value}
    return cell
