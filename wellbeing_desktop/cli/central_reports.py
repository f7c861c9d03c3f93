"""`wellbeing central report`: the central report over the merged records."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from wellbeing_desktop.cli.common import add_json, emit


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-10-31") from None


def add_period(q: argparse.ArgumentParser) -> None:
    q.add_argument("--from", dest="since", type=_date, help="first day (YYYY-MM-DD)")
    q.add_argument("--to", dest="until", type=_date, help="last day (YYYY-MM-DD)")
    q.add_argument("--quarter", help="a calendar quarter instead, e.g. 2026Q3")
    q.add_argument("--financial-year", help="an NHS financial year instead, e.g. 2026-27")


def register(inner: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    q = inner.add_parser("report", help="figures for a period over the merged records")
    q.add_argument("--db", required=True, help="the central records database (as for merge)")
    add_period(q)
    q.add_argument("--by", choices=["clinic", "practitioner"], default=None,
                   help="one row per clinic device or per practitioner")
    q.add_argument("--out", help="report.pdf, report.xlsx (a sheet per table), or a folder for "
                   "CSV files (one per table)")
    q.add_argument("--unsuppressed", action="store_true",
                   help="do not suppress numbers under 5 in the files (central team only)")
    add_json(q)
    q.set_defaults(func=cmd_report)
    q = inner.add_parser("extract", help="CSV files shaped like the NHS Talking Therapies "
                                         "data set tables, for a period")
    q.add_argument("--db", required=True, help="the central records database (as for merge)")
    add_period(q)
    q.add_argument("--out", required=True, help="folder for the CSV files")
    q.add_argument("--pseudonym-key", help="the secret key for pseudonyms (made on first use; "
                   "keep it with the central private key)")
    q.add_argument("--identifiable", action="store_true",
                   help="write record ids, NHS number, date of birth and postcode as held")
    add_json(q)
    q.set_defaults(func=cmd_extract)


def cmd_report(args: argparse.Namespace) -> int:
    from wellbeing_desktop.domain.report_tables import cell_text
    from wellbeing_desktop.services.sync import central_reports as reports

    span = reports.period(args.since, args.until, quarter_text=args.quarter,
                          financial_year_text=args.financial_year)
    report = reports.central_report(args.db, span, args.by or "service")
    written: list[Path] = []
    if args.out:
        to_file = report if args.unsuppressed else report.suppressed_copy()
        written = reports.write_report(to_file, Path(args.out))
    data = report.as_dict() | {"written": [str(p) for p in written]}
    lines = [f"Central report {span.since} to {span.until}"
             + (f" by {args.by}" if args.by else "")]
    for table in report.tables:
        lines += ["", table.title, "  " + " | ".join(table.columns)]
        lines += ["  " + " | ".join(cell_text(c) for c in row) for row in table.rows]
        if not table.rows:
            lines.append("  (nothing in this period)")
    if written:
        lines += ["", "Wrote " + ", ".join(str(p) for p in written)
                  + ("" if args.unsuppressed else " (numbers under 5 suppressed)")]
    emit(args, data, "\n".join(lines))
    return 0


def cmd_extract(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services.sync import central_extract, central_reports

    span = central_reports.period(args.since, args.until, quarter_text=args.quarter,
                                  financial_year_text=args.financial_year)
    result = central_extract.central_extract(
        args.db, span, Path(args.out), identifiable=args.identifiable,
        key_path=Path(args.pseudonym_key) if args.pseudonym_key else None)
    data = {"folder": str(result.folder), "files": result.files,
            "identifiable": result.identifiable, "key_created": result.key_created,
            "from": span.since.isoformat(), "to": span.until.isoformat()}
    lines = [f"Wrote {len(result.files)} files to {result.folder} "
             f"({'identifiable' if result.identifiable else 'pseudonymised'}):"]
    lines += [f"  {name}.csv: {n:,} rows" for name, n in result.files.items()]
    if result.key_created:
        lines.append(f"Made a new pseudonymisation key at {args.pseudonym_key}: keep it safe; "
                     "the same key gives the same pseudonyms next time.")
    emit(args, data, "\n".join(lines))
    return 0
