"""`export`, `sync status|history|acknowledge` (desktop) and `central keygen|merge|
directory-export` (the central records team). See docs/sync-format.md. Device enrolment
(`sync enrolment`, `central enrol|devices|revoke`) is in cli/devices.py."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from wellbeing_desktop.cli.common import CommandError, add_json, emit, open_context

if TYPE_CHECKING:
    from wellbeing_desktop.services.sync import ExportSummary


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="write an encrypted bundle for central records")
    p.add_argument("--out", required=True, help="bundle file to write (must not exist)")
    p.add_argument("--full", action="store_true",
                   help="everything, not only what changed since the last acknowledged export")
    p.add_argument("--recipient", help="central public key (text or file); default: Settings")
    p.add_argument("--pseudonymised", action="store_true",
                   help="for reporting: no names, NHS number, contact details or free text")
    add_json(p)
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("sync", help="what is waiting to go to central records; acknowledgements")
    inner = p.add_subparsers(dest="sync_command", metavar="ACTION")
    q = inner.add_parser("status", help="records waiting for the next export")
    add_json(q)
    q.set_defaults(func=cmd_status)
    q = inner.add_parser("history", help="exports made on this computer")
    add_json(q)
    q.set_defaults(func=cmd_history)
    q = inner.add_parser("acknowledge", help="record the centre's acknowledgement file")
    q.add_argument("files", nargs="+", metavar="FILE")
    add_json(q)
    q.set_defaults(func=cmd_acknowledge)
    from wellbeing_desktop.cli import devices

    devices.register_sync(inner)
    p.set_defaults(func=_needs_action(p))

    p = sub.add_parser("central", help="for the central records team: keys and merging")
    inner = p.add_subparsers(dest="central_command", metavar="ACTION")
    q = inner.add_parser("keygen", help="make the central key pair")
    q.add_argument("--out", required=True, help="folder for central-private.pem and "
                   "central-public.txt")
    add_json(q)
    q.set_defaults(func=cmd_keygen)
    q = inner.add_parser("merge", help="merge bundles into the central records")
    q.add_argument("bundles", nargs="+", metavar="BUNDLE")
    q.add_argument("--db", required=True,
                   help="SQLite file (or sqlite:///PATH) or postgresql+psycopg://…")
    q.add_argument("--key", required=True, help="the central private key (PEM)")
    q.add_argument("--ack-dir", help="where to write acknowledgements (default: beside each "
                   "bundle)")
    add_json(q)
    q.set_defaults(func=cmd_merge)
    q = inner.add_parser("conflicts", help="list open conflicts kept for review")
    q.add_argument("--db", required=True, help="the central records database (as for merge)")
    q.add_argument("--limit", type=int, default=500)
    add_json(q)
    q.set_defaults(func=cmd_conflicts)
    q = inner.add_parser("restrictions",
                         help="clients who withdrew consent: their records are restricted")
    q.add_argument("--db", required=True, help="the central records database (as for merge)")
    add_json(q)
    q.set_defaults(func=cmd_restrictions)
    q = inner.add_parser("resolve", help="keep one version of a conflicting record")
    q.add_argument("conflict_id", type=int, help="the conflict's number (central conflicts)")
    q.add_argument("--keep", required=True, choices=["current", "other"],
                   help="current: the record as it is now; other: the version that lost")
    q.add_argument("--db", required=True, help="the central records database (as for merge)")
    q.add_argument("--reason", required=True, help="why this version is kept (recorded)")
    q.add_argument("--by", default=None, help="who is resolving (default: your login name)")
    add_json(q)
    q.set_defaults(func=cmd_resolve)
    q = inner.add_parser("directory-export",
                         help="publish the merged directory as ORUK JSON for the clinics")
    q.add_argument("--db", required=True, help="the central records database (as for merge)")
    q.add_argument("--out", required=True, help="ORUK JSON file to write")
    add_json(q)
    q.set_defaults(func=cmd_directory_export)
    from wellbeing_desktop.cli import central_reports

    central_reports.register(inner)
    devices.register_central(inner)
    p.set_defaults(func=_needs_action(p))


def _needs_action(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    def run(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2
    return run


def cmd_export(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import sync

    with open_context(args) as ctx:
        result = sync.export(ctx, Path(args.out), full=args.full, recipient=args.recipient,
                             pseudonymised=args.pseudonymised)
    kind = "full" if result.full else f"changes since {result.since_seq}"
    emit(args, result.as_dict(),
         f"Wrote {result.path}: {sync.plural(result.records, 'record')} and "
         f"{sync.plural(result.tombstones, 'deletion')} "
         f"({kind}{', pseudonymised' if result.pseudonymised else ''}); export {result.export_id}")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import sync

    with open_context(args) as ctx:
        st = sync.status(ctx)
    data = {"pending": st.pending, "pending_total": st.pending_total, "watermark": st.watermark,
            "current_seq": st.current_seq, "central_key": st.key_fingerprint or None,
            "exports": st.exports, "unacknowledged": st.unacknowledged}
    lines = [f"{sync.plural(st.pending_total, 'record')} waiting for the next export"]
    lines += [f"  {sync.entity_label(name, n)}" for name, n in st.pending.items()]
    lines.append(f"{st.unacknowledged:,} of {sync.plural(st.exports, 'export')} not yet "
                 "acknowledged")
    if not st.key_fingerprint:
        lines.append("No central public key is set (Settings → Sync).")
    emit(args, data, "\n".join(lines))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import sync

    with open_context(args) as ctx:
        rows = sync.history(ctx)
    data = [{"export_id": r.export_id, "created_at": r.created_at.isoformat(),
             "records": r.records, "tombstones": r.tombstones, "full": r.full,
             "pseudonymised": r.pseudonymised, "file": r.file_name, "since_seq": r.since_seq,
             "until_seq": r.until_seq, "acknowledged": r.acknowledged,
             "acknowledged_at": r.acknowledged_at.isoformat() if r.acknowledged_at else None,
             "superseded": r.superseded}
            for r in rows]
    text = "\n".join(
        f"{r.created_at:%Y-%m-%d %H:%M}  {r.records:>7} records  "
        f"{_state(r):12}  {r.file_name}" for r in rows
    ) or "No exports yet."
    emit(args, data, text)
    return 0


def cmd_acknowledge(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import sync

    out = []
    with open_context(args) as ctx:
        for name in args.files:
            result = sync.acknowledge(ctx, Path(name))
            out.append({"file": name, "export_id": result.export_id, "already": result.already,
                        "watermark": result.watermark, "counts": result.counts})
    emit(args, out, "\n".join(
        f"{o['file']}: export {o['export_id']} "
        f"{'was already acknowledged' if o['already'] else 'acknowledged'}" for o in out))
    return 0


def cmd_keygen(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import sync

    result = sync.keygen(Path(args.out))
    emit(args, {"private_key": str(result.private_key), "public_key": str(result.public_key),
                "public_text": result.public_text, "fingerprint": result.fingerprint},
         f"Private key: {result.private_key} (keep it safe; never send it)\n"
         f"Public key:  {result.public_key}\n"
         f"Give each desktop this public key (Settings → Sync):\n{result.public_text}")
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import sync

    missing = [b for b in args.bundles if not Path(b).is_file()]
    if missing:
        raise CommandError(f"no such bundle: {missing[0]}")
    outcomes = sync.central_merge([Path(b) for b in args.bundles], args.db, Path(args.key),
                                  ack_dir=Path(args.ack_dir) if args.ack_dir else None)
    lines = []
    for o in outcomes:
        if o.result is None:
            print(f"wellbeing: {o.bundle}: refused: {o.error}", file=sys.stderr)
            continue
        t = o.result.totals
        state = "already merged, nothing changed" if o.result.replay else "merged"
        lines.append(f"{o.bundle}: {state}: {t['inserted']} inserted, {t['updated']} updated, "
                     f"{t['unchanged']} unchanged, {sync.plural(t['conflicts'], 'conflict')}, "
                     f"{sync.plural(t['tombstones'], 'tombstone')}"
                     + (f", {o.result.withdrawals} consent withdrawn (restricted)"
                        if o.result.withdrawals else "")
                     + f"; acknowledgement {o.ack}")
    if lines or args.json:
        emit(args, [o.as_dict() for o in outcomes], "\n".join(lines))
    return 0 if all(o.ok for o in outcomes) else 2


def cmd_directory_export(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import sync

    result = sync.central_directory_export(args.db, Path(args.out))
    emit(args, {"path": str(result.path), "services": result.services,
                "reported_wrong": result.reported_wrong},
         f"Wrote {result.services} services to {result.path} "
         f"({result.reported_wrong} reported wrong by clinics)")
    return 0


def _state(row: ExportSummary) -> str:
    if row.acknowledged:
        return "acknowledged"
    return "covered" if row.superseded else "waiting"


def cmd_conflicts(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import sync

    if args.limit < 1:
        raise CommandError("--limit must be at least 1")
    rows = sync.central_conflicts(args.db, limit=args.limit)
    data = [{"id": r.id, "entity": r.entity, "record_id": r.record_id, "client_id": r.client_id,
             "lost_device": r.lost_device, "lost_version": r.lost_version,
             "lost_updated_at": r.lost_updated_at.isoformat(), "lost_deleted": r.lost_deleted,
             "kept_device": r.kept_device, "kept_version": r.kept_version,
             "detected_at": r.detected_at.isoformat(), "restricted": r.restricted} for r in rows]
    text = "\n".join(
        f"#{r.id} {r.entity} {r.record_id}: version {r.lost_version} from device {r.lost_device[:8]} "
        f"{'(a deletion) ' if r.lost_deleted else ''}lost to version {r.kept_version} from "
        f"{r.kept_device[:8]}{' [client restricted: consent withdrawn]' if r.restricted else ''}"
        for r in rows) or "No open conflicts."
    emit(args, data, text)
    return 0


def cmd_resolve(args: argparse.Namespace) -> int:
    import getpass

    from wellbeing_desktop.services import sync

    by = args.by if args.by is not None else getpass.getuser()
    done = sync.central_resolve(args.db, args.conflict_id, args.keep, by=by, reason=args.reason)
    data = {"conflict_id": done.conflict_id, "entity": done.entity, "record_id": done.record_id,
            "kept": done.keep, "version": done.version, "resolved_by": by,
            "resolved_at": done.resolved_at.isoformat(), "others_open": done.others_open}
    text = (f"Conflict #{done.conflict_id} resolved: kept the {done.keep} version of "
            f"{done.entity} {done.record_id} as version {done.version}."
            + (" 1 other conflict on this record remains open." if done.others_open == 1
               else f" {done.others_open} other conflicts on this record remain open."
               if done.others_open else ""))
    emit(args, data, text)
    return 0


def cmd_restrictions(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import sync

    rows = sync.central_restrictions(args.db)
    data = [{"client_id": r.client_id, "first_noted_at": r.first_noted_at.isoformat(),
             "device_id": r.device_id, "records_held": r.held} for r in rows]
    text = "\n".join(
        f"{r.client_id}: consent withdrawn, noted {r.first_noted_at:%Y-%m-%d} (device "
        f"{r.device_id[:8]}){'' if r.held else ', no records held yet'}" for r in rows
    ) or "No client's records are restricted."
    emit(args, data, text)
    return 0
