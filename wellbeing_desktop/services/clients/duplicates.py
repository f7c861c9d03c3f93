"""Possible duplicates of a client, and merging two records of the same person."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, bindparam, func, select, update
from sqlalchemy.orm import Session

from wellbeing_desktop.domain import nicknames
from wellbeing_desktop.domain.text import search_name
from wellbeing_desktop.services import audit, permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.clients.records import (
    _INPUT_FIELDS,
    _SUMMARY_COLUMNS,
    ClientInput,
    ClientSummary,
    DuplicateCandidate,
    Saved,
    _get,
    refresh_last_contact,
    validate,
)
from wellbeing_desktop.services.errors import Changed, FieldProblem, ValidationError
from wellbeing_desktop.storage.changes import reserve_sequence
from wellbeing_desktop.storage.models import Base, Client
from wellbeing_desktop.storage.types import utcnow


def _duplicates(s: Session, data: ClientInput, exclude: uuid.UUID | None) -> list[DuplicateCandidate]:
    found: dict[uuid.UUID, DuplicateCandidate] = {}
    live: list[ColumnElement[bool]] = [Client.deleted_at.is_(None)]
    if exclude is not None:
        live.append(Client.id != exclude)
    if data.nhs_number:
        for row in s.execute(select(*_SUMMARY_COLUMNS).where(
                *live, Client.nhs_number == data.nhs_number)).all():
            found[row[0]] = DuplicateCandidate(ClientSummary(*row), "same NHS number")
    if data.date_of_birth is not None:
        for row in s.execute(select(*_SUMMARY_COLUMNS).where(
                *live, Client.date_of_birth == data.date_of_birth)).all():
            summary = ClientSummary(*row)
            if summary.id in found:
                continue
            family = nicknames.same_family_name(summary.family_name, data.family_name)
            given = (nicknames.same_given_name(summary.given_name, data.given_name)
                     or nicknames.same_given_name(summary.preferred_name, data.given_name)
                     or nicknames.same_given_name(summary.given_name, data.preferred_name))
            if family and given:
                found[summary.id] = DuplicateCandidate(
                    summary, "same date of birth and a similar name")
    return list(found.values())


def find_duplicates(ctx: AppContext, data: ClientInput,
                    exclude: uuid.UUID | None = None) -> list[DuplicateCandidate]:
    permissions.require(ctx.actor, "client.view_own")
    clean, _ = validate(data)
    with ctx.store.read() as s:
        return _duplicates(s, clean, exclude)


def client_tables() -> list[Any]:
    """Every record table (with an `id`) that has a `client_id` column, other areas' too. The
    audit log keeps what happened at the time; link tables without an `id` (sync bookkeeping of
    what was sent) record history and stay as they are."""
    return [t for t in Base.metadata.sorted_tables
            if "client_id" in t.c and "id" in t.c and t.name != "audit_events"]


def duplicates_of(ctx: AppContext, client_id: uuid.UUID) -> list[DuplicateCandidate]:
    """Other live records that may be the same person as this one (the same rules as the
    check on create: NHS number, or date of birth with a similar name)."""
    permissions.require(ctx.actor, "client.view_own")
    with ctx.store.read() as s:
        row = _get(s, client_id)
        data = ClientInput(**{name: getattr(row, name) for name in _INPUT_FIELDS})
        return _duplicates(s, data, client_id)


@dataclass(frozen=True)
class MergePreview:
    """What a merge would do, for the confirmation: the record kept, the record closed, and
    how many of the closed record's entries move (by kind, e.g. "appointments": 3)."""

    keep: ClientSummary
    merge: ClientSummary
    moves: dict[str, int]
    problem: str = ""  # why these two cannot be merged (then nothing can be confirmed)

    @property
    def total(self) -> int:
        return sum(self.moves.values())


def merge_preview(ctx: AppContext, keep_id: uuid.UUID, merge_id: uuid.UUID) -> MergePreview:
    permissions.require(ctx.actor, "client.merge")
    with ctx.store.read() as s:
        keep, gone = _get(s, keep_id), _get(s, merge_id)
        moves: dict[str, int] = {}
        for table in client_tables():
            if table.name == "clients":
                continue
            n = s.execute(select(func.count()).select_from(table).where(
                table.c.client_id == merge_id)).scalar_one()
            if n:
                moves[table.name.replace("_", " ")] = int(n)
        problem = ""
        if keep_id == merge_id:
            problem = "Choose two different records to merge."
        elif keep.nhs_number and gone.nhs_number and keep.nhs_number != gone.nhs_number:
            problem = ("These records have different NHS numbers, so they are not the same "
                       "person. Correct the NHS number first if one is wrong.")

        def summary(row: Client) -> ClientSummary:
            return ClientSummary(row.id, row.given_name, row.family_name, row.preferred_name,
                                 row.date_of_birth, row.nhs_number, row.postcode, row.status)

        return MergePreview(summary(keep), summary(gone), moves, problem)


def merge_clients(ctx: AppContext, keep_id: uuid.UUID, merge_id: uuid.UUID) -> Saved:
    """Move everything of `merge_id` to `keep_id`; fill the kept record's blanks from the
    other; the merged record is soft-deleted with `merged_into_id` so nothing is lost."""
    permissions.require(ctx.actor, "client.merge")
    if keep_id == merge_id:
        raise ValidationError([FieldProblem("merge", "Choose two different records to merge.")])
    with ctx.store.session() as s:
        keep, gone = _get(s, keep_id), _get(s, merge_id)
        if keep.nhs_number and gone.nhs_number and keep.nhs_number != gone.nhs_number:
            raise ValidationError([FieldProblem(
                "merge", "These records have different NHS numbers, so they are not the same "
                "person. Correct the NHS number first if one is wrong.")])
        for name in _INPUT_FIELDS:
            if name.startswith("consent_") or name in ("language", "document_format",
                                                       "interpreter_needed"):
                continue
            if not getattr(keep, name) and getattr(gone, name):
                setattr(keep, name, getattr(gone, name))
        if keep.language == "en" and gone.language != "en":
            keep.language = gone.language
        keep.interpreter_needed = keep.interpreter_needed or gone.interpreter_needed
        if keep.document_format == "standard":
            keep.document_format = gone.document_format
        keep.search_name = search_name(keep.given_name, keep.family_name, keep.preferred_name)
        gone.merged_into_id = keep.id
        gone.deleted_at = utcnow()
        s.flush()
        conn = s.connection()
        moved = 0
        for table in client_tables():
            if table.name == "clients":
                continue
            ids = [r[0] for r in conn.execute(
                select(table.c.id).where(table.c.client_id == merge_id)).all()]
            if not ids:
                continue
            moved += len(ids)
            if "change_seq" in table.c:
                # Moved rows are edits: they travel to central records with the next export.
                first = reserve_sequence(conn, len(ids))
                conn.execute(
                    update(table).where(table.c.id == bindparam("row_id")).values(
                        client_id=keep_id, version=table.c.version + 1,
                        change_seq=bindparam("seq"), updated_at=utcnow()),
                    [{"row_id": rid, "seq": first + i} for i, rid in enumerate(ids)],
                )
            else:
                conn.execute(update(table).where(table.c.client_id == merge_id)
                             .values(client_id=keep_id))
        s.expire_all()
        refresh_last_contact(s, keep_id)
        audit.record(s, ctx.actor, "client.merge", entity="client", entity_id=merge_id,
                     client_id=keep_id, detail=f"rows={moved}")
        return Saved(keep.id, Changed.of("client", "referral", "appointment", "goal",
                                         "risk", "discharge", ids=(str(keep_id), str(merge_id))))
