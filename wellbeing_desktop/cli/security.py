"""`backup`, `restore`, `check`, `audit verify|list`, `users …`, `secure`: security commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wellbeing_desktop.cli.common import CommandError, add_json, emit, open_context, passphrase


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("backup", help="take a verified backup (to --out, or the backups folder)")
    p.add_argument("--out", type=Path, help="file (or folder) to write the backup to")
    add_json(p)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="restore a backup (checked first; the current records "
                       "are kept as a backup)")
    p.add_argument("file", type=Path)
    add_json(p)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("check", help="integrity of the store, the backups and the audit chain; the clock")
    add_json(p)
    p.set_defaults(func=cmd_check)

    audit = sub.add_parser("audit", help="the audit log").add_subparsers(
        dest="audit_command", metavar="COMMAND", parser_class=type(p))
    p = audit.add_parser("verify", help="check the hash chain; names the first broken event")
    add_json(p)
    p.set_defaults(func=cmd_audit_verify)
    p = audit.add_parser("list", help="newest events (identifiers only)")
    p.add_argument("--client", default="", help="only events about this client id")
    p.add_argument("--action", default="")
    p.add_argument("--limit", type=int, default=50)
    add_json(p)
    p.set_defaults(func=cmd_audit_list)

    users = sub.add_parser("users", help="user accounts").add_subparsers(
        dest="users_command", metavar="COMMAND", parser_class=type(p))
    p = users.add_parser("list", help="list users")
    add_json(p)
    p.set_defaults(func=cmd_users_list)
    p = users.add_parser("add", help="add a user (their passphrase from WELLBEING_NEW_PASSPHRASE "
                         "or a prompt)")
    p.add_argument("username")
    p.add_argument("--name", required=True, help="the person's full name")
    p.add_argument("--role", choices=("practitioner", "supervisor"), default="practitioner")
    add_json(p)
    p.set_defaults(func=cmd_users_add)
    p = users.add_parser("disable", help="switch an account off")
    p.add_argument("username")
    p.set_defaults(func=cmd_users_disable, active=False)
    p = users.add_parser("enable", help="switch an account on again")
    p.add_argument("username")
    p.set_defaults(func=cmd_users_disable, active=True)

    p = sub.add_parser("subject-access", help="everything held about one client: JSON and PDF")
    p.add_argument("client_id")
    p.add_argument("--out", type=Path, required=True, help="folder to write the two files to")
    add_json(p)
    p.set_defaults(func=cmd_subject_access)

    p = sub.add_parser("recover", help="set a new passphrase with the recovery key "
                       "(WELLBEING_RECOVERY_KEY and WELLBEING_NEW_PASSPHRASE, or prompts)")
    p.add_argument("--username", required=True)
    p.set_defaults(func=cmd_recover)

    p = sub.add_parser("secure", help="encrypt a store set up without a passphrase; prints the "
                       "recovery key once")
    p.add_argument("--username", required=True, help="the set-up supervisor's new username")
    p.set_defaults(func=cmd_secure)


def cmd_backup(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import backups

    with open_context(args) as ctx:
        info = backups.backup_now(ctx, "manual", out=args.out)
    emit(args, {"path": str(info.path), "bytes": info.size,
                "second_copy": str(info.second_copy) if info.second_copy else None},
         f"Backup written and verified: {info.path}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import backups

    if not args.file.is_file():
        raise CommandError(f"no such file: {args.file}")
    with open_context(args) as ctx:
        safety = backups.restore(ctx, args.file)
    emit(args, {"restored": str(args.file), "previous_kept_as": str(safety.path)},
         f"Restored {args.file}. The records as they were are kept in {safety.path}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import auth, integrity
    from wellbeing_desktop.services.errors import DamagedStore
    from wellbeing_desktop.storage import paths

    directory = paths.data_dir(getattr(args, "data_dir", None))
    key = None
    if auth.store_state(directory) is auth.StoreState.ENCRYPTED:
        try:
            with open_context(args) as ctx:
                key = ctx.store.key
        except DamagedStore:
            raise CommandError("the database is damaged; sign-in cannot reach its key",
                               6) from None
    report = integrity.full_check(directory, key)
    lines = [f"{'ok  ' if i.ok else 'FAIL'} {i.name}: {i.detail}" for i in report.items]
    lines.append("all checks passed" if report.ok else "PROBLEMS FOUND")
    emit(args, report.as_dict(), "\n".join(lines))
    if not report.ok:
        first = next(i for i in report.items if not i.ok)
        print(f"wellbeing: check failed: {first.name}: {first.detail}", file=sys.stderr)
        return 1
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import audit

    with open_context(args) as ctx:
        report = audit.verify_chain(ctx)
    data = {"ok": report.ok, "events": report.events, "first_broken_seq": report.first_broken_seq}
    if report.ok:
        emit(args, data, f"Audit chain intact ({report.events} events)")
        return 0
    emit(args, data, f"Audit chain BROKEN at event {report.first_broken_seq}")
    print(f"wellbeing: audit log was altered: first broken event is {report.first_broken_seq}",
          file=sys.stderr)
    return 1


def cmd_audit_list(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import audit

    with open_context(args) as ctx:
        rows = audit.list_events(ctx, audit.AuditFilter(client_id=args.client, action=args.action),
                                 limit=max(1, args.limit))
    data = [{"seq": r.seq, "at": r.at.isoformat(), "actor_id": r.actor_id, "action": r.action,
             "entity": r.entity, "entity_id": r.entity_id, "client_id": r.client_id,
             "detail": r.detail} for r in rows]
    text = "\n".join(f"{r.seq:>6} {r.at:%Y-%m-%d %H:%M} {r.action:<18} {r.client_id or '-':<36} "
                     f"{r.actor_name}" for r in rows) or "No audit events."
    emit(args, data, text)
    return 0


def cmd_users_list(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import accounts

    with open_context(args) as ctx:
        users = accounts.list_users(ctx)
    data = [{"id": str(u.id), "name": u.display_name, "username": u.username, "role": u.role,
             "active": u.active, "can_sign_in": u.can_sign_in} for u in users]
    emit(args, data, "\n".join(f"{u.username or '-':<16} {u.role:<13} "
                               f"{'active' if u.active else 'off':<7} {u.display_name}"
                               for u in users))
    return 0


def cmd_users_add(args: argparse.Namespace) -> int:
    import os

    from wellbeing_desktop.services import accounts

    with open_context(args) as ctx:
        secret = os.environ.get("WELLBEING_NEW_PASSPHRASE")
        if secret is None and ctx.store.key is not None:
            secret = passphrase("New user's passphrase: ")
        changed = accounts.add_user(ctx, accounts.NewUser(args.name, args.username, args.role,
                                                          secret or ""))
    emit(args, {"id": next(iter(changed.ids))}, f"Added {args.username}")
    return 0


def cmd_users_disable(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import accounts

    with open_context(args) as ctx:
        match = [u for u in accounts.list_users(ctx) if u.username == args.username]
        if not match:
            raise CommandError(f"no user named {args.username}", 3)
        accounts.set_active(ctx, match[0].id, args.active)
    print(f"{args.username} is {'on' if args.active else 'switched off'}")
    return 0


def cmd_secure(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import auth

    with open_context(args) as ctx:
        if ctx.store.key is not None:
            raise CommandError("these records are already encrypted", 1)
        recovery = auth.secure_store(ctx, args.username, passphrase("New passphrase: "))
    print("Records encrypted. Your recovery key (shown once; print it and keep it locked away):")
    print(recovery)
    return 0


def cmd_subject_access(args: argparse.Namespace) -> int:
    import uuid

    from wellbeing_desktop.services import privacy

    try:
        client_id = uuid.UUID(args.client_id)
    except ValueError:
        raise CommandError(f"not a client id: {args.client_id}") from None
    with open_context(args) as ctx:
        sar = privacy.subject_access(ctx, client_id)
    args.out.mkdir(parents=True, exist_ok=True)
    json_path = args.out / f"{sar.file_stem}.json"
    pdf_path = args.out / f"{sar.file_stem}.pdf"
    from wellbeing_desktop.storage.files import atomic_write

    atomic_write(json_path, sar.json_bytes)
    atomic_write(pdf_path, sar.pdf_bytes)
    emit(args, {"json": str(json_path), "pdf": str(pdf_path)},
         f"Wrote {json_path} and {pdf_path}")
    return 0


def cmd_recover(args: argparse.Namespace) -> int:
    import os

    from wellbeing_desktop.services import auth

    key = os.environ.get("WELLBEING_RECOVERY_KEY")
    if key is None:
        key = passphrase("Recovery key: ") if sys.stdin.isatty() else ""
    new = os.environ.get("WELLBEING_NEW_PASSPHRASE")
    if new is None:
        new = passphrase("New passphrase: ")
    ctx = auth.recover(getattr(args, "data_dir", None), key, args.username, new)
    ctx.close()
    print(f"New passphrase set for {args.username}.")
    return 0
