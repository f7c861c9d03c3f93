"""Conflicts: keeping a losing concurrent version, and the central team's resolve."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, bindparam, delete, insert, select, update

from wellbeing_desktop.storage.models.sync import Conflict
from wellbeing_desktop.storage.types import utcnow
from wellbeing_desktop.sync.merge.reading import MergeRejected
from wellbeing_desktop.sync.merge.rows import _chunks, _in, _update
from wellbeing_desktop.sync.schema import (
    CLIENTS,
    Entity,
    RecordError,
    decode_row,
    encode_default,
    entity_map,
)


def _hash(entity: Entity, row: dict[str, Any]) -> str:
    body = orjson.dumps([row[name] for name in entity.content], default=encode_default,
                        option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(body).hexdigest()


def _reconcile(conn: Connection, entity: Entity, winners: list[dict[str, Any]],
               displaced: list[uuid.UUID], losers: list[dict[str, Any]],
               export_id: uuid.UUID) -> int:
    """Keep each record's losing device heads (see `Conflict`); returns new open conflicts.

    `displaced`: winners' ids whose stored version was another device's edit (it now loses)."""
    t = entity.table
    c = Conflict.__table__.c
    # Stored rows we need whole: a winner of another device that now loses (it becomes a
    # head), and the stored winner an incoming version lost to (for its content).
    wanted = [r["id"] for r in losers] + displaced
    if not wanted and conn.execute(select(c.id).where(c.entity == entity.name).limit(1)).first() \
            is None:
        # Only the sending device's newer versions, and no head of this table under review:
        # nothing to keep or update (the loop below would skip every winner).
        return 0
    ids = [r["id"] for r in winners] + [r["id"] for r in losers]
    heads: dict[uuid.UUID, dict[str, dict[str, Any]]] = {}
    for part in _chunks(ids):
        query = select(c.id, c.record_id, c.lost_device, c.lost_version, c.content_hash,
                       c.same_as_kept, c.kept_version, c.kept_device, c.resolved).where(
            c.entity == entity.name, _in(conn, c.record_id, part))
        for found in conn.execute(query).mappings():
            heads.setdefault(found["record_id"], {})[found["lost_device"]] = dict(found)
    stored: dict[uuid.UUID, dict[str, Any]] = {}
    for part in _chunks(wanted):
        for values in conn.execute(select(t).where(_in(conn, t.c.id, part))):
            found_row = dict(zip(entity.columns, values, strict=True))
            stored[found_row["id"]] = found_row
    now = utcnow()
    new_rows: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    gone: list[int] = []
    opened = 0

    def head_of(loser: dict[str, Any], winner: dict[str, Any], winner_hash: str) -> dict[str, Any]:
        digest = _hash(entity, loser)
        return {
            "entity": entity.name, "record_id": loser["id"],
            "client_id": loser.get("client_id") if entity.has_client else (
                loser["id"] if entity.name == CLIENTS else None),
            "detected_at": now, "export_id": export_id,
            "lost_version": loser["version"], "lost_device": loser["origin_device"],
            "lost_updated_at": loser["updated_at"], "lost_deleted": loser["deleted_at"] is not None,
            "kept_version": winner["version"], "kept_device": winner["origin_device"],
            "content": orjson.dumps(loser, default=encode_default,
                                    option=orjson.OPT_SORT_KEYS).decode("utf-8"),
            "content_hash": digest, "same_as_kept": digest == winner_hash, "resolved": False,
            "resolved_at": None, "resolved_by": "", "resolved_keep": "", "resolved_reason": "",
        }

    def offer(rid: uuid.UUID, loser: dict[str, Any], winner: dict[str, Any], winner_hash: str,
              record_heads: dict[str, dict[str, Any]]) -> None:
        nonlocal opened
        old = record_heads.get(loser["origin_device"])
        if old is not None and old["lost_version"] >= loser["version"]:
            return
        head = head_of(loser, winner, winner_hash)
        if old is None:
            new_rows.append(head)
        else:
            changed.append({"b_id": old["id"], **{f"b_{k}": v for k, v in head.items()
                                                   if k not in ("entity", "record_id")}})
        record_heads[loser["origin_device"]] = {"id": None, "lost_version": loser["version"],
                                                "content_hash": head["content_hash"]}
        opened += not head["same_as_kept"]

    for row in winners:
        rid = row["id"]
        record_heads = heads.get(rid, {})
        previous = stored.get(rid)
        if previous is None and not record_heads:
            continue  # the same device's newer version, nothing under review
        winner_hash = _hash(entity, row)
        own = record_heads.pop(row["origin_device"], None)
        if own is not None and not own.get("resolved"):
            gone.append(own["id"])  # superseded by its own device's newer version
        # (a reviewed one stays as the record of the review until that device loses again)
        untouched = dict(record_heads)
        if previous is not None:
            offer(rid, previous, row, winner_hash, record_heads)
            untouched.pop(previous["origin_device"], None)
        for head in untouched.values():  # the others now lose to a new winner
            changed.append({"b_id": head["id"], "b_kept_version": row["version"],
                            "b_kept_device": row["origin_device"],
                            "b_same_as_kept": head["content_hash"] == winner_hash})
    for row in losers:
        rid = row["id"]
        winner = stored[rid]
        offer(rid, row, winner, _hash(entity, winner), heads.setdefault(rid, {}))
    if gone:
        conn.execute(delete(Conflict).where(Conflict.id.in_(gone)))
    if new_rows:
        conn.execute(insert(Conflict), new_rows)
    for keys in {tuple(sorted(ch)) for ch in changed}:
        batch = [ch for ch in changed if tuple(sorted(ch)) == keys]
        stmt = update(Conflict).where(Conflict.id == bindparam("b_id")).values(
            {k[2:]: bindparam(k) for k in keys if k != "b_id"})
        conn.execute(stmt, batch)
    return opened


# ---------------------------------------------------------------- conflict review

CENTRAL_DEVICE = "central"  # origin_device of versions the central team chose
KEEP_CHOICES = ("current", "other")


@dataclass(frozen=True)
class Resolution:
    conflict_id: int
    entity: str
    record_id: str
    keep: str
    version: int  # the chosen version's new number, above both
    resolved_at: Any
    others_open: int  # other devices' open conflicts on the same record, judged again


def resolve_conflict(engine: Engine, conflict_id: int, keep: str, by: str,
                     reason: str) -> Resolution:
    """Apply the reviewer's choice for one conflict, in one transaction.

    The chosen content (the record as it is now, or the version that lost) is written again as
    a new version above both, made by the centre, so any later merge compares against it by the
    same rule as always: a replay of either old version changes nothing, and a device's later
    edit still competes (and is kept for review if it loses). The conflict row records who,
    when, which and why; the version set aside, if it was the current one, is kept as a
    reviewed (resolved) conflict row of its device, so nothing is lost.
    """
    if keep not in KEEP_CHOICES:
        raise MergeRejected(f"keep must be one of {', '.join(KEEP_CHOICES)}")
    c = Conflict.__table__.c
    now = utcnow()
    with engine.begin() as conn:
        found = conn.execute(select(Conflict.__table__).where(c.id == conflict_id)
                             .with_for_update()).mappings().first()
        if found is None:
            raise MergeRejected(f"there is no conflict {conflict_id}")
        if found["resolved"]:
            raise MergeRejected(
                f"conflict {conflict_id} was resolved already ({found['resolved_keep']} kept "
                f"by {found['resolved_by'] or 'someone'})")
        entity = entity_map().get(found["entity"])
        if entity is None:
            raise MergeRejected(f"this database has no table {found['entity']!r}")
        t = entity.table
        values = conn.execute(select(t).where(t.c.id == found["record_id"])
                              .with_for_update()).first()
        if values is None:
            raise MergeRejected(f"{entity.name} record {found['record_id']} is not held here")
        current = dict(zip(entity.columns, values, strict=True))
        try:
            other = decode_row(entity, orjson.loads(found["content"]))
        except (RecordError, orjson.JSONDecodeError) as err:
            raise MergeRejected(f"conflict {conflict_id}: the kept version cannot be read "
                                f"({err})") from None
        chosen = dict(current if keep == "current" else other)
        for key in entity.local_keys:  # device-local numbers: the centre's own stay
            chosen[key] = current[key]
        version = max(current["version"], other["version"]) + 1
        chosen.update(version=version, updated_at=now, origin_device=CENTRAL_DEVICE)
        _update(conn, entity, [chosen])
        winner_hash = _hash(entity, chosen)
        conn.execute(update(Conflict).where(c.id == conflict_id).values(
            resolved=True, resolved_at=now, resolved_by=by[:120], resolved_keep=keep,
            resolved_reason=reason, kept_version=version, kept_device=CENTRAL_DEVICE,
            same_as_kept=found["content_hash"] == winner_hash))
        current_hash = _hash(entity, current)
        review = {"resolved_at": now, "resolved_by": by[:120], "resolved_keep": keep,
                  "resolved_reason": reason}
        set_aside = keep == "other" and current_hash != winner_hash
        if current["origin_device"] != found["lost_device"] and (
                set_aside or current["origin_device"] != CENTRAL_DEVICE):
            # The version that was winning now loses to the centre's, as in any merge: it
            # becomes its device's head, so a bundle re-sending it changes nothing. Set aside
            # by this review, it is kept as a reviewed (resolved) row, so no version is lost.
            head = conn.execute(select(c.id, c.lost_version).where(
                c.entity == entity.name, c.record_id == found["record_id"],
                c.lost_device == current["origin_device"])).first()
            head_values = {
                "detected_at": now, "export_id": found["export_id"],
                "lost_version": current["version"], "lost_updated_at": current["updated_at"],
                "lost_deleted": current["deleted_at"] is not None,
                "kept_version": version, "kept_device": CENTRAL_DEVICE,
                "content": orjson.dumps(current, default=encode_default,
                                        option=orjson.OPT_SORT_KEYS).decode("utf-8"),
                "content_hash": current_hash, "same_as_kept": current_hash == winner_hash,
                "resolved": set_aside,
                **(review if set_aside else {"resolved_at": None, "resolved_by": "",
                                             "resolved_keep": "", "resolved_reason": ""})}
            if head is None:
                conn.execute(insert(Conflict).values(
                    entity=entity.name, record_id=found["record_id"],
                    client_id=found["client_id"], lost_device=current["origin_device"],
                    **head_values))
            elif head.lost_version < current["version"]:
                conn.execute(update(Conflict).where(c.id == head.id).values(**head_values))
        # Other devices' versions of this record now lose to the chosen one: judge them again.
        # Those saying what the version set aside said (a device whose version the centre
        # had carried forward at an earlier review) were set aside by this review too; the
        # rest stay open if they differ from the chosen content.
        others = conn.execute(select(c.id, c.content_hash).where(
            c.entity == entity.name, c.record_id == found["record_id"], c.id != conflict_id,
            c.resolved.is_(False))).all()
        still_open = 0
        for other_id, content_hash in others:
            same = content_hash == winner_hash
            aside = set_aside and content_hash == current_hash
            conn.execute(update(Conflict).where(c.id == other_id).values(
                kept_version=version, kept_device=CENTRAL_DEVICE, same_as_kept=same,
                **({"resolved": True, **review} if aside else {})))
            still_open += not same and not aside
    return Resolution(conflict_id, entity.name, str(found["record_id"]), keep, version, now,
                      still_open)
