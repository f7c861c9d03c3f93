"""`wellbeing translations ...`: the printed documents' wording in other languages (PO files)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from wellbeing_desktop.cli.common import CommandError, add_json, emit, open_context


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("translations", help="list, export, import or review the translations "
                       "of the printed documents")
    tsub = p.add_subparsers(dest="action", required=True)
    ls = tsub.add_parser("list", help="languages with printed text, and whether reviewed")
    add_json(ls)
    ls.set_defaults(func=cmd_list)
    ex = tsub.add_parser("export", help="write a PO file for a translator")
    ex.add_argument("language", help="language code, e.g. ar, ur, pa")
    ex.add_argument("--out", required=True, metavar="FILE.po")
    add_json(ex)
    ex.set_defaults(func=cmd_export)
    im = tsub.add_parser("import", help="check a translated PO file and put it in use "
                         "(as a draft until reviewed)")
    im.add_argument("file", metavar="FILE.po")
    im.add_argument("--language", default=None, help="default: the file's Language header")
    add_json(im)
    im.set_defaults(func=cmd_import)
    rv = tsub.add_parser("review", help="record that a qualified reviewer checked a translation")
    rv.add_argument("language")
    rv.add_argument("--by", required=True, metavar="NAME", help="who reviewed it")
    rv.add_argument("--on", default=None, metavar="YYYY-MM-DD", help="default: today")
    add_json(rv)
    rv.set_defaults(func=cmd_review)


def _status(code: str, st: object) -> dict[str, object]:
    from wellbeing_desktop.domain.languages import language_name
    from wellbeing_desktop.packs.catalogues import Status

    assert isinstance(st, Status)
    return {"language": language_name(code), "code": code, "status": st.status,
            "reviewed_by": st.reviewed_by,
            "reviewed_on": st.reviewed_on.isoformat() if st.reviewed_on else None,
            "translated": st.translated, "total": st.total, "summary": st.describe()}


def cmd_list(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import catalogues

    with open_context(args) as ctx:
        rows = catalogues.languages(ctx)
    data = [_status(r.code, r.status) for r in rows]
    emit(args, data, "\n".join(f"{d['language']}: {d['summary']}" for d in data))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import catalogues

    out = Path(args.out)
    if out.is_dir():
        raise CommandError(f"--out {out} is a folder; give a file name ending .po")
    with open_context(args) as ctx:
        st = catalogues.export(ctx, args.language, out)
    emit(args, {"out": str(out), **_status(args.language, st)},
         f"Wrote {out}: {st.total} sentences, {st.translated} translated")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import catalogues

    source = Path(args.file)
    if not source.is_file():
        raise CommandError(f"{source}: no such file", exit_code=3)
    with open_context(args) as ctx:
        code, st = catalogues.import_catalogue(ctx, source, args.language)
    emit(args, _status(code, st), f"Imported {source.name}: {st.describe()}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from wellbeing_desktop.services import catalogues

    on = None
    if args.on:
        try:
            on = date.fromisoformat(args.on)
        except ValueError:
            raise CommandError(f"--on {args.on!r} is not a date like 2026-12-08") from None
    with open_context(args) as ctx:
        st = catalogues.mark_reviewed(ctx, args.language, args.by, on)
    emit(args, _status(args.language, st), st.describe())
    return 0
