"""`central extract`: the NHS Talking Therapies data set shaped CSV files for a period."""

from __future__ import annotations

import csv
import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from wellbeing_desktop.services.errors import FieldProblem, ValidationError
from wellbeing_desktop.services.sync.history import SyncError
from wellbeing_desktop.storage.files import atomic_write
from wellbeing_desktop.sync import central
from wellbeing_desktop.sync.crypto import BundleError
from wellbeing_desktop.sync.extract import FILES, Pseudonymiser, extract_rows
from wellbeing_desktop.sync.report_queries import Period

KEY_BYTES = 32


@dataclass(frozen=True)
class ExtractResult:
    folder: Path
    files: dict[str, int]  # file name -> rows
    identifiable: bool
    key_created: bool


def load_or_create_key(path: Path) -> tuple[bytes, bool]:
    """The central team's pseudonymisation key (64 hex digits in a 0600 file); made on first
    use, so later extracts give everyone the same pseudonym."""
    if path.exists():
        text = path.read_text(encoding="ascii", errors="replace").strip()
        try:
            key = bytes.fromhex(text)
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise ValidationError([FieldProblem(
                "pseudonym_key", f"{path} is not a pseudonymisation key (64 hex digits)")])
        return key, False
    if not path.parent.is_dir():
        raise ValidationError([FieldProblem("pseudonym_key",
                                            f"the folder {path.parent} does not exist")])
    key = secrets.token_bytes(KEY_BYTES)
    atomic_write(path, key.hex() + "\n")
    os.chmod(path, 0o600)
    return key, True


def central_extract(db_url: str, span: Period, out: Path, *, identifiable: bool = False,
                    key_path: Path | None = None) -> ExtractResult:
    if out.exists() and not out.is_dir():
        raise ValidationError([FieldProblem("out", f"{out} is a file, not a folder")])
    key: bytes | None = None
    created = False
    if not identifiable:
        if key_path is None:
            raise ValidationError([FieldProblem(
                "pseudonym_key", "give --pseudonym-key FILE (made on first use) or "
                                 "--identifiable")])
        key, created = load_or_create_key(key_path)
    try:
        engine = central.open_central(db_url)
    except BundleError as exc:
        raise SyncError(str(exc)) from None
    counts: dict[str, int] = {}
    try:
        out.mkdir(parents=True, exist_ok=True)
        columns = {name: cols for name, _table, cols in FILES}
        with engine.connect() as conn:
            for name, rows in extract_rows(conn, span, Pseudonymiser(key)):
                buffer = io.StringIO()
                writer = csv.writer(buffer, lineterminator="\r\n")
                writer.writerow(columns[name])
                writer.writerows(rows)
                atomic_write(out / f"{name}.csv", buffer.getvalue())
                counts[name] = len(rows)
    finally:
        engine.dispose()
    return ExtractResult(out, counts, identifiable, created)
