"""Export the directory as an ORUK JSON page of full services, local edits included.

Local-only fields travel in each service's `x_wellbeing_local` object (other ORUK readers ignore
unknown keys); our importer reads them back, so export → import → export is identical.
Withdrawn services are left out (a feed lists what is offered now).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import Connection, Date, Float, Table, select

from wellbeing_desktop.oruk import schema
from wellbeing_desktop.oruk.documents import assemble
from wellbeing_desktop.oruk.importer import LOCAL_FIELDS
from wellbeing_desktop.oruk.reader import TAXONOMIES_KEY, TERMS_KEY
from wellbeing_desktop.oruk.writer import COLUMN_NAMES, MODELS, UUID_REFS
from wellbeing_desktop.storage.files import SHARED, atomic_write
from wellbeing_desktop.storage.models import directory as m


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def build(conn: Connection) -> dict[str, Any]:
    """The export document (an API page holding every current service)."""
    oruk: dict[str, dict[uuid.UUID, str]] = {}
    for table, model in MODELS.items():
        t: Table = model.__table__
        oruk[table] = dict(conn.execute(select(t.c.id, t.c.oruk_id)).all())
    svc = m.DirService.__table__
    live = {row.id for row in conn.execute(select(svc.c.id).where(
        svc.c.deleted_at.is_(None), svc.c.withdrawn_at.is_(None)))}
    tables: dict[str, list[dict[str, Any]]] = {}
    extras: dict[str, dict[str, Any]] = {}
    locals_: dict[str, dict[str, Any]] = {}
    for table, model in MODELS.items():
        t = model.__table__
        names = [n for n in schema.fields(table)
                 if n != "id" and COLUMN_NAMES.get((table, n), n) in t.c]
        query = select(t).where(t.c.deleted_at.is_(None))
        rows = []
        for row in conn.execute(query).mappings():
            if table == "service" and row["id"] not in live:
                continue
            out: dict[str, Any] = {"id": row["oruk_id"]}
            for name in names:
                value = row[COLUMN_NAMES.get((table, name), name)]
                target = UUID_REFS.get((table, name))
                if target is not None:
                    value = oruk[target].get(value) if value is not None else None
                elif isinstance(t.c[name].type, Date) and value is not None:
                    value = value.isoformat()
                elif isinstance(t.c[name].type, Float):
                    value = _number(value)
                out[name] = value
            if table == "phone" and row["contact_id"] is not None:
                out["service_id"] = None  # reached through its contact
            rows.append(out)
            if table == "service":
                extras[row["oruk_id"]] = orjson.loads(row["extra_json"] or "{}")
                locals_[row["oruk_id"]] = _local(row)
            if table == "organization":
                extras["org:" + row["oruk_id"]] = orjson.loads(row["extra_json"] or "{}")
        tables[table] = rows
    tables["funding"] = [dict(f, service_id=sid) for sid, extra in extras.items()
                         if not sid.startswith("org:") for f in extra.get("funding", [])]
    tables["organization_identifier"] = [
        dict(i, organization_id=key[4:]) for key, extra in extras.items()
        if key.startswith("org:") for i in extra.get("organization_identifiers", [])]
    docs = assemble(tables)
    for doc in docs:
        doc["x_wellbeing_local"] = locals_[doc["id"]]
    docs.sort(key=lambda d: (str(d.get("name", "")).casefold(), d["id"]))
    taxonomies, loose_terms = _taxonomies(tables)
    return {
        "total_items": len(docs),
        "total_pages": 1,
        "page_number": 1,
        "size": len(docs),
        "first_page": True,
        "last_page": True,
        "empty": not docs,
        "contents": docs,
        # Not part of an ORUK page (other readers ignore unknown keys): every taxonomy with all
        # its terms, and terms of no taxonomy here, so vocabularies no service uses yet
        # survive an export and re-import.
        TAXONOMIES_KEY: taxonomies,
        TERMS_KEY: loose_terms,
    }


def _taxonomies(tables: dict[str, list[dict[str, Any]]]
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    def order(row: dict[str, Any]) -> tuple[str, str]:
        return (str(row.get("name") or "").casefold(), str(row["id"]))

    taxonomies = {t["id"]: dict(t, taxonomy_terms=[]) for t in tables.get("taxonomy", [])}
    loose: list[dict[str, Any]] = []
    for term in sorted(tables.get("taxonomy_term", []), key=order):
        parent = taxonomies.get(term.get("taxonomy_id") or "")
        (parent["taxonomy_terms"] if parent is not None else loose).append(term)
    return sorted(taxonomies.values(), key=order), loose


def _local(row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in LOCAL_FIELDS:
        value = row[key]
        if key == "needs":
            value = sorted(value.split())
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        out[key] = value
    return out


def write(conn: Connection, path: Path | str) -> int:
    """Write the export atomically (temp file, fsync, rename); returns the number of services."""
    doc = build(conn)
    target = Path(path)
    # Shared: the published directory is meant to be handed on (it holds no records).
    atomic_write(target, orjson.dumps(doc, option=orjson.OPT_INDENT_2), mode=SHARED)
    return int(doc["total_items"])
