"""Exporting the desktop's changes as an encrypted, signed bundle for central records."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import insert

from wellbeing_desktop import __version__
from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, FieldProblem, ValidationError
from wellbeing_desktop.services.sync.devices import device_identity
from wellbeing_desktop.services.sync.history import BUNDLE_SUFFIX, Progress, _watermark
from wellbeing_desktop.services.sync.keys import central_key_text
from wellbeing_desktop.storage import migrate
from wellbeing_desktop.storage.models.sync import ExportClient, ExportLog, ExportSubject
from wellbeing_desktop.storage.types import utcnow
from wellbeing_desktop.sync import crypto
from wellbeing_desktop.sync.bundle import BundleWriter
from wellbeing_desktop.sync.crypto import BundleError
from wellbeing_desktop.sync.export import Plan, current_seq, write_records


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
        # The head of the keyed audit chain goes in the bundle: the centre keeps it, so a
        # chain rewritten or cut short afterwards no longer matches (issue 13).
        head_seq, head_hash = audit.head(s)
        signer = device_identity(ctx)
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
                "audit_head": {"seq": head_seq, "hash": head_hash},
            }, signer)
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
    try:
        audit.record_anchor(ctx, "export", str(export_id), point=(head_seq, head_hash))
    except OSError:  # the bundle is written; the anchor is only a help to `audit verify`
        pass
    if progress:
        progress(100, "Export written")
    return ExportResult(str(export_id), out, written.records, written.tombstones, written.counts,
                        plan.since, plan.until, full, pseudonymised, digest, Changed.of("sync"))
