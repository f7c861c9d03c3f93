"""Helpers for the sync tests: devices (real stores), edits, reading the central records."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from enrolment_helpers import register
from sqlalchemy import select, text

from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.context import SYSTEM
from wellbeing_desktop.services.settings import DEFAULTS, Settings
from wellbeing_desktop.storage.backup import backup_database
from wellbeing_desktop.storage.models import Base, Client, Referral
from wellbeing_desktop.storage.store import Store


@dataclass
class Keys:
    private: Path
    public: str


def device_context(data_dir: Path, key_text: str = "") -> AppContext:
    """A desktop with its own store and settings, acting as the system (all permissions)."""
    store = Store.open(data_dir)
    settings = Settings(data_dir / "settings.json", {k: (dict(v) if isinstance(v, dict) else v)
                                                     for k, v in DEFAULTS.items()})
    settings.section("sync")["central_public_key"] = key_text
    return register(AppContext(store, settings, SYSTEM))


def clone_device(source: AppContext, data_dir: Path, key_text: str = "") -> AppContext:
    """Another computer that started from a copy of `source` (e.g. a restored backup)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    backup_database(source.store.db_path, data_dir / "wellbeing.sqlite3")
    with Store.open(data_dir).engine.begin() as conn:
        conn.execute(text("UPDATE device_state SET device_id = :d WHERE id = 1"),
                     {"d": str(uuid.uuid4())})
    return device_context(data_dir, key_text)


def add_client(ctx: AppContext, *, consent: bool = True, given: str = "Alex",
               family: str = "Moreno", referrals: int = 1, **extra: Any) -> uuid.UUID:
    with ctx.store.session() as s:
        client = Client(given_name=given, family_name=family, consent_central_records=consent,
                        date_of_birth=date(1984, 5, 17), nhs_number="9434765919",
                        address="12 Mill Lane\nKingsmere", postcode="KM4 7RT",
                        phone="07700 900123", email="alex@example.org",
                        search_name=f"{family} {given}".lower(), **extra)
        s.add(client)
        s.flush()
        for n in range(referrals):
            s.add(Referral(client_id=client.id, received_on=date(2026, 10, 1 + n),
                           source="GP", reason="Low mood after losing work"))
        return client.id


def edit(ctx: AppContext, model: type, record_id: uuid.UUID, **values: Any) -> None:
    with ctx.store.session() as s:
        row = s.get(model, record_id)
        assert row is not None
        for key, value in values.items():
            setattr(row, key, value)


def delete(ctx: AppContext, model: type, record_id: uuid.UUID) -> None:
    from wellbeing_desktop.storage.types import utcnow

    edit(ctx, model, record_id, deleted_at=utcnow())


def central_rows(url: str, table: str) -> dict[uuid.UUID, dict[str, Any]]:
    from wellbeing_desktop.sync.central import open_central

    engine = open_central(url)
    try:
        with engine.connect() as conn:
            result = conn.execute(select(Base.metadata.tables[table]))
            return {row.id: dict(row._mapping) for row in result}
    finally:
        engine.dispose()


def central_count(url: str, table: str) -> int:
    from wellbeing_desktop.sync.central import open_central

    engine = open_central(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
    finally:
        engine.dispose()


def demo_clinic_export(ctx: AppContext, public_key: str, out: Path) -> Path:
    """Fill `ctx` with a small demo clinic (every table), every client consenting to central
    records, and export all of it to `out`."""
    from sqlalchemy import update

    from wellbeing_desktop.services import sync
    from wellbeing_desktop.services.demo import load_demo

    load_demo(ctx, clients=30, services=12, seed=5, today=date(2026, 11, 24))
    with ctx.store.session() as s:
        s.execute(update(Client).values(consent_central_records=True))
    sync.export(ctx, out, recipient=public_key, full=True)
    return out
