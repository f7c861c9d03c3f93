"""Where the desktop's sync stands: what is pending, the export history, acknowledgements."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import delete, func, insert, select

from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import (
    Changed,
    FieldProblem,
    NotFound,
    ValidationError,
    WellbeingError,
)
from wellbeing_desktop.services.sync.keys import _fingerprint, central_key_text
from wellbeing_desktop.storage.models.sync import ExportClient, ExportLog, ExportSubject, SentClient
from wellbeing_desktop.storage.types import utcnow
from wellbeing_desktop.sync import central
from wellbeing_desktop.sync.crypto import BundleError
from wellbeing_desktop.sync.export import Plan, count_pending, current_seq

Progress = Callable[..., None]
BUNDLE_SUFFIX = ".wbsync"


class SyncError(WellbeingError):
    """A bundle or acknowledgement that cannot be used; the message says why."""


# ---------------------------------------------------------------- desktop: status and history

@dataclass(frozen=True)
class ExportSummary:
    export_id: str
    created_at: datetime
    records: int
    tombstones: int
    full: bool
    pseudonymised: bool
    file_name: str
    since_seq: int
    until_seq: int
    acknowledged: bool
    acknowledged_at: datetime | None
    # Not acknowledged, but a later acknowledged export covered the same changes.
    superseded: bool = False


@dataclass(frozen=True)
class SyncStatus:
    pending: dict[str, int]
    watermark: int
    current_seq: int
    key_fingerprint: str  # "" when no central key is set
    exports: int
    unacknowledged: int

    @property
    def pending_total(self) -> int:
        return sum(self.pending.values())


def plural(n: int, one: str, many: str | None = None) -> str:
    """`1 export`, `2 exports`, `1,611 records` (`many` for irregular words)."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"


_LABELS = {"dir_accessibility": ("directory accessibility record",
                                 "directory accessibility records"),
           "signposting_follow_ups": ("signposting follow-up", "signposting follow-ups")}


def entity_label(name: str, n: int) -> str:
    """A table's records in words, counted: `1 practitioner`, `23 signposting follow-ups`,
    `2 directory taxonomies`. Tables other areas add get the same rules."""
    if name in _LABELS:
        one, many = _LABELS[name]
        return plural(n, one, many)
    words = name.split("_")
    if words[0] == "dir":
        words[0] = "directory"
    last = words[-1]
    if last.endswith("ies"):
        single = last[:-3] + "y"
    elif last.endswith(("sses", "xes", "ches", "shes")):
        single = last[:-2]
    elif last.endswith("s") and not last.endswith("ss"):
        single = last[:-1]
    else:  # not a plural noun: count records of it
        return plural(n, " ".join(words) + " record")
    return plural(n, " ".join([*words[:-1], single]), " ".join(words))


def pending_summary(pending: dict[str, int], shown: int = 3) -> tuple[str, str]:
    """The largest few kinds of record waiting, in words, and all of them (for a tooltip)."""
    ranked = sorted(pending.items(), key=lambda kv: (-kv[1], kv[0]))
    every = [entity_label(name, n) for name, n in ranked]
    if not every:
        return "Everything has been sent and acknowledged.", ""
    text = ", ".join(every[:shown])
    rest = len(every) - shown
    if rest > 0:
        text += f" and {plural(rest, 'other kind')} of record"
    return text + ".", "\n".join(every)


def _watermark(session: Any) -> int:
    value = session.execute(
        select(func.max(ExportLog.until_seq)).where(
            ExportLog.acknowledged.is_(True), ExportLog.pseudonymised.is_(False))
    ).scalar()
    return int(value or 0)


def status(ctx: AppContext) -> SyncStatus:
    with ctx.store.read() as s:
        conn = s.connection()
        watermark = _watermark(s)
        until = current_seq(conn)
        pending = count_pending(conn, Plan(watermark, until, False, False))
        exports = s.execute(select(func.count()).select_from(ExportLog)).scalar_one()
        waiting = s.execute(select(func.count()).select_from(ExportLog).where(
            ExportLog.acknowledged.is_(False), ExportLog.pseudonymised.is_(False),
            ExportLog.until_seq > watermark)).scalar_one()
    return SyncStatus(pending, watermark, until, _fingerprint(central_key_text(ctx)),
                      int(exports), int(waiting))


