"""Sync to central records: export bundles and acknowledgements on the desktop; key
generation and the merge for the central records team (DESIGN §6, docs/sync-format.md)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import orjson
from sqlalchemy import delete, func, insert, select

from wellbeing_desktop import __version__
from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import (
    Changed,
    FieldProblem,
    NotFound,
    ValidationError,
    WellbeingError,
)
from wellbeing_desktop.storage import migrate
from wellbeing_desktop.storage.models.sync import (
    ExportClient,
    ExportLog,
    ExportSubject,
    SentClient,
)
from wellbeing_desktop.storage.types import utcnow
from wellbeing_desktop.sync import central, crypto
from wellbeing_desktop.sync.bundle import BundleWriter, read_bundle
from wellbeing_desktop.sync.crypto import BundleError
from wellbeing_desktop.sync.export import Plan, count_pending, current_seq, write_records
from wellbeing_desktop.sync.merge import (
    KEEP_CHOICES,
    MergeRejected,
    MergeResult,
    Resolution,
    Restricted,
    merge,
    prepare,
    resolve_conflict,
    restricted_clients,
)

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


def central_key_text(ctx: AppContext) -> str:
    return str(ctx.settings.section("sync").get("central_public_key") or "")


def _fingerprint(text: str) -> str:
    try:
        return crypto.fingerprint(crypto.parse_public_key(text)) if text else ""
    except BundleError:
        return ""


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


# ---------------------------------------------------------------- desktop: export

@dataclass(frozen=True)
class ExportResult:
    export_id: str
    path: Path
    records: int
    tombstones: int
    counts: dict[str, int]
    since_seq: int
    until_seq: int
    full: bool
    pseudonymised: bool
    digest: str
    changed: Changed

    def as_dict(self) -> dict[str, Any]:
        return {"export_id": self.export_id, "path": str(self.path), "records": self.records,
                "tombstones": self.tombstones, "entities": self.counts,
                "since_seq": self.since_seq, "until_seq": self.until_seq, "full": self.full,
                "pseudonymised": self.pseudonymised, "digest": self.digest}


def default_file_name(ctx: AppContext) -> str:
    stamp = utcnow().strftime("%Y%m%d-%H%M")
    return f"wellbeing-export-{ctx.store.device_id[:8]}-{stamp}{BUNDLE_SUFFIX}"


def export(
    ctx: AppContext,
    out: Path | str,
    *,
    full: bool = False,
    recipient: str | None = None,
    pseudonymised: bool = False,
    progress: Progress | None = None,
    opener: Callable[[Path], BinaryIO] | None = None,
) -> ExportResult:
    """Write one encrypted bundle to `out`. A failure leaves no file and no log entry."""
    permissions.require(ctx.actor, "sync.export")
    out = Path(out)
    key_text = recipient if recipient is not None else central_key_text(ctx)
    problems = []
    if not key_text.strip():
        problems.append(FieldProblem(
            "recipient", "No central public key: set it in Settings → Sync, or give one."))
    if out.exists():
        problems.append(FieldProblem("out", f"{out} already exists; choose a new file name."))
    elif not out.parent.is_dir():
        problems.append(FieldProblem("out", f"The folder {out.parent} does not exist."))
    if problems:
        raise ValidationError(problems)
    try:
        key = crypto.load_public_key(key_text)
    except BundleError as exc:
        raise ValidationError([FieldProblem("recipient", str(exc).capitalize() + ".")]) from None

    export_id = uuid.uuid4()

    def cancelled() -> bool:
        return bool(getattr(progress, "cancelled", False))

    with ctx.store.read() as s:
        conn = s.connection()
        since = 0 if full else _watermark(s)
        plan = Plan(since, current_seq(conn), full, pseudonymised)
        with BundleWriter(out, key, opener=opener) as writer:
            written = write_records(conn, writer, plan, progress, cancelled)
            if progress:
                progress(97, "Sealing the bundle…")
            digest = writer.commit({
                "app_version": __version__,
                "schema_revision": migrate.HEAD,
                "device_id": ctx.store.device_id,
                "practitioner_id": str(ctx.actor.id or ""),
                "export_id": str(export_id),
                "created_at": utcnow().isoformat(),
                "since_seq": plan.since,
                "until_seq": plan.until,
                "full": full,
                "pseudonymised": pseudonymised,
                "counts": written.counts,
                "tombstones": written.tombstones,
                "withdrawals": len(written.withdrawn),
            })
            ack_key = writer.ack_key
    try:
        with ctx.store.session() as s:
            s.add(ExportLog(
                id=export_id, actor_id=ctx.actor.audit_id, since_seq=plan.since,
                until_seq=plan.until, full=full, pseudonymised=pseudonymised,
                records=written.records, tombstones=written.tombstones, file_name=out.name,
                digest=digest, ack_key=ack_key.hex(), recipient=crypto.fingerprint(key)))
            s.flush()
            if written.fresh_clients:
                s.execute(insert(ExportClient), [
                    {"export_id": export_id, "client_id": cid} for cid in written.fresh_clients])
            if written.subjects:
                s.execute(insert(ExportSubject), [
                    {"export_id": export_id, "client_id": cid, "kind": "data"}
                    for cid in sorted(written.subjects)])
            if written.withdrawn:
                s.execute(insert(ExportSubject), [
                    {"export_id": export_id, "client_id": cid, "kind": "withdrawal"}
                    for cid in written.withdrawn])
            audit.record(s, ctx.actor, "sync.export", entity="export", entity_id=export_id,
                         detail=f"records={written.records} tombstones={written.tombstones}"
                                f"{' full' if full else ''}{' pseudonymised' if pseudonymised else ''}")
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    if progress:
        progress(100, "Export written")
    return ExportResult(str(export_id), out, written.records, written.tombstones, written.counts,
                        plan.since, plan.until, full, pseudonymised, digest, Changed.of("sync"))


# ---------------------------------------------------------------- desktop: acknowledgements

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


# ---------------------------------------------------------------- settings

def set_central_key(ctx: AppContext, text: str) -> Changed:
    permissions.require(ctx.actor, "settings.edit")
    value = text.strip()
    if value:
        try:
            value = crypto.format_public_key(crypto.parse_public_key(value))
        except BundleError as exc:
            raise ValidationError([FieldProblem("central_public_key",
                                                str(exc).capitalize() + ".")]) from None
    ctx.settings.section("sync")["central_public_key"] = value
    ctx.settings.save()
    with ctx.store.session() as s:
        audit.record(s, ctx.actor, "settings.sync_key", detail=_fingerprint(value))
    return Changed.of("settings", "sync")


# ---------------------------------------------------------------- central records team

@dataclass(frozen=True)
class KeygenResult:
    private_key: Path
    public_key: Path
    public_text: str
    fingerprint: str


def keygen(out_dir: Path | str) -> KeygenResult:
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    private, public = directory / "central-private.pem", directory / "central-public.txt"
    for path in (private, public):
        if path.exists():
            raise ValidationError([FieldProblem(
                "out", f"{path} already exists; keys are never overwritten.")])
    pair = crypto.generate_keypair()
    fd = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pair.private_pem)
        fh.flush()
        os.fsync(fh.fileno())
    central.atomic_write(public, (pair.public_text + "\n").encode("ascii"))
    fp = crypto.fingerprint(crypto.parse_public_key(pair.public_text))
    return KeygenResult(private, public, pair.public_text, fp)


@dataclass(frozen=True)
class MergeOutcome:
    bundle: Path
    result: MergeResult | None
    error: str
    ack: Path | None

    @property
    def ok(self) -> bool:
        return self.result is not None

    def as_dict(self) -> dict[str, Any]:
        base: dict[str, Any] = {"bundle": str(self.bundle), "ok": self.ok}
        if self.result is not None:
            base.update(self.result.as_dict())
            base["ack"] = str(self.ack) if self.ack else None
        else:
            base["error"] = self.error
        return base


def central_merge(
    bundles: list[Path],
    db_url: str,
    key_path: Path,
    *,
    ack_dir: Path | None = None,
    progress: Progress | None = None,
) -> list[MergeOutcome]:
    """Merge each bundle in its own transaction; a bad one is refused and the rest go on."""
    try:
        private = crypto.load_private_key(key_path)
    except BundleError as exc:
        raise ValidationError([FieldProblem("key", str(exc))]) from None
    if ack_dir is not None and not ack_dir.is_dir():
        raise ValidationError([FieldProblem("ack_dir", f"The folder {ack_dir} does not exist.")])
    try:
        engine = central.open_central(db_url)
    except BundleError as exc:
        raise SyncError(str(exc)) from None
    outcomes: list[MergeOutcome] = []
    try:
        for path in bundles:
            path = Path(path)
            try:
                bundle = read_bundle(path, private)
                result = merge(engine, prepare(bundle), progress=progress)
            except (BundleError, MergeRejected) as exc:
                outcomes.append(MergeOutcome(path, None, str(exc), None))
                continue
            folder = ack_dir or path.parent
            ack = folder / f"{path.stem}.ack.json"
            central.write_ack(bundle, result, utcnow().isoformat(), ack)
            outcomes.append(MergeOutcome(path, result, "", ack))
    finally:
        engine.dispose()
    return outcomes


@dataclass(frozen=True)
class DirectoryExport:
    path: Path
    services: int
    reported_wrong: int


def central_directory_export(db_url: str, out: Path | str) -> DirectoryExport:
    """Publish the merged directory as ORUK JSON (with the clinics' "reported wrong" notes in
    each service's local fields), for the clinics to import."""
    from wellbeing_desktop.storage.models.directory import DirService
    from wellbeing_desktop.sync.oruk import exporter

    target = Path(out)
    if target.is_dir() or not target.parent.is_dir():
        raise ValidationError([FieldProblem(
            "out", f"{target} is a folder; give a file name" if target.is_dir()
            else f"The folder {target.parent} does not exist.")])
    try:
        engine = central.open_central(db_url)
    except BundleError as exc:
        raise SyncError(str(exc)) from None
    try:
        with engine.begin() as conn:
            services = exporter.write(conn, target)
            flagged = conn.execute(select(func.count()).select_from(DirService).where(
                DirService.reported_wrong.is_(True), DirService.deleted_at.is_(None),
                DirService.withdrawn_at.is_(None))).scalar_one()
    finally:
        engine.dispose()
    return DirectoryExport(target, services, int(flagged))


@dataclass(frozen=True)
class ConflictSummary:
    id: int
    entity: str
    record_id: str
    client_id: str | None
    lost_device: str
    lost_version: int
    lost_updated_at: datetime
    lost_deleted: bool
    kept_device: str
    kept_version: int
    detected_at: datetime
    restricted: bool = False  # the client withdrew consent (docs/sync-format.md §7a)


def central_conflicts(db_url: str, *, limit: int = 500) -> list[ConflictSummary]:
    """Open conflicts: versions that lost to another device's and say something different."""
    from wellbeing_desktop.storage.models.sync import Conflict

    try:
        engine = central.open_central(db_url)
    except BundleError as exc:
        raise SyncError(str(exc)) from None
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(
                Conflict.id, Conflict.entity, Conflict.record_id, Conflict.client_id, Conflict.lost_device,
                Conflict.lost_version, Conflict.lost_updated_at, Conflict.lost_deleted,
                Conflict.kept_device, Conflict.kept_version, Conflict.detected_at).where(
                Conflict.same_as_kept.is_(False), Conflict.resolved.is_(False)).order_by(
                Conflict.detected_at, Conflict.id).limit(limit)).all()
            restricted = {r.client_id for r in restricted_clients(conn)}
    finally:
        engine.dispose()
    return [ConflictSummary(
        id=r.id, entity=r.entity, record_id=str(r.record_id),
        client_id=str(r.client_id) if r.client_id else None, lost_device=r.lost_device,
        lost_version=r.lost_version, lost_updated_at=r.lost_updated_at,
        lost_deleted=r.lost_deleted, kept_device=r.kept_device, kept_version=r.kept_version,
        detected_at=r.detected_at,
        restricted=bool(r.client_id) and str(r.client_id) in restricted) for r in rows]


