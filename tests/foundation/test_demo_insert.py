"""The demo generators' fast insert stores exactly what SQLAlchemy's Core insert stores."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from wellbeing_desktop.services.demo.context import DemoContext
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.casework import Appointment


def _rows(client_id: uuid.UUID, referral_id: uuid.UUID) -> dict[Any, list[dict[str, Any]]]:
    return {
        Client.__table__: [
            {"id": client_id, "given_name": "Zofia", "family_name": "Wiśniewska",
             "date_of_birth": date(1980, 2, 29), "consent_central_records": True},
        ],
        Referral.__table__: [
            {"id": referral_id, "client_id": client_id, "received_on": date(2026, 10, 1),
             "source": "gp"},
        ],
        Appointment.__table__: [
            {"client_id": client_id, "referral_id": referral_id,
             "starts_at": datetime(2026, 10, 8, 9, 30), "topics": ["sleep", "stress"]},
            {"client_id": client_id, "referral_id": referral_id,
             "starts_at": datetime(2026, 10, 15, 9, 30)},  # topics left to its default
        ],
    }


def test_fast_insert_matches_core_insert(ctx: Any) -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    fast_ids = (uuid.uuid4(), uuid.uuid4())
    core_ids = (uuid.uuid4(), uuid.uuid4())
    with ctx.store.session() as s:
        conn = s.connection()
        demo = DemoContext(conn=conn, rng=random.Random(1), device_id="dev", today=date.today(),
                           clients=1, services=0, large=False, now=now)
        for table, rows in _rows(*fast_ids).items():
            demo.insert(table, rows)
        for table, rows in _rows(*core_ids).items():
            for row in rows:
                row.setdefault("id", uuid.uuid4())
                row.update(created_at=now, updated_at=now, version=1, origin_device="dev",
                           deleted_at=None, change_seq=0)
                conn.execute(table.insert(), row)  # one at a time: defaults per row

    def stored(table: Any, column: Any, value: uuid.UUID) -> list[dict[str, Any]]:
        skip = {"id", "client_id", "referral_id", "change_seq"}
        with ctx.store.read() as s:
            return [{k: v for k, v in row._mapping.items() if k not in skip}
                    for row in s.execute(select(table).where(column == value)
                                         .order_by(table.c.created_at, table.c.id))]

    for (table, column, fast, core) in (
        (Client.__table__, Client.__table__.c.id, fast_ids[0], core_ids[0]),
        (Referral.__table__, Referral.__table__.c.id, fast_ids[1], core_ids[1]),
    ):
        assert stored(table, column, fast) == stored(table, column, core)
    ap = Appointment.__table__
    fast_rows = sorted(stored(ap, ap.c.client_id, fast_ids[0]), key=lambda r: r["starts_at"])
    core_rows = sorted(stored(ap, ap.c.client_id, core_ids[0]), key=lambda r: r["starts_at"])
    assert fast_rows == core_rows
    assert fast_rows[0]["topics"] == ["sleep", "stress"] and fast_rows[1]["topics"] == []
    with ctx.store.read() as s:
        seqs = list(s.execute(select(ap.c.change_seq).where(ap.c.client_id == fast_ids[0])).scalars())
        assert sorted(seqs) == sorted(set(seqs)) and all(n > 0 for n in seqs)


def test_demo_ids_are_random_version_4_uuids() -> None:
    """The demo's quick id maker gives what `uuid.uuid4()` gives: distinct, version 4, RFC 4122
    variant, equal to (and hashing like) the same id parsed from its text."""
    demo = DemoContext(None, random.Random(1), "device", date(2026, 1, 1), 1, 1, False)  # type: ignore[arg-type]
    ids = [demo.uuid() for _ in range(10_000)]  # more than one batch of random bytes
    assert len(set(ids)) == len(ids)
    for made in ids[:50] + ids[-50:]:
        parsed = uuid.UUID(str(made))
        assert made == parsed and hash(made) == hash(parsed)
        assert made.version == 4 and made.variant == uuid.RFC_4122
