"""`wellbeing pack CLIENT_ID --out FILE.pdf`: build a printed document for scripts (DESIGN §8)."""

from __future__ import annotations

import argparse
import uuid
from datetime import date
from pathlib import Path

from wellbeing_desktop.cli.common import CommandError, add_json, emit, open_context
from wellbeing_desktop.packs.snapshot import KINDS, RECIPIENTS, VARIANTS


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("pack", help="build a client's plan, leaflet or discharge letter as PDF")
    p.add_argument("client_id", metavar="CLIENT_ID")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="where to save the PDF")
    p.add_argument("--kind", choices=KINDS, default="plan")
    p.add_argument("--variant", choices=VARIANTS, default=None,
                   help="default: from the client's communication needs")
    p.add_argument("--language", default=None, help="default: the client's language")
    p.add_argument("--recipient", choices=RECIPIENTS, default="person",
                   help="discharge letter: the person, or the copy for the referrer or GP")
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                   help="the document's date (rebuild a past print exactly)")
    p.add_argument("--no-html", action="store_true",
                   help="do not save the accessible HTML copy beside the PDF")
    add_json(p)
    p.set_defaults(func=cmd_pack)


def cmd_pack(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import packs

    try:
        client_id = uuid.UUID(args.client_id)
    except ValueError:
        raise CommandError(f"CLIENT_ID {args.client_id!r} is not a client id "
                           "(see `wellbeing clients`)") from None
    issued: date | None = None
    if args.date:
        try:
            issued = date.fromisoformat(args.date)
        except ValueError:
            raise CommandError(f"--date {args.date!r} is not a date like 2026-12-08") from None
    out = Path(args.out)
    if out.is_dir():
        raise CommandError(f"--out {out} is a folder; give a file name ending .pdf")
    with open_context(args) as ctx:
        options = packs.document_options(ctx, client_id)
        choice = packs.DocumentChoice(
            kind=args.kind, variant=args.variant or options.default_variant,
            language=args.language or options.default_language, recipient=args.recipient)
        document = packs.build_document(ctx, client_id, choice, today=issued)
        from wellbeing_desktop.storage.files import atomic_write

        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(out, document.pdf)
        html = None if args.no_html else out.with_suffix(".html")
        if html is not None:   # for screen readers: reportlab's PDFs carry no tags
            atomic_write(html, document.html.encode("utf-8"))
        packs.record_printed(ctx, document, action="saved")
    emit(args, {"client_id": str(client_id), "out": str(out), "kind": choice.kind,
                "variant": choice.variant, "language": choice.language,
                "recipient": choice.recipient, "date": document.issued_on.isoformat(),
                "pages": document.pages, "bytes": len(document.pdf), "sha256": document.sha256,
                "html": str(html) if html else None},
         f"Saved {document.title.lower()} ({choice.variant}, {document.pages} pages) to {out}"
         + (f", and an accessible copy to {html}" if html else ""))
    return 0
