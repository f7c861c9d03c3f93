"""Reading a spreadsheet someone sent us (CSV or XLSX), with bounded reading.

The file decides what it is by its first bytes, not its name: a workbook renamed .csv still
reads, and a PDF, an old .xls or a random binary named .xlsx is refused with what it is. Every
read is bounded: the file's size, an XLSX's unpacked size and packing ratio (a zip bomb is
refused before anything is unpacked), rows and columns. XML inside workbooks is parsed through
defusedxml (openpyxl uses it when installed), so entity-expansion bombs are refused too.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from wellbeing_desktop.services.errors import ValidationError

MAX_FILE_BYTES = 20 * 1024 * 1024        # a referral list is kilobytes; 20 MB is generous
MAX_UNPACKED_BYTES = 100 * 1024 * 1024   # everything inside an XLSX, unpacked
MAX_RATIO = 100                          # unpacked / packed for any one member
MAX_MEMBERS = 2_000
MAX_ROWS = 20_000
MAX_COLUMNS = 100


@dataclass(frozen=True)
class Table:
    """Rows as the spreadsheet numbers them (row 1 is the file's first line)."""

    name: str
    kind: str                                     # "csv" or "xlsx"
    rows: tuple[tuple[int, tuple[object, ...]], ...]
    note: str = ""                                # e.g. "read as Windows-1252"


def refuse(path: Path, message: str) -> ValidationError:
    return ValidationError(message, where=path.name)


def read_table(path: Path) -> Table:
    """The first sheet (XLSX) or the rows (CSV) of `path`. The file is read once, bounded
    (storage/inputs.py: a regular file, its size checked before anything is read, then read
    in chunks that stop at the limit), and everything after works on those bytes, so a
    device such as /dev/zero, a pipe or a file that grows is refused and never read whole."""
    from wellbeing_desktop.storage.inputs import read_bounded

    if not path.exists() and not path.is_symlink():
        raise ValidationError(f"{path}: no such file")
    if path.is_dir():
        raise refuse(path, "is a folder, not a spreadsheet")
    data = read_bounded(path, limit=MAX_FILE_BYTES, error=lambda m: refuse(path, m),
                        what="referral spreadsheet", named=False)
    head = data[:8]
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, data)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise refuse(path, "is an old Excel (.xls) or Word file; save it as .xlsx or CSV "
                           "and import that")
    if head.startswith(b"%PDF"):
        raise refuse(path, "is a PDF, not a spreadsheet; ask the referrer for CSV or XLSX")
    if head.startswith(b"PK"):
        raise refuse(path, "is a damaged or unusual zip file, not a workbook")
    return _read_csv(path, data)


def _read_csv(path: Path, data: bytes) -> Table:
    if b"\x00" in data[:65536]:
        raise refuse(path, "is not a text (CSV) file or an XLSX workbook")
    note = ""
    try:
        text = data.decode("utf-8-sig")       # Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError:
        # Excel's plain "CSV" on Windows is Windows-1252 (£, é, smart quotes).
        text = data.decode("cp1252", errors="replace")
        note = "read as Windows-1252 (the file is not UTF-8)"
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, ",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows: list[tuple[int, tuple[object, ...]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS + 20:
                raise refuse(path, f"has more than {MAX_ROWS} rows; split it into smaller "
                                   "files")
            if len(cells) > MAX_COLUMNS:
                raise refuse(path, f"row {number} has {len(cells)} columns (at most "
                                   f"{MAX_COLUMNS})")
            rows.append((number, tuple(cells)))
    except csv.Error as exc:
        raise refuse(path, f"row {reader.line_num}: {exc}") from None
    return Table(path.name, "csv", tuple(rows), note)


def _check_zip(path: Path, data: bytes) -> None:
    from wellbeing_desktop.storage.inputs import check_zip

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as exc:
        raise refuse(path, f"is not a readable XLSX workbook ({exc})") from None
    with zf:
        members = zf.infolist()
        if len(members) > MAX_MEMBERS:
            raise refuse(path, f"holds {len(members)} parts; not a referral workbook")
        total = 0
        for m in members:
            total += m.file_size
            if m.file_size > MAX_RATIO * max(m.compress_size, 1) and m.file_size > 1024 * 1024:
                raise refuse(path, f"part {m.filename} unpacks to "
                                   f"{m.file_size // (1024 * 1024)} MB from a few bytes (a zip "
                                   "bomb?); not opened")
        if total > MAX_UNPACKED_BYTES:
            raise refuse(path, f"unpacks to {total // (1024 * 1024)} MB; at most "
                               f"{MAX_UNPACKED_BYTES // (1024 * 1024)} MB is read")
        # Member names that leave the package, and links (storage/inputs.py, as for feeds).
        check_zip(zf, limit=MAX_UNPACKED_BYTES, error=lambda m: refuse(path, m),
                  where="the workbook", ratio=MAX_RATIO)
    if "xl/workbook.xml" not in {m.filename for m in members}:
        raise refuse(path, "is a zip file but not an Excel workbook (.xlsx)")


def _read_xlsx(path: Path, data: bytes) -> Table:
    _check_zip(path, data)
    import openpyxl  # a few hundred ms to import: only when a workbook is read

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for damaged files
        raise refuse(path, f"could not be read as a workbook ({type(exc).__name__}: "
                           f"{str(exc)[:120]})") from None
    try:
        sheet = book.worksheets[0]  # the first sheet: referrers send one list
        rows: list[tuple[int, tuple[object, ...]]] = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True,
                                                       max_col=MAX_COLUMNS), start=1):
            if number > MAX_ROWS + 20:
                raise refuse(path, f"has more than {MAX_ROWS} rows; split it into smaller "
                                   "files")
            rows.append((number, tuple(cells)))
        note = f"sheet “{sheet.title}”" + (
            f" (the first of {len(book.worksheets)})" if len(book.worksheets) > 1 else "")
    except ValidationError:
        raise
    except Exception as exc:
        raise refuse(path, f"could not be read as a workbook ({type(exc).__name__})") from None
    finally:
        book.close()
    # Trailing empty rows (formatted but blank) are not part of the list.
    while rows and all(_empty(c) for c in rows[-1][1]):
        rows.pop()
    # Nor are trailing columns that are empty in every row (read-only sheets pad to a width).
    width = max((i + 1 for _, cells in rows for i, c in enumerate(cells) if not _empty(c)),
                default=0)
    return Table(path.name, "xlsx", tuple((n, cells[:width]) for n, cells in rows), note)


def _empty(cell: object) -> bool:
    return cell is None or str(cell).strip() == ""
