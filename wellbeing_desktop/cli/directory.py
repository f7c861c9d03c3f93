"""`wellbeing directory import|search|show|export|feeds|quality`: the services directory from
the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wellbeing_desktop.cli.common import add_json, emit, open_context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("directory", help="the local services directory (Open Referral UK)")
    dsub = p.add_subparsers(dest="directory_command", metavar="ACTION")

    def usage(_args: argparse.Namespace) -> int:
        p.print_help(sys.stderr)
        return 2

    p.set_defaults(func=usage)

    imp = dsub.add_parser("import", help="import an ORUK JSON file, CSV package folder or zip")
    imp.add_argument("path", metavar="PATH")
    imp.add_argument("--dry-run", action="store_true",
                     help="check and show what would change, change nothing")
    imp.add_argument("--skip-invalid", action="store_true",
                     help="import the good records and report each one skipped")
    imp.add_argument("--feed", default="", metavar="NAME",
                     help="the feed (publisher) this file comes from; default: the file's name. "
                          "Re-importing a feed withdraws only that feed's services it no "
                          "longer lists")
    add_json(imp)
    imp.set_defaults(func=cmd_import)

    search = dsub.add_parser("search", help="search the directory (ranked)")
    search.add_argument("text", metavar="TEXT", nargs="?", default="")
    search.add_argument("--need", default="", help="a needs domain code, e.g. money_debt")
    search.add_argument("--free", action="store_true", help="free of charge only")
    search.add_argument("--self-referral", action="store_true", help="accepts self-referral")
    search.add_argument("--open-on", default="", help="open on a day: MO TU WE TH FR SA SU")
    search.add_argument("--language", default="")
    search.add_argument("--mode", default="", choices=["", "in_person", "phone", "online"])
    search.add_argument("--area", default="", help="postcode district or town, e.g. KM3")
    search.add_argument("--limit", type=int, default=20)
    add_json(search)
    search.set_defaults(func=cmd_search)

    show = dsub.add_parser("show", help="one service as the detail pane shows it (clean text)")
    show.add_argument("id", metavar="ID", help="the service's id (ours or its ORUK id)")
    add_json(show)
    show.set_defaults(func=cmd_show)

    feeds = dsub.add_parser("feeds", help="the feeds (publishers) imported, with their counts")
    fsub = feeds.add_subparsers(dest="feeds_command", metavar="ACTION")
    add_json(feeds)
    feeds.set_defaults(func=cmd_feeds)
    remove = fsub.add_parser("remove", help="remove a feed: its services are withdrawn "
                                            "(never deleted) unless another feed lists them")
    remove.add_argument("name", metavar="NAME")
    add_json(remove)
    remove.set_defaults(func=cmd_feed_remove)

    quality = dsub.add_parser("quality", help="per feed: services without a phone, address or "
                                              "opening times, stale or reported wrong")
    quality.add_argument("--feed", default="", metavar="NAME", help="one feed only")
    quality.add_argument("--csv", type=Path, default=None, metavar="PATH",
                         help="also save the list as CSV")
    add_json(quality)
    quality.set_defaults(func=cmd_quality)

    exp = dsub.add_parser("export", help="export the directory (with local edits) as ORUK JSON")
    exp.add_argument("path", metavar="PATH")
    add_json(exp)
    exp.set_defaults(func=cmd_export)


def cmd_import(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import directory

    with open_context(args) as ctx:
        result = directory.import_feed(ctx, Path(args.path), dry_run=args.dry_run,
                                       skip_invalid=args.skip_invalid, feed=args.feed)
    c = result.counts()
    verb = "would add" if result.dry_run else "added"
    lines = [f"{result.source} (feed {result.feed!r}): {verb} {c['added']}, updated "
             f"{c['updated']}, unchanged {c['unchanged']}, withdrawn {c['withdrawn']}, skipped "
             f"{c['skipped']}, data-quality notes {c['warnings']} ({result.records} records"
             f"{', dry run: nothing changed' if result.dry_run else ''})"]
    if result.note:
        lines.append(result.note)
    lines += [f"skipped: {s['where']}, record {s['record']}: "
              f"{s['field'] + ': ' if s['field'] else ''}{s['message']}" for s in result.skipped]
    shown = result.warnings[:20]
    lines += [f"note: {w['where']}, record {w['record']}: "
              f"{w['field'] + ': ' if w['field'] else ''}{w['message']}" for w in shown]
    if len(result.warnings) > len(shown):
        lines.append(f"… and {len(result.warnings) - len(shown)} more notes "
                     "(`wellbeing directory quality --csv FILE` saves them all)")
    emit(args, result.as_dict(), "\n".join(lines))
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from wellbeing_desktop.cli.common import CommandError
    from wellbeing_desktop.domain.needs import DOMAIN_CODES
    from wellbeing_desktop.services import directory

    if args.need and args.need not in DOMAIN_CODES:
        raise CommandError(f"--need: unknown needs domain {args.need!r} (one of "
                           f"{', '.join(sorted(DOMAIN_CODES))})")
    if args.open_on and args.open_on.upper()[:2] not in ("MO", "TU", "WE", "TH", "FR", "SA",
                                                          "SU"):
        raise CommandError("--open-on: give a day as MO, TU, WE, TH, FR, SA or SU")
    if not 1 <= args.limit <= 1000:
        raise CommandError("--limit must be between 1 and 1000")
    filters = directory.SearchFilters(
        need=args.need, free_only=args.free, self_referral_only=args.self_referral,
        open_on=args.open_on, language=args.language, mode=args.mode, area=args.area)
    with open_context(args) as ctx:
        hits = directory.search(ctx, args.text, filters, limit=args.limit)
    data = [{
        "id": str(h.id), "name": h.name, "organization": h.organization, "status": h.status,
        "needs": list(h.needs), "free_of_charge": h.free_of_charge,
        "self_referral": h.self_referral, "modes": list(h.modes), "open_days": h.open_days,
        "last_checked": h.checked_on.isoformat() if h.checked_on else None, "stale": h.stale,
        "favourite": h.favourite, "reported_wrong": h.reported_wrong,
    } for h in hits]
    text = "\n".join(
        f"{h.name} — {h.organization}{'  [stale]' if h.stale else ''}"
        f"{'  [reported wrong]' if h.reported_wrong else ''}  ({h.id})" for h in hits
    ) or "No services found."
    emit(args, data, text)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import directory

    with open_context(args) as ctx:
        count = directory.export_directory(ctx, Path(args.path))
    about = directory.api_metadata_path(Path(args.path))
    emit(args, {"path": str(args.path), "services": count, "api_metadata": str(about)},
         f"Exported {count} services to {args.path} (the API's description: {about})")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from wellbeing_desktop.cli.common import CommandError
    from wellbeing_desktop.services import directory
    from wellbeing_desktop.services.errors import NotFound

    with open_context(args) as ctx:
        try:
            detail = directory.find_service(ctx, args.id)
        except NotFound as exc:
            raise CommandError(str(exc)) from None
    emit(args, detail.as_dict(), detail.as_text())
    return 0


def cmd_feeds(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import feeds

    with open_context(args) as ctx:
        listed = feeds.list_feeds(ctx)
    text = "\n".join(
        f"{f.name}: {f.services} services on offer, {f.withdrawn} withdrawn; last import "
        f"{f.last_imported:%Y-%m-%d %H:%M} from {f.source_file or '(unknown)'}"
        f"{'' if f.full else ' (a partial feed: withdraws nothing)'}"
        f"{f', {f.warnings} data-quality notes' if f.warnings else ''}"
        if f.last_imported else f"{f.name}: {f.services} services on offer (never imported)"
        for f in listed) or "No feeds imported yet."
    emit(args, [f.as_dict() for f in listed], text)
    return 0


def cmd_feed_remove(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import feeds

    with open_context(args) as ctx:
        removed = feeds.remove_feed(ctx, args.name)
    emit(args, {"feed": removed.name, "withdrawn": [list(x) for x in removed.withdrawn]},
         f"Removed feed {removed.name!r}: {len(removed.withdrawn)} services withdrawn (kept for "
         "history; services other feeds list stay on offer).")
    return 0


def cmd_quality(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import feeds

    with open_context(args) as ctx:
        report = feeds.quality(ctx, args.feed)
        saved = feeds.save_quality_csv(ctx, args.csv, args.feed) if args.csv else None
    lines = []
    for q in report:
        tally = ", ".join(f"{n} {p}" for p, n in q.tally().items() if n)
        lines.append(f"{q.feed}: {q.services} services on offer; {len(q.rows)} to chase"
                     f"{' (' + tally + ')' if tally else ''}; {len(q.warnings)} import notes")
    if saved is not None:
        lines.append(f"Saved {saved} services to chase to {args.csv}")
    emit(args, [q.as_dict() for q in report], "\n".join(lines) or "No services yet.")
    return 0
