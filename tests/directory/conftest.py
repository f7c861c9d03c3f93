"""Fixtures for the directory and signposting tests: the ORUK examples and a content snapshot."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "tests" / "directory" / "data" / "oruk"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def csv_package(tmp_path: Path) -> Path:
    """The profile's CSV examples with its datapackage.json: a tabular package folder."""
    folder = tmp_path / "package"
    shutil.copytree(EXAMPLES / "csv", folder)
    shutil.copy(EXAMPLES / "datapackage.json", folder / "datapackage.json")
    return folder


@pytest.fixture
def content() -> Any:
    """`content(ctx)`: every row of every table, to prove a rejected import changed nothing."""
    return snapshot


def snapshot(ctx: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the FTS index included), for "nothing changed" checks."""
    from sqlalchemy import text

    from wellbeing_desktop.storage.models import Base

    out: dict[str, list[tuple[Any, ...]]] = {}
    with ctx.store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = conn.execute(text(f"SELECT * FROM {table.name}")).all()
            out[table.name] = sorted(tuple(r) for r in rows)
        out["fts"] = sorted(tuple(r) for r in conn.execute(
            text("SELECT rowid, * FROM dir_services_fts")).all())
        out["device"] = [tuple(r) for r in conn.execute(text("SELECT * FROM device_state"))]
    return out
