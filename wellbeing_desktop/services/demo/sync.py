"""Demo sync history: two earlier exports to central records, the older one acknowledged by
the centre, so the Sync page shows a realistic history and some records waiting."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime, time, timedelta

from sqlalchemy import Connection, Uuid, func, insert, literal, select, text

from wellbeing_desktop.services.demo.context import DemoContext
from wellbeing_desktop.storage.models.clients import Client
from wellbeing_desktop.storage.models.sync import ExportClient, ExportLog, ExportSubject, SentClient
from wellbeing_desktop.sync.export import Plan, count_pending
from wellbeing_desktop.sync.schema import entities


def generate(ctx: DemoContext) -> None:
    conn = ctx.conn
    current = int(conn.execute(text("SELECT change_seq FROM device_state WHERE id = 1"))
                  .scalar_one())
    if current < 10:
        return
    cuts = [(0, int(current * 0.82)), (int(current * 0.82), int(current * 0.93))]
    made = [datetime.combine(ctx.today - timedelta(days=16), time(16, 40)).astimezone(),
            datetime.combine(ctx.today - timedelta(days=3), time(12, 5)).astimezone()]
    acknowledged_at = datetime.combine(ctx.today - timedelta(days=13), time(9, 30)).astimezone()
    for number, ((since, until), when) in enumerate(zip(cuts, made, strict=True)):
        export_id, acked = uuid.uuid4(), number == 0
        records = _count(conn, since, until, exact=not ctx.large)
        conn.execute(insert(ExportLog).values(
            id=export_id, created_at=when, actor_id="", since_seq=since, until_seq=until,
            full=False, pseudonymised=False, records=records, tombstones=0,
            file_name=f"wellbeing-export-{ctx.device_id[:8]}-{when:%Y%m%d-%H%M}.wbsync",
            digest=secrets.token_hex(32), ack_key=secrets.token_hex(32),
            recipient=secrets.token_hex(8), acknowledged=acked,
            acknowledged_at=acknowledged_at if acked else None,
            ack_counts=f'{{"inserted": {records}}}' if acked else ""))
        # Whose records it carried (approximately: clients whose own row changed in range).
        conn.execute(insert(ExportSubject).from_select(
            ["export_id", "client_id", "kind"],
            select(literal(export_id, Uuid()), Client.id, literal("data")).where(
                Client.consent_central_records.is_(True), Client.change_seq > since,
                Client.change_seq <= until)))
        if acked:  # the centre now holds these clients' whole records
            chosen = select(literal(export_id, Uuid()), Client.id).where(
                Client.consent_central_records.is_(True), Client.change_seq <= until,
                Client.id.not_in(select(SentClient.client_id)))
            conn.execute(insert(ExportClient).from_select(["export_id", "client_id"], chosen))
            conn.execute(insert(SentClient).from_select(
                ["export_id", "client_id"],
                select(ExportClient.export_id, ExportClient.client_id).where(
                    ExportClient.export_id == export_id)))


def _count(conn: Connection, since: int, until: int, *, exact: bool) -> int:
    """Records in the range; at benchmark scale, by change number only (quick, a little high:
    it counts clients who did not consent too)."""
    if exact:
        return sum(count_pending(conn, Plan(since, until, False, False)).values())
    return sum(int(conn.execute(select(func.count()).select_from(e.table).where(
        e.table.c.change_seq > since, e.table.c.change_seq <= until)).scalar_one())
        for e in entities())
