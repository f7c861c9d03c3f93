"""`wellbeing referrals import FILE [--mapping NAME] [--dry-run] [--json]`: referral intake from
a referrer's spreadsheet (CSV or XLSX) for scripts; the same preview and all-or-nothing import
as the GUI (services/referral_import.py)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from wellbeing_desktop.cli.common import CommandError, add_json, emit, open_context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("referrals", help="referral intake (import referrers' spreadsheets)")
    rsub = p.add_subparsers(dest="referrals_command", metavar="ACTION")

    def usage(_args: argparse.Namespace) -> int:
        p.print_help(sys.stderr)
        return 2

    p.set_defaults(func=usage)
    imp = rsub.add_parser("import", help="import referrals from a CSV or XLSX spreadsheet")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument("--mapping", default="", metavar="NAME",
                     help="a column mapping saved for this source (default: from the headings)")
    imp.add_argument("--column", action="append", default=[], metavar="HEADING=FIELD",
                     help="map one column (repeatable), e.g. --column 'D.O.B.=date_of_birth'")
    imp.add_argument("--save-mapping", default="", metavar="NAME",
                     help="remember the mapping used under this name (after a good import)")
    imp.add_argument("--source", default="", help="referral source when the sheet has none "
                     "(gp, step2, step3, self, community, other)")
    imp.add_argument("--on-duplicate", choices=("ask", "match", "new"), default="ask",
                     help="a row that may be an existing client: ask (refuse, listing them; "
                     "the default), match (add the referral to the first match) or new")
    imp.add_argument("--dry-run", action="store_true", help="check and show; import nothing")
    imp.add_argument("--date", default="", metavar="YYYY-MM-DD",
                     help="today's date for the checks (default: today)")
    add_json(imp)
    imp.set_defaults(func=cmd_import)
    sample = rsub.add_parser("sample", help="write a referrer's spreadsheet to try the import "
                             "(fictional people, dated this week)")
    sample.add_argument("--out", required=True, metavar="FILE",
                        help="FILE.xlsx or FILE.csv")
    sample.add_argument("--count", type=int, default=8, help="how many referrals (default 8)")
    sample.add_argument("--seed", type=int, default=1)
    add_json(sample)
    sample.set_defaults(func=cmd_sample)


def cmd_sample(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services.demo.intake import write_sample

    out = Path(args.out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise CommandError(f"--out {out}: name the file .xlsx or .csv")
    if not 1 <= args.count <= 1000:
        raise CommandError("--count must be between 1 and 1000")
    if out.is_dir():
        raise CommandError(f"--out {out} is a folder; give a file name")
    written = write_sample(out, date.today(), args.count, args.seed)
    emit(args, {"out": str(out), "rows": written},
         f"Wrote {written} referrals to {out}: import them with "
         f"`wellbeing referrals import {out}`")
    return 0


def _columns(pairs: list[str]) -> dict[str, str]:
    from wellbeing_desktop.domain.referral_sheet import FIELD_LABELS

    out: dict[str, str] = {}
    for pair in pairs:
        heading, sep, name = pair.rpartition("=")
        if not sep or not heading:
            raise CommandError(f"--column {pair!r}: write HEADING=FIELD")
        if name and name not in FIELD_LABELS:
            raise CommandError(f"--column {pair!r}: {name!r} is not a field "
                               f"({', '.join(FIELD_LABELS)})")
        out[heading] = name
    return out


def _row_json(row: Any) -> dict[str, Any]:
    values = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.values.items()}
    return {"row": row.number, "values": values, "problems": list(row.problems),
            "matches": [{"client_id": str(m.client_id), "name": m.name, "reason": m.reason}
                        for m in row.matches]}


def cmd_import(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import referral_import
    from wellbeing_desktop.services.errors import ValidationError

    today = None
    if args.date:
        try:
            today = date.fromisoformat(args.date)
        except ValueError:
            raise CommandError(f"--date {args.date!r} is not a date like 2026-12-08") from None
    path = Path(args.file)
    with open_context(args) as ctx:
        mapping = None
        if args.column:
            base = (referral_import.saved_mappings(ctx).get(args.mapping, {}).get("columns")
                    if args.mapping else None)
            mapping = {**(base or {}), **_columns(args.column)}
        result = referral_import.preview(ctx, path, mapping=mapping,
                                         mapping_name=args.mapping if mapping is None else "",
                                         source=args.source, today=today)
        decisions: dict[int, str] = {}
        for row in result.duplicates:
            if args.on_duplicate == "match":
                decisions[row.number] = str(row.matches[0].client_id)
            elif args.on_duplicate == "new":
                decisions[row.number] = "new"
        summary: dict[str, Any] = {
            "file": result.file, "note": result.note, "header_row": result.header_row,
            "mapping": result.mapping, "rows": len(result.rows), "dry_run": args.dry_run,
            "problems": result.problems, "duplicates": len(result.duplicates),
            "details": [_row_json(r) for r in result.rows]}
        if args.dry_run:
            emit(args, {**summary, "imported": 0}, _text(result, dry=True))
            if not result.ok:
                print(f"wellbeing: {result.file}: {len(result.problems)} problem(s); nothing "
                      "would be imported", file=sys.stderr)
            return 0 if result.ok else 2
        try:
            done = referral_import.commit(ctx, result, decisions)
        except ValidationError as exc:
            if args.json:
                emit(args, {**summary, "imported": 0,
                            "problems": [p.message for p in exc.problems]})
            for p in exc.problems[:20]:
                print(f"wellbeing: {result.file}: {p.message}", file=sys.stderr)
            if len(exc.problems) > 20:
                print(f"wellbeing: … and {len(exc.problems) - 20} more; nothing imported",
                      file=sys.stderr)
            else:
                print("wellbeing: nothing imported", file=sys.stderr)
            return 2
        if args.save_mapping:
            referral_import.remember_mapping(ctx, args.save_mapping, result.mapping,
                                             args.source)
    emit(args, {**summary, "imported": done.referrals,
                "created": [str(i) for i in done.created],
                "matched": [str(i) for i in done.matched]},
         f"Imported {done.referrals} referral{'s' if done.referrals != 1 else ''} from "
         f"{result.file}: {len(done.created)} new client(s), {len(done.matched)} matched.")
    return 0


def _text(result: Any, *, dry: bool) -> str:
    lines = [f"{result.file}: headings on row {result.header_row}"
             + (f"; {result.note}" if result.note else "")]
    for heading, name in result.mapping.items():
        lines.append(f"  {heading!r} → {name or '(ignored)'}")
    lines.extend(result.problems)
    for row in result.duplicates:
        for m in row.matches:
            lines.append(f"row {row.number}: may be {m.name} ({m.reason}), id {m.client_id}")
    verdict = (f"{len(result.rows)} row(s) would be imported" if result.ok
               else f"{len(result.problems)} problem(s): nothing would be imported")
    if result.ok and result.duplicates:
        verdict += (f"; {len(result.duplicates)} may be existing clients: choose "
                    "--on-duplicate match or new")
    lines.append(verdict + (" (dry run)" if dry else ""))
    return "\n".join(lines)