def history(ctx: AppContext, limit: int = 100) -> list[ExportSummary]:
    with ctx.store.read() as s:
        watermark = _watermark(s)
        rows = s.execute(select(ExportLog).order_by(ExportLog.created_at.desc()).limit(limit))
        return [ExportSummary(str(e.id), e.created_at, e.records, e.tombstones, e.full,
                              e.pseudonymised, e.file_name, e.since_seq, e.until_seq,
                              e.acknowledged, e.acknowledged_at,
                              not e.acknowledged and not e.pseudonymised
                              and e.until_seq <= watermark) for e in rows.scalars()]


def exports_about(session: Any, client_id: uuid.UUID) -> list[dict[str, Any]]:
    """Every export bundle that carried something about one client (oldest first), for their
    subject access export: ids, dates and flags only (plain JSON values)."""
    rows = session.execute(
        select(ExportLog, ExportSubject.kind).join(
            ExportSubject, ExportSubject.export_id == ExportLog.id).where(
            ExportSubject.client_id == client_id).order_by(ExportLog.created_at)).all()
    return [{"export_id": str(e.id), "created_at": e.created_at.isoformat(),
             "kind": "full" if e.full else "incremental",
             "carried": "consent withdrawn notice" if kind == "withdrawal" else "records",
             "pseudonymised": e.pseudonymised, "acknowledged_by_centre": e.acknowledged,
             "acknowledged_at": e.acknowledged_at.isoformat() if e.acknowledged_at else None}
            for e, kind in rows]


@dataclass(frozen=True)
class AckResult:
    export_id: str
    already: bool
    counts: dict[str, int]
    watermark: int
    changed: Changed


def acknowledge(ctx: AppContext, path: Path | str) -> AckResult:
    """Record the centre's acknowledgement of one export (verified with the export's key)."""
    permissions.require(ctx.actor, "sync.export")
    path = Path(path)
    try:
        # Kind and size first (a device such as /dev/zero, or a huge file, is refused at once).
        payload, signature = central.read_ack_file(path)
        export_id = uuid.UUID(payload["export_id"])
    except (BundleError, ValueError) as exc:
        text = f"{exc}."  # capitalise the first letter only: the message names a file
        raise ValidationError([FieldProblem("file", text[:1].upper() + text[1:])]) from None
    if payload["device_id"] != ctx.store.device_id:
        raise ValidationError([FieldProblem(
            "file", "This acknowledgement is for an export made on another computer.")])
    with ctx.store.session() as s:
        log = s.get(ExportLog, export_id)
        if log is None:
            raise NotFound("No export on this computer matches this acknowledgement.")
        if payload["digest"] != log.digest or not central.ack_is_authentic(
                payload, signature, bytes.fromhex(log.ack_key)):
            raise ValidationError([FieldProblem(
                "file", "This acknowledgement does not match the export (altered, or not made "
                        "by the central records team).")])
        counts = {k: int(v) for k, v in payload["counts"].items() if isinstance(v, int)}
        already = log.acknowledged
        if not already:
            log.acknowledged = True
            log.acknowledged_at = utcnow()
            log.ack_counts = orjson.dumps(counts).decode()
            if not log.pseudonymised:
                sent = select(SentClient.client_id)
                s.execute(insert(SentClient).from_select(
                    ["client_id", "export_id"],
                    select(ExportClient.client_id, ExportClient.export_id).where(
                        ExportClient.export_id == export_id,
                        ExportClient.client_id.not_in(sent))))
                # Withdrawn: if they consent again, their whole record goes again.
                s.execute(delete(SentClient).where(SentClient.client_id.in_(
                    select(ExportSubject.client_id).where(
                        ExportSubject.export_id == export_id,
                        ExportSubject.kind == "withdrawal"))))
            audit.record(s, ctx.actor, "sync.acknowledge", entity="export", entity_id=export_id)
        s.flush()
        watermark = _watermark(s)
    return AckResult(str(export_id), already, counts, watermark, Changed.of("sync"))
