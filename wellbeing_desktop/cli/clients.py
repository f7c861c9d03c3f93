"""`wellbeing clients [--search TEXT] [--status S] [--json]`: list clients for scripts."""

from __future__ import annotations

import argparse

from wellbeing_desktop.cli.common import CommandError, add_json, emit, open_context

STATUSES = ("referred", "contacted", "assessed", "active", "reviewing", "discharged", "closed")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("clients", help="list clients (id, names, status)")
    p.add_argument("--search", default="", help="name, NHS number or postcode (prefix)")
    p.add_argument("--status", default="", help="only clients with this status")
    p.add_argument("--limit", type=int, default=0, help="at most this many (default: all)")
    add_json(p)
    p.set_defaults(func=cmd_clients)
    from wellbeing_desktop.cli.client_add import register_add

    register_add(p.add_subparsers(dest="clients_command", metavar="ACTION", required=False))


def cmd_clients(args: argparse.Namespace) -> int:
    from wellbeing_desktop.domain import nhs_number
    from wellbeing_desktop.services import clients

    if args.status and args.status not in STATUSES:
        raise CommandError(f"--status must be one of: {', '.join(STATUSES)}")
    if args.limit < 0:
        raise CommandError("--limit must be zero (all) or more")
    with open_context(args) as ctx:
        flt = clients.ClientFilter(search=args.search, status=args.status)
        total = clients.count_clients(ctx, flt=flt, exact=True)
        limit = args.limit or total
        rows = clients.list_clients(ctx, limit=max(limit, 1), flt=flt) if limit else []
        from wellbeing_desktop.services.intake_clients import communication_needs

        needs = communication_needs(ctx, [c.id for c in rows])
    data = [{
        "id": str(c.id), "given_name": c.given_name, "family_name": c.family_name,
        "preferred_name": c.preferred_name,
        "date_of_birth": c.date_of_birth.isoformat() if c.date_of_birth else None,
        "nhs_number": c.nhs_number, "postcode": c.postcode, "status": c.status,
        **needs.get(c.id, {}),
    } for c in rows]
    lines = [f"{c.id}  {c.family_name + ', ' + c.given_name:<30} "
             f"{nhs_number.display(c.nhs_number):<12}  {c.postcode:<8}  {c.status}" for c in rows]
    lines.append(f"{len(rows)} of {total} client{'s' if total != 1 else ''}")
    emit(args, {"total": total, "clients": data}, "\n".join(lines))
    return 0
