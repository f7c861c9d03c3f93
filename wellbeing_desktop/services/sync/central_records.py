"""The central records team's side: merge bundles, publish the directory, settle conflicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from wellbeing_desktop.services.errors import FieldProblem, ValidationError
from wellbeing_desktop.services.sync.history import Progress, SyncError
from wellbeing_desktop.storage.bulk import paused_gc
from wellbeing_desktop.storage.types import utcnow
from wellbeing_desktop.sync import central, crypto
from wellbeing_desktop.sync.bundle import read_bundle
from wellbeing_desktop.sync.crypto import BundleError
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
            # The cycle collector stays paused from reading the bundle until its records are
            # freed: re-enabled in between, it walked every decoded record once more (0.1 s
            # of a 100,000-record bundle); the merge's own pauses nest inside this one.
            with paused_gc():
                outcomes.append(_merge_one(Path(path), engine, private, ack_dir, progress))
    finally:
        engine.dispose()
    return outcomes


def _merge_one(path: Path, engine: Any, private: Any, ack_dir: Path | None,
               progress: Progress | None) -> MergeOutcome:
    try:
        bundle = read_bundle(path, private)
        result = merge(engine, prepare(bundle), progress=progress)
    except (BundleError, MergeRejected) as exc:
        return MergeOutcome(path, None, str(exc), None)
    folder = ack_dir or path.parent
    ack = folder / f"{path.stem}.ack.json"
    central.write_ack(bundle, result, utcnow().isoformat(), ack)
    return MergeOutcome(path, result, "", ack)


@dataclass(frozen=True)
class DirectoryExport:
    path: Path
    services: int
    reported_wrong: int


def central_directory_export(db_url: str, out: Path | str) -> DirectoryExport:
    """Publish the merged directory as ORUK JSON (with the clinics' "reported wrong" notes in
    each service's local fields), for the clinics to import."""
    from wellbeing_desktop.oruk import exporter
    from wellbeing_desktop.storage.models.directory import DirService

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