def central_resolve(db_url: str, conflict_id: int, keep: str, *, by: str,
                    reason: str) -> Resolution:
    """Apply the central team's choice for one conflict (`keep` "current": the record as it is
    now; "other": the version that lost), in one transaction, recording who, when and why."""
    problems = []
    if keep not in KEEP_CHOICES:
        problems.append(FieldProblem("keep", "Choose current or other."))
    if not by.strip():
        problems.append(FieldProblem("by", "Say who is resolving the conflict."))
    if not reason.strip():
        problems.append(FieldProblem("reason", "Say why this version is kept."))
    if problems:
        raise ValidationError(problems)
    try:
        engine = central.open_central(db_url)
    except BundleError as exc:
        raise SyncError(str(exc)) from None
    try:
        return resolve_conflict(engine, conflict_id, keep, by.strip(), reason.strip())
    except MergeRejected as exc:  # no such conflict, reviewed already, unreadable
        raise ValidationError([FieldProblem("conflict_id", f"{exc}.".capitalize())]) from None
    finally:
        engine.dispose()


def central_restrictions(db_url: str) -> list[Restricted]:
    """Clients who withdrew consent after their records were sent, withdrawal in force: their
    rows stay but are restricted (not for routine use or reporting; docs/sync-format.md §7a)."""
    try:
        engine = central.open_central(db_url)
    except BundleError as exc:
        raise SyncError(str(exc)) from None
    try:
        with engine.connect() as conn:
            return restricted_clients(conn)
    finally:
        engine.dispose()
