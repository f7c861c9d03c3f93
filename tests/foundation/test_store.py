"""The store: migrations, pragmas, the change sequence, backups."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from wellbeing_desktop.storage import migrate
from wellbeing_desktop.storage.backup import backup_database, integrity_problem
from wellbeing_desktop.storage.engine import make_engine, read_pragmas
from wellbeing_desktop.storage.migrate import include_object
from wellbeing_desktop.storage.models import Base, Client, Practitioner
from wellbeing_desktop.storage.store import Store


def test_upgrade_from_empty_to_head_creates_every_model_table(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    try:
        assert migrate.current_revision(store.engine) == migrate.head_revision()
        tables = set(inspect(store.engine).get_table_names())
        assert {t.name for t in Base.metadata.sorted_tables} <= tables
        assert store.migrated is True
    finally:
        store.close()
    again = Store.open(tmp_path)
    try:
        assert again.migrated is False, "a store at head must not migrate again"
        assert again.device_id == store.device_id
    finally:
        again.close()


def test_revision_chain_is_linear() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    heads = script.get_heads()
    assert len(heads) == 1
    assert heads[0] == migrate.HEAD, "update storage.migrate.HEAD with each new revision"
    seen = 0
    for rev in script.walk_revisions():
        seen += 1
        assert not rev.is_merge_point and not rev.is_branch_point, rev.revision
    assert seen >= 1


def test_models_and_migrations_do_not_drift(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    try:
        with store.engine.connect() as conn:
            mc = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": include_object}
            )
            diff = compare_metadata(mc, Base.metadata)
        assert diff == [], f"models differ from migrations: {diff}"
    finally:
        store.close()


def test_downgrade_to_base_and_back(tmp_path: Path) -> None:
    from alembic import command

    store = Store.open(tmp_path)
    cfg = migrate.alembic_config()
    with store.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert migrate.current_revision(store.engine) is None
    assert migrate.upgrade(store.engine) is True
    assert migrate.current_revision(store.engine) == migrate.head_revision()
    store.close()


def test_pragmas_on_every_connection_and_thread(tmp_path: Path) -> None:
    engine = make_engine(tmp_path / "p.sqlite3")
    expected = {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 10_000}
    results: list[dict[str, object]] = []
    conns = [engine.connect() for _ in range(3)]  # three distinct pooled connections
    try:
        for conn in conns:
            results.append(
                {n: conn.exec_driver_sql(f"PRAGMA {n}").scalar() for n in expected}
            )
    finally:
        for conn in conns:
            conn.close()

    def in_thread() -> None:
        results.append(read_pragmas(engine))

    t = threading.Thread(target=in_thread)
    t.start()
    t.join()
    assert len(results) == 4
    for got in results:
        assert got == expected
    engine.dispose()


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    with pytest.raises(Exception, match="FOREIGN KEY"), store.session() as s:
        s.add(Client(given_name="A", family_name="B", practitioner_id=uuid.uuid4()))
    with store.read() as s:
        assert s.execute(select(Client)).first() is None
    store.close()


@pytest.mark.safety
def test_change_sequence_versions_and_origin(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    with store.session() as s:
        a = Practitioner(display_name="A")
        b = Practitioner(display_name="B")
        s.add_all([a, b])
    assert (a.version, b.version) == (1, 1)
    assert {a.change_seq, b.change_seq} == {1, 2}
    assert a.origin_device == store.device_id
    first_update = a.updated_at
    with store.session() as s:
        row = s.get(Practitioner, a.id)
        assert row is not None
        row.display_name = "A2"
    with store.read() as s:
        row = s.get(Practitioner, a.id)
        assert row is not None
        assert row.version == 2
        assert row.change_seq == 3
        assert row.updated_at >= first_update
        assert row.updated_at.tzinfo is not None
    # A flush with no real change does not bump anything.
    with store.session() as s:
        row = s.get(Practitioner, b.id)
        assert row is not None
        row.display_name = "B"
    with store.read() as s:
        assert s.get(Practitioner, b.id).version == 1  # type: ignore[union-attr]
        seq = s.execute(text("SELECT change_seq FROM device_state")).scalar()
    assert seq == 3
    store.close()


@pytest.mark.safety
def test_failed_unit_of_work_writes_nothing(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    with pytest.raises(RuntimeError), store.session() as s:
        s.add(Practitioner(display_name="X"))
        s.flush()
        raise RuntimeError("boom")
    with store.read() as s:
        assert s.execute(select(Practitioner)).first() is None
        assert s.execute(text("SELECT change_seq FROM device_state")).scalar() == 0
    store.close()


@pytest.mark.safety
def test_backup_uses_backup_api_and_verifies(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "data")
    with store.session() as s:
        s.add(Practitioner(display_name="Backed Up"))
    dest = backup_database(store.db_path, tmp_path / "b" / "copy.sqlite3")
    assert integrity_problem(dest) is None
    copy = make_engine(dest)
    with copy.connect() as conn:
        names = conn.execute(text("SELECT display_name FROM practitioners")).scalars().all()
        mode = conn.exec_driver_sql("PRAGMA journal_mode").scalar()
    copy.dispose()
    assert names == ["Backed Up"]
    assert mode == "wal"
    store.close()


def test_integrity_problem_reports_a_damaged_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.sqlite3"
    bad.write_bytes(b"this is not a database" * 100)
    assert integrity_problem(bad) is not None
    assert integrity_problem(tmp_path / "missing.sqlite3") == "missing.sqlite3 does not exist"


def test_database_errors_never_carry_the_values(tmp_path: Path) -> None:
    store = Store.open(tmp_path)
    pid = uuid.uuid4()
    with store.session() as s:
        s.add(Practitioner(id=pid, display_name="Zebedee Quillfeather"))
    with pytest.raises(Exception) as info, store.session() as s:
        s.add(Practitioner(id=pid, display_name="Zebedee Quillfeather"))
    assert "UNIQUE" in str(info.value)
    assert "Quillfeather" not in str(info.value)
    store.close()
