"""`wellbeing handout --need CODE [--area A] [--course ID] --out FILE [--variant V]
[--language CODE]`: a signposting handout for a waiting room or a group, with no client
(DESIGN §8)."""

from __future__ import annotations

import argparse
import uuid
from pathlib import Path

from wellbeing_desktop.cli.common import CommandError, add_json, emit, open_context
from wellbeing_desktop.packs.snapshot import VARIANTS


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("handout", help="build a signposting handout for a need (no client)",
                       description="Services for a need from the directory (in an area, or for "
                                   "a course), how to reach them, and the crisis numbers.")
    p.add_argument("--need", required=True, metavar="CODE", help="a needs domain, e.g. "
                   "money_debt, sleep, housing")
    p.add_argument("--area", default="", help="a town or postcode district")
    p.add_argument("--course", default=None, metavar="ID", help="a course's id")
    p.add_argument("--out", required=True, metavar="FILE.pdf")
    p.add_argument("--variant", choices=VARIANTS, default="standard")
    p.add_argument("--language", default="en", metavar="CODE",
                   help="the handout's language, e.g. ar, pl (see `wellbeing translations "
                        "list`; a draft translation says so on the page)")
    add_json(p)
    p.set_defaults(func=cmd_handout)


def cmd_handout(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import handouts
    from wellbeing_desktop.storage.files import atomic_write

    course: uuid.UUID | None = None
    if args.course:
        try:
            course = uuid.UUID(args.course)
        except ValueError:
            raise CommandError(f"--course {args.course!r} is not a course id") from None
    out = Path(args.out)
    if out.is_dir():
        raise CommandError(f"--out {out} is a folder; give a file name ending .pdf")
    with open_context(args) as ctx:
        built = handouts.build_handout(ctx, args.need, area=args.area, course_id=course,
                                       variant=args.variant, language=args.language)
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(out, built.pdf)
    emit(args, {"title": built.title, "need": built.need, "area": built.area,
                "course": str(course) if course else None, "variant": built.variant,
                "language": args.language, "out": str(out), "services": built.services, "pages": built.pages,
                "bytes": len(built.pdf), "sha256": built.sha256},
         f"Saved \"{built.title}\" ({built.variant}, {built.services} services, "
         f"{built.pages} pages) to {out}")
    return 0
