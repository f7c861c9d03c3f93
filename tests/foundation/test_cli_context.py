"""`with open_context(args) as ctx:` closes the store however the command ends."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from sqlalchemy import text

from wellbeing_desktop.cli.common import CommandError, open_context


def _used(ctx: object) -> None:
    with ctx.store.read() as s:  # type: ignore[attr-defined]
        s.execute(text("SELECT count(*) FROM clients")).scalar_one()


def test_the_store_is_closed_after_the_block(data_dir: Path) -> None:
    args = argparse.Namespace(data_dir=str(data_dir))
    with open_context(args) as ctx:
        _used(ctx)
        assert ctx.store.engine.pool.checkedin() >= 1  # a pooled connection stays open
    assert ctx.store.engine.pool.checkedin() == 0
    # The last connection closed, so SQLite folded the WAL back into the database.
    assert not (data_dir / "wellbeing.sqlite3-wal").exists()


@pytest.mark.parametrize("failure", [CommandError("bad input"), KeyboardInterrupt()])
def test_the_store_is_closed_when_the_command_fails(data_dir: Path,
                                                    failure: BaseException) -> None:
    args = argparse.Namespace(data_dir=str(data_dir))
    with pytest.raises(type(failure)), open_context(args) as ctx:
        _used(ctx)
        raise failure
    assert ctx.store.engine.pool.checkedin() == 0
    assert not (data_dir / "wellbeing.sqlite3-wal").exists()
