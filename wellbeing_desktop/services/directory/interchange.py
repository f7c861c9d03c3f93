"""Importing an Open Referral UK feed into the directory and exporting the directory as one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from wellbeing_desktop.oruk import exporter, importer, metadata, reader
from wellbeing_desktop.oruk.validate import Problem
from wellbeing_desktop.services import audit
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.directory.lookup import ENTITY
from wellbeing_desktop.services.errors import Changed, FieldProblem, ValidationError
from wellbeing_desktop.services.permissions import require
from wellbeing_desktop.storage.bulk import paused_gc


@dataclass(frozen=True)
class ImportResult:
    source: str
    full_feed: bool
    dry_run: bool
    added: tuple[tuple[str, str], ...]
    updated: tuple[tuple[str, str], ...]
    unchanged: tuple[tuple[str, str], ...]
    withdrawn: tuple[tuple[str, str], ...]
    skipped: tuple[dict[str, str], ...]
    records: int
    changed: Changed = field(default_factory=lambda: Changed.of(ENTITY))
    feed: str = ""
    # Data-quality notes: imported, but worth a directory officer's look (empty required text,
    # a bad optional value left out, a web address repaired).
    warnings: tuple[dict[str, str], ...] = ()
    # Said when the file holds no services (a taxonomy file: its vocabulary was added).
    note: str = ""

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "updated": len(self.updated),
                "unchanged": len(self.unchanged), "withdrawn": len(self.withdrawn),
                "skipped": len(self.skipped), "warnings": len(self.warnings)}

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source, "feed": self.feed, "full_feed": self.full_feed,
            "dry_run": self.dry_run, "warnings": list(self.warnings), "note": self.note,
            "records": self.records, "counts": self.counts(),
            "added": [list(x) for x in self.added], "updated": [list(x) for x in self.updated],
            "unchanged": [list(x) for x in self.unchanged],
            "withdrawn": [list(x) for x in self.withdrawn], "skipped": list(self.skipped),
        }


class _DryRun(Exception):
    def __init__(self, report: importer.ImportReport) -> None:
        self.report = report


def _rejected(problems: list[Problem]) -> ValidationError:
    shown = [FieldProblem("", p.text) for p in problems[:5]]
    if len(problems) > 5:
        shown.append(FieldProblem("", f"… and {len(problems) - 5} more problems"))
    error = ValidationError(shown)
    error.import_problems = [p.as_dict() for p in problems]  # type: ignore[attr-defined]
    return error


def import_feed(ctx: AppContext, path: Path | str, *, dry_run: bool = False,
                skip_invalid: bool = False, feed: str = "") -> ImportResult:
    """Import an ORUK feed in one transaction; bad input changes nothing."""
    require(ctx.actor, "directory.import")
    feed_name = " ".join(feed.split())
    if len(feed_name) > 200:
        raise ValidationError([FieldProblem("feed", "keep the feed's name under 200 characters")])
    try:
        # No cyclic garbage collection while a feed is read and written: the collector's
        # passes over its many small dicts cost a third of a 20,000-service import.
        with paused_gc():
            return _import(ctx, path, dry_run=dry_run, skip_invalid=skip_invalid,
                           feed_name=feed_name)
    except reader.FeedError as exc:
        raise ValidationError(str(exc)) from None


def _import(ctx: AppContext, path: Path | str, *, dry_run: bool, skip_invalid: bool,
            feed_name: str) -> ImportResult:
    data = reader.read(path)
    try:
        with ctx.store.session() as s:
            conn = s.connection()
            skipped = importer.check(conn, data, skip_invalid=skip_invalid)
            report = importer.apply(conn, data, feed_name=feed_name, dry_run=dry_run)
            report.skipped = skipped
            if dry_run:
                raise _DryRun(report)
            audit.record(s, ctx.actor, "directory.import", entity=ENTITY,
                         detail=orjson.dumps(report.counts()).decode())
    except importer.ImportRejected as exc:
        raise _rejected(exc.problems) from None
    except _DryRun as dry:
        report = dry.report
    return ImportResult(
        source=data.source, full_feed=report.full_feed, dry_run=dry_run, feed=report.feed_name,
        warnings=tuple(w.as_dict() for w in report.warnings), note=_note(data),
        added=tuple(report.added), updated=tuple(report.updated),
        unchanged=tuple(report.unchanged), withdrawn=tuple(report.withdrawn),
        skipped=tuple(p.as_dict() for p in report.skipped), records=report.records,
        changed=Changed.of(ENTITY) if not dry_run else Changed.of(),
    )


def _note(data: reader.Feed) -> str:
    if data.tables["service"]:
        return ""
    terms, taxonomies = len(data.tables["taxonomy_term"]), len(data.tables["taxonomy"])
    if terms or taxonomies:
        return (f"This is a taxonomy, not a list of services: {taxonomies} taxonomies and "
                f"{terms} terms were read, no services.")
    return "The file lists no services."


def api_metadata_path(export: Path | str) -> Path:
    """Where `export_directory` writes the API's description of itself beside `export`."""
    return metadata.path_beside(Path(export))


def export_directory(ctx: AppContext, path: Path | str) -> int:
    """Write the directory as an ORUK page of services, and beside it the API's description
    of itself (`metadata.path_beside`). Returns the number of services."""
    require(ctx.actor, "directory.export")
    target = Path(path)
    if target.is_dir():
        raise ValidationError([FieldProblem("path", f"{target} is a folder; give a file name")])
    if not target.parent.exists():
        raise ValidationError([FieldProblem("path", f"the folder {target.parent} does not exist")])
    with ctx.store.session() as s:
        count_ = exporter.write(s.connection(), target)
        metadata.write_beside(target)
        audit.record(s, ctx.actor, "directory.export", entity=ENTITY, detail=f"services={count_}")
    return count_
