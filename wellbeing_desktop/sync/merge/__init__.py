"""The central merge: verified bundles into the central records (SQLite or PostgreSQL).

Per bundle, in one transaction: a replay of a merged bundle changes nothing; the same export
id with other content is refused. For each record the higher `(version, updated_at,
origin_device)` wins, so the result does not depend on the order bundles arrive in.

A losing version is kept in `sync_conflicts` when it was written on another device than the
winner, says something different, and is not the record's first version. Version 1 is where
a record was made, so every later version on any device descends from it and losing it loses
nothing; a later version that loses to another device's was a concurrent edit. The rule looks
only at the two versions, so it records the same conflicts whichever bundle comes first.

Modules: reading (decode and check a bundle), applying (merge it), conflicts (keep and resolve
losing versions), restrictions (consent withdrawn), rows (bulk inserts and updates). The public
names are re-exported here; `STAGE_FROM` is read in `rows`, so patch it there.

"""

from __future__ import annotations

from wellbeing_desktop.sync.merge.applying import merge
from wellbeing_desktop.sync.merge.conflicts import (
    CENTRAL_DEVICE,
    KEEP_CHOICES,
    Resolution,
    resolve_conflict,
)
from wellbeing_desktop.sync.merge.reading import (
    NOTICE_FIELDS,
    EntityCounts,
    Key,
    MergeRejected,
    MergeResult,
    Prepared,
    Progress,
    prepare,
)
from wellbeing_desktop.sync.merge.reading import _notice as _notice
from wellbeing_desktop.sync.merge.restrictions import Restricted, restricted_clients
from wellbeing_desktop.sync.merge.rows import CHUNK, COPY_TYPES, STAGE_FROM

__all__ = [
    "CENTRAL_DEVICE",
    "CHUNK",
    "COPY_TYPES",
    "KEEP_CHOICES",
    "NOTICE_FIELDS",
    "STAGE_FROM",
    "EntityCounts",
    "Key",
    "MergeRejected",
    "MergeResult",
    "Prepared",
    "Progress",
    "Resolution",
    "Restricted",
    "merge",
    "prepare",
    "resolve_conflict",
    "restricted_clients",
]
