"""The central report as an Excel workbook: one sheet per table, a header row, numbers as
numbers.

A count is a number cell. A rate is three columns: the percentage (a number formatted as a
percentage, so Excel can sort and chart it) and the two counts it is a rate of, as the issue
asks ("with the counts they are rates of"). Which columns are rates is decided from the
unsuppressed tables (`rate_columns`), so a suppressed file has the same columns whatever was
suppressed. Suppressed cells are the text "*", as in the CSV files.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from pathlib import Path

from wellbeing_desktop.domain.report_tables import Cell, Rate, Table
from wellbeing_desktop.storage.files import atomic_write

SHEET_NAME_MAX = 31  # Excel's limit
PERCENT = "0.0%"


def rate_columns(tables: Sequence[Table]) -> tuple[tuple[int, ...], ...]:
    """For each table, the columns that hold a rate in any row."""
    return tuple(tuple(i for i in range(len(t.columns))
                       if any(isinstance(row[i], Rate) for row in t.rows)) for t in tables)


def _sheet_name(key: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", key)[:SHEET_NAME_MAX] or "table"
    base, n = name, 2
    while name.lower() in used:
        suffix = f"_{n}"
        name, n = base[:SHEET_NAME_MAX - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _header(table: Table, rates: tuple[int, ...]) -> list[str]:
    out: list[str] = []
    for i, column in enumerate(table.columns):
        out += [column, f"{column}: count", f"{column}: of"] if i in rates else [column]
    return out


def _values(cell: Cell, is_rate: bool) -> list[object]:
    if not is_rate:
        return [cell if isinstance(cell, int | str) else str(cell)]
    if isinstance(cell, Rate):
        return [cell.value, cell.numerator, cell.denominator]
    return [cell, cell, cell]  # suppressed ("*") or text: the same in all three


def workbook_bytes(title: str, tables: Sequence[Table], rates: Sequence[tuple[int, ...]],
                   *, suppressed: bool) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table, rate_cols in zip(tables, rates, strict=True):
        sheet = book.create_sheet(_sheet_name(table.key, used))
        sheet.append(_header(table, rate_cols))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        percent_at = []
        at = 1
        for i in range(len(table.columns)):
            if i in rate_cols:
                percent_at.append(at)
                at += 3
            else:
                at += 1
        for row in table.rows:
            values: list[object] = []
            for i, cell in enumerate(row):
                values += _values(cell, i in rate_cols)
            sheet.append(values)
        for column in percent_at:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                if isinstance(cell.value, float):
                    cell.number_format = PERCENT
        for index, width in enumerate(_widths(sheet), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        notes = [table.title, table.note]
        if suppressed:
            notes.append("Numbers from 1 to 4 are shown as * (and rates made from them).")
        sheet.append([])
        for note in filter(None, notes):
            sheet.append([note])
    info = book.create_sheet("about", 0)
    info.append([title])
    info.append(["Sheets: " + ", ".join(s.title for s in book.worksheets[1:])])
    if suppressed:
        info.append(["Small numbers suppressed: counts from 1 to 4 are shown as *."])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _widths(sheet: object) -> list[float]:
    widths: list[float] = []
    for column in sheet.iter_cols(min_row=1, max_row=1):  # type: ignore[attr-defined]
        text = str(column[0].value or "")
        widths.append(min(max(10.0, len(text) * 1.1), 40.0))
    return widths


def write_workbook(out: Path, title: str, tables: Sequence[Table],
                   rates: Sequence[tuple[int, ...]], *, suppressed: bool) -> None:
    atomic_write(out, workbook_bytes(title, tables, rates, suppressed=suppressed))
