"""Feeds as sources (in the caller's transaction): which feeds list which services.

A service is on offer while any feed that is not removed still lists it. A full import
withdraws, within its own feed only, the services it no longer lists — never a service it
skipped as invalid (the feed still lists it), never one another feed lists. Withdrawn services
are never deleted: signposting history points at them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Table, and_, exists, select, update

from wellbeing_desktop.oruk.writer import bulk_insert
from wellbeing_desktop.storage.changes import reserve_sequence
from wellbeing_desktop.storage.models import directory as m
from wellbeing_desktop.storage.models import feeds as f

FEEDS: Table = f.DirFeed.__table__  # type: ignore[assignment]
SOURCES: Table = f.DirServiceSource.__table__  # type: ignore[assignment]
SERVICES: Table = m.DirService.__table__  # type: ignore[assignment]


# Feeds and sources are this installation's bookkeeping (they do not travel to central
# records): no version or change sequence. A service's own withdrawal does travel.
def _shared(conn: Connection, device: str, now: datetime, count: int) -> list[dict[str, Any]]:
    return [{"created_at": now, "updated_at": now} for _ in range(count)]


def _bump(conn: Connection, device: str, now: datetime) -> dict[str, Any]:
    return {"updated_at": now}


def _service_bump(conn: Connection, device: str, now: datetime) -> dict[str, Any]:
    return {"updated_at": now, "origin_device": device,
            "change_seq": reserve_sequence(conn, 1)}


def feed_for(conn: Connection, name: str, device: str, now: datetime) -> uuid.UUID:
    """The feed of this name (made on first use; a removed feed imported again is back)."""
    row = conn.execute(select(FEEDS.c.id, FEEDS.c.removed_at).where(FEEDS.c.name == name)).first()
    if row is not None:
        if row.removed_at is not None:
            conn.execute(update(FEEDS).where(FEEDS.c.id == row.id).values(
                removed_at=None, **_bump(conn, device, now)))
        return uuid.UUID(str(row.id)) if not isinstance(row.id, uuid.UUID) else row.id
    feed_id = uuid.uuid4()
    conn.execute(FEEDS.insert().values(
        id=feed_id, name=name, source_file="", last_imported_at=None, full=False,
        counts_json="{}", warnings_json="[]", removed_at=None,
        **_shared(conn, device, now, 1)[0]))
    return feed_id


def record_import(conn: Connection, feed_id: uuid.UUID, *, source_file: str, full: bool,
                  counts: dict[str, int], warnings: list[dict[str, str]], device: str,
                  now: datetime) -> None:
    conn.execute(update(FEEDS).where(FEEDS.c.id == feed_id).values(
        source_file=source_file, last_imported_at=now, full=full,
        counts_json=orjson.dumps(counts).decode(),
        warnings_json=orjson.dumps(warnings).decode(), **_bump(conn, device, now)))


def mark_listed(conn: Connection, feed_id: uuid.UUID, services: Iterable[uuid.UUID],
                device: str, now: datetime) -> None:
    """This feed lists these services now (sources made or brought back)."""
    wanted = set(services)
    if not wanted:
        return
    # All of this feed's sources in one read (a feed lists its services, so nearly all of
    # them are wanted; one query beats forty `IN` lists of 500 on a 20,000-service feed).
    current: dict[uuid.UUID, Any] = {
        row.service_id: row for row in conn.execute(
            select(SOURCES.c.service_id, SOURCES.c.id, SOURCES.c.withdrawn_at)
            .where(SOURCES.c.feed_id == feed_id))}
    ids = list(wanted)
    new = [s for s in ids if s not in current]
    if new:
        shared = _shared(conn, device, now, len(new))
        bulk_insert(conn, SOURCES, [
            {"id": uuid.uuid4(), "service_id": s, "feed_id": feed_id, "last_seen_at": now,
             "withdrawn_at": None, **shared[i]} for i, s in enumerate(new)])
    back = [current[s].id for s in ids if s in current and current[s].withdrawn_at is not None]
    for row_id in back:
        conn.execute(update(SOURCES).where(SOURCES.c.id == row_id).values(
            withdrawn_at=None, last_seen_at=now, **_bump(conn, device, now)))


def withdraw_unlisted(conn: Connection, feed_id: uuid.UUID, listed: set[uuid.UUID],
                      device: str, now: datetime) -> list[tuple[str, str]]:
    """Withdraw this feed's sources for services it no longer lists; withdraw each service
    no other live feed lists. Returns the services withdrawn (ORUK id, name)."""
    gone = [(row.id, row.service_id) for row in conn.execute(
        select(SOURCES.c.id, SOURCES.c.service_id).where(
            SOURCES.c.feed_id == feed_id, SOURCES.c.withdrawn_at.is_(None)))
        if row.service_id not in listed]
    for source_id, _service in gone:
        conn.execute(update(SOURCES).where(SOURCES.c.id == source_id).values(
            withdrawn_at=now, **_bump(conn, device, now)))
    return _withdraw_orphans(conn, [s for _i, s in gone], device, now)


def remove_feed(conn: Connection, feed_id: uuid.UUID, device: str,
                now: datetime) -> list[tuple[str, str]]:
    """Remove a feed: its sources are withdrawn, and each of its services that no other live
    feed lists is withdrawn (never deleted)."""
    conn.execute(update(FEEDS).where(FEEDS.c.id == feed_id).values(
        removed_at=now, **_bump(conn, device, now)))
    return withdraw_unlisted(conn, feed_id, set(), device, now)


def _withdraw_orphans(conn: Connection, services: list[uuid.UUID], device: str,
                      now: datetime) -> list[tuple[str, str]]:
    if not services:
        return []
    live_elsewhere = exists().where(
        SOURCES.c.service_id == SERVICES.c.id, SOURCES.c.withdrawn_at.is_(None),
        SOURCES.c.feed_id == FEEDS.c.id,
        FEEDS.c.removed_at.is_(None))
    withdrawn: list[tuple[str, str]] = []
    for start in range(0, len(services), 500):
        chunk = services[start:start + 500]
        rows = conn.execute(select(SERVICES.c.id, SERVICES.c.oruk_id, SERVICES.c.name).where(
            and_(SERVICES.c.id.in_(chunk), SERVICES.c.withdrawn_at.is_(None),
                 SERVICES.c.deleted_at.is_(None), ~live_elsewhere))).all()
        for row in rows:
            conn.execute(update(SERVICES).where(SERVICES.c.id == row.id).values(
                withdrawn_at=now, version=SERVICES.c.version + 1,
                **_service_bump(conn, device, now)))
            withdrawn.append((row.oruk_id, row.name))
    return withdrawn
