"""`wellbeing sync enrolment` (this device's signing key for the centre) and `central enrol|
devices|revoke` (the central records team's register of devices). See docs/sync-format.md §1a."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from wellbeing_desktop.cli.common import add_json, emit, open_context

DB_HELP = "the central records database (as for merge)"


def register_sync(inner: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    q = inner.add_parser("enrolment", help="write this device's enrolment file for the centre")
    q.add_argument("--out", required=True, help="the enrolment file to write")
    q.add_argument("--label", default=None,
                   help="how the centre will name this computer (default: service and host)")
    add_json(q)
    q.set_defaults(func=cmd_enrolment)


def register_central(inner: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    q = inner.add_parser("enrol", help="enrol a device from its enrolment file")
    q.add_argument("file", metavar="FILE", help="the device's enrolment file")
    q.add_argument("--db", required=True, help=DB_HELP)
    q.add_argument("--by", default=None, help="who enrols it (default: your login name)")
    q.add_argument("--replaces", metavar="DEVICE", default=None,
                   help="the enrolled device this computer replaced, starting from its backup "
                        "(that device is revoked; the records it made travel as this one's "
                        "history)")
    add_json(q)
    q.set_defaults(func=cmd_enrol)
    q = inner.add_parser("devices", help="list enrolled devices")
    q.add_argument("--db", required=True, help=DB_HELP)
    add_json(q)
    q.set_defaults(func=cmd_devices)
    q = inner.add_parser("revoke", help="refuse a device's bundles from now on")
    q.add_argument("device", metavar="DEVICE", help="the device id")
    q.add_argument("--db", required=True, help=DB_HELP)
    q.add_argument("--reason", required=True, help="why (recorded and given with refusals)")
    add_json(q)
    q.set_defaults(func=cmd_revoke)


def cmd_enrolment(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import sync

    with open_context(args) as ctx:
        written = sync.write_enrolment(ctx, Path(args.out), label=args.label)
    d = written.device
    emit(args, written.as_dict(),
         f"Wrote {written.path} for device {d.device_id} ({d.label}).\n"
         f"Fingerprint: {d.fingerprint}\n"
         "Send the file to the central records team and read them the fingerprint by phone.")
    return 0


def cmd_enrol(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import sync

    by = args.by if args.by is not None else getpass.getuser()
    entry, new = sync.central_enrol(Path(args.file), args.db, by=by, replaces=args.replaces)
    successor = (f"It replaces device {entry.replaces}, which is revoked.\n"
                 if entry.replaces else "")
    emit(args, {**entry.as_dict(), "status": "enrolled" if new else "already enrolled"},
         f"{'Enrolled' if new else 'Already enrolled'}: device {entry.device_id} "
         f"({entry.label}), fingerprint {entry.fingerprint}.\n{successor}"
         "Check the fingerprint with the clinic before merging its bundles." if new else
         f"Already enrolled: device {entry.device_id} ({entry.label}), fingerprint "
         f"{entry.fingerprint}; nothing changed.")
    return 0


def cmd_devices(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import sync

    rows = sync.central_devices(args.db)
    text = "\n".join(
        f"{r.device_id}  {r.fingerprint}  {r.label or '-'}  enrolled {r.enrolled_at:%Y-%m-%d}"
        + (f"  replaces {r.replaces}" if r.replaces else "")
        + (f"  REVOKED {r.revoked_at:%Y-%m-%d}: {r.revoked_reason}" if r.revoked_at else "")
        + (f"  audit head {r.audit_seq}" if r.audit_hash else "")
        for r in rows) or "No devices are enrolled."
    emit(args, [r.as_dict() for r in rows], text)
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import sync

    entry = sync.central_revoke(args.db, args.device, args.reason)
    emit(args, entry.as_dict(), f"Revoked device {entry.device_id} ({entry.label}): its "
                                "bundles are refused from now on; what it sent before stays.")
    return 0
