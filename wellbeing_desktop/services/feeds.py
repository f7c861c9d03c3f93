"""Directory feeds (publishers) and their data quality: list, remove, what to chase (issue 14).

A feed is remembered with its file, last import, counts and the import's data-quality notes.
Data quality is what a directory officer chases with the publisher: services on offer without
a phone or an address, without opening times, stale (not checked for 12 months), reported wrong
by our own practitioners — per feed, on screen and as CSV.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import and_, case, exists, func, select

from wellbeing_desktop.domain import directory as rules
from wellbeing_desktop.oruk import sources
from wellbeing_desktop.services import audit
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, FieldProblem, ValidationError
from wellbeing_desktop.services.files import PRIVATE, atomic_write
from wellbeing_desktop.services.permissions import require
from wellbeing_desktop.storage.changes import device_id
from wellbeing_desktop.storage.models import directory as m
from wellbeing_desktop.storage.models import feeds as f

ENTITY = "directory"
FEEDS, SOURCES = f.DirFeed.__table__, f.DirServiceSource.__table__
S = m.DirService.__table__
NO_FEED = "(no feed)"  # services made by hand or by the demo, listed by no feed


@dataclass(frozen=True)
class FeedInfo:
    name: str
    source_file: str
    last_imported: datetime | None
    full: bool
    services: int  # on offer from this feed
    withdrawn: int  # this feed stopped listing them (or was removed)
    last_counts: dict[str, int]
    warnings: int

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "source_file": self.source_file,
                "last_imported": self.last_imported.isoformat() if self.last_imported else None,
                "full": self.full, "services": self.services, "withdrawn": self.withdrawn,
                "last_import": self.last_counts, "warnings": self.warnings}


def list_feeds(ctx: AppContext) -> list[FeedInfo]:
    """Feeds not removed, by name, with their counts and last import."""
    require(ctx.actor, "directory.view")
    live = func.sum(case((SOURCES.c.withdrawn_at.is_(None), 1), else_=0))
    gone = func.sum(case((SOURCES.c.withdrawn_at.is_(None), 0), else_=1))
    with ctx.store.read() as s:
        counts = {r[0]: (int(r[1] or 0), int(r[2] or 0)) for r in s.execute(
            select(SOURCES.c.feed_id, live, gone).group_by(SOURCES.c.feed_id))}
        rows = s.execute(select(FEEDS).where(FEEDS.c.removed_at.is_(None))
                         .order_by(func.lower(FEEDS.c.name))).all()
    out = []
    for r in rows:
        on, off = counts.get(r.id, (0, 0))
        out.append(FeedInfo(r.name, r.source_file, r.last_imported_at, r.full, on, off,
                            orjson.loads(r.counts_json or "{}"),
                            len(orjson.loads(r.warnings_json or "[]"))))
    return out


@dataclass(frozen=True)
class RemovedFeed:
    name: str
    withdrawn: tuple[tuple[str, str], ...]
    changed: Changed


def remove_feed(ctx: AppContext, name: str) -> RemovedFeed:
    """Remove a feed: its services that no other feed lists are withdrawn (never deleted)."""
    require(ctx.actor, "directory.import")
    with ctx.store.session() as s:
        conn = s.connection()
        row = conn.execute(select(FEEDS.c.id).where(FEEDS.c.name == name,
                                                    FEEDS.c.removed_at.is_(None))).first()
        if row is None:
            known = ", ".join(i.name for i in list_feeds(ctx)) or "none yet"
            raise ValidationError([FieldProblem("feed", f"no feed named {name!r} (feeds: "
                                                        f"{known})")])
        withdrawn = sources.remove_feed(conn, row.id, device_id(conn), datetime.now(UTC))
        audit.record(s, ctx.actor, "directory.feed_removed", entity=ENTITY,
                     detail=f"withdrawn={len(withdrawn)}")
    return RemovedFeed(name, tuple(withdrawn), Changed.of(ENTITY))


# ------------------------------------------------------------------------------ quality

PROBLEMS = ("no phone", "no address", "no opening times", "stale", "reported wrong")


@dataclass(frozen=True)
class QualityRow:
    feed: str
    service_id: uuid.UUID
    oruk_id: str
    name: str
    problems: tuple[str, ...]


@dataclass(frozen=True)
class FeedQuality:
    feed: str
    services: int
    rows: tuple[QualityRow, ...]  # services with at least one problem
    warnings: tuple[dict[str, str], ...]  # the last import's notes

    def tally(self) -> dict[str, int]:
        return {p: sum(1 for r in self.rows if p in r.problems) for p in PROBLEMS}

    def as_dict(self) -> dict[str, Any]:
        return {"feed": self.feed, "services": self.services, "counts": self.tally(),
                "services_to_chase": [{"id": str(r.service_id), "oruk_id": r.oruk_id,
                                       "name": r.name, "problems": list(r.problems)}
                                      for r in self.rows],
                "import_warnings": list(self.warnings)}


def quality(ctx: AppContext, feed: str = "", *, today: date | None = None) -> list[FeedQuality]:
    """Per feed (or one feed): the services on offer a directory officer should chase."""
    require(ctx.actor, "directory.view")
    today = today or date.today()
    sal, addr = m.DirServiceAtLocation.__table__, m.DirAddress.__table__
    sched = m.DirSchedule.__table__
    has_address = exists().where(and_(
        sal.c.service_id == S.c.id, sal.c.deleted_at.is_(None),
        addr.c.location_id == sal.c.location_id, addr.c.deleted_at.is_(None),
        func.coalesce(addr.c.address_1, "") + func.coalesce(addr.c.postal_code, "") != ""))
    has_times = exists().where(and_(sched.c.service_id == S.c.id, sched.c.deleted_at.is_(None)))
    query = (select(S.c.id, S.c.oruk_id, S.c.name, S.c.by_phone, has_address, has_times,
                    S.c.verified_on, S.c.assured_date, S.c.last_modified, S.c.reported_wrong,
                    func.coalesce(FEEDS.c.name, NO_FEED))
             .select_from(S.outerjoin(SOURCES, and_(SOURCES.c.service_id == S.c.id,
                                                    SOURCES.c.withdrawn_at.is_(None)))
                          .outerjoin(FEEDS, and_(FEEDS.c.id == SOURCES.c.feed_id,
                                                 FEEDS.c.removed_at.is_(None))))
             .where(S.c.deleted_at.is_(None), S.c.withdrawn_at.is_(None))
             .order_by(func.lower(S.c.name)))
    with ctx.store.read() as s:
        rows = s.execute(query).all()
        notes = {r.name: tuple(orjson.loads(r.warnings_json or "[]")) for r in s.execute(
            select(FEEDS.c.name, FEEDS.c.warnings_json).where(FEEDS.c.removed_at.is_(None)))}
    by_feed: dict[str, list[QualityRow]] = {}
    totals: dict[str, int] = {}
    for r in rows:
        name = r[10]
        if feed and name != feed:
            continue
        totals[name] = totals.get(name, 0) + 1
        checked = rules.last_checked(r.verified_on, r.assured_date, r.last_modified)
        found = tuple(p for p, bad in zip(PROBLEMS, (
            not r.by_phone, not r[4], not r[5], rules.is_stale(checked, today),
            bool(r.reported_wrong)), strict=True) if bad)
        if found:
            by_feed.setdefault(name, []).append(QualityRow(name, r.id, r.oruk_id, r.name, found))
    if feed and feed not in totals and feed not in notes:
        raise ValidationError([FieldProblem("feed", f"no feed named {feed!r}")])
    names = sorted(set(totals) | ({feed} if feed else set(notes)), key=str.casefold)
    return [FeedQuality(n, totals.get(n, 0), tuple(by_feed.get(n, [])), notes.get(n, ()))
            for n in names]


def quality_csv(report: list[FeedQuality]) -> str:
    """One line per service to chase: feed, ORUK id, name, then a yes/blank column per problem
    (and the import's notes after, one line each), for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["feed", "oruk_id", "service", *PROBLEMS])
    for q in report:
        for r in q.rows:
            writer.writerow([q.feed, r.oruk_id, _safe(r.name),
                             *("yes" if p in r.problems else "" for p in PROBLEMS)])
    writer.writerow([])
    writer.writerow(["feed", "where", "record", "field", "import note"])
    for q in report:
        for w in q.warnings:
            writer.writerow([q.feed, _safe(w.get("where", "")), w.get("record", ""),
                             w.get("field", ""), _safe(w.get("message", ""))])
    return out.getvalue()


def _safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (feed text is untrusted)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def save_quality_csv(ctx: AppContext, path: Path | str, feed: str = "") -> int:
    target = Path(path)
    if target.is_dir() or not target.parent.exists():
        raise ValidationError([FieldProblem("path", f"{target}: give a file name in a folder "
                                                    "that exists")])
    report = quality(ctx, feed)
    # Private: it names services, not people, but stays with the team that asked for it.
    atomic_write(target, quality_csv(report), mode=PRIVATE)
    return sum(len(q.rows) for q in report)
