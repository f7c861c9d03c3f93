"""Shared state and the fast Core insert helper for demo-data generators."""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Table

from wellbeing_desktop.storage.changes import reserve_sequence

Progress = Callable[[int, str], None]


@dataclass
class DemoContext:
    conn: Connection
    rng: random.Random
    device_id: str
    today: date
    clients: int
    services: int
    large: bool
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    practitioner_ids: list[uuid.UUID] = field(default_factory=list)
    client_ids: list[uuid.UUID] = field(default_factory=list)
    referral_ids: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)  # client -> referral
    client_stage: dict[uuid.UUID, str] = field(default_factory=dict)
    service_ids: list[uuid.UUID] = field(default_factory=list)
    # Anything a later generator needs from an earlier one.
    extra: dict[str, Any] = field(default_factory=dict)

    def uuid(self) -> uuid.UUID:
        # Content follows the seed; ids never repeat, so demo data can be added twice.
        return uuid.uuid4()

    def insert(self, table: Table, rows: Iterable[dict[str, Any]]) -> int:
        """Insert synchronised rows with one executemany, filling the shared columns."""
        batch = list(rows)
        if not batch:
            return 0
        seq = reserve_sequence(self.conn, len(batch))
        for row in batch:
            row.setdefault("id", self.uuid())
            row.setdefault("created_at", self.now)
            row.setdefault("updated_at", self.now)
            row.setdefault("version", 1)
            row.setdefault("origin_device", self.device_id)
            row.setdefault("deleted_at", None)
            row["change_seq"] = seq
            seq += 1
        self.conn.execute(table.insert(), batch)
        return len(batch)
