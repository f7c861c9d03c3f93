"""Sync to central records: export bundles and acknowledgements on the desktop; key
generation and the merge for the central records team (DESIGN §6, docs/sync-format.md).

Modules: history (status, pending, export history, acknowledgements), exporting (the bundle),
keys (the central key setting and key generation), devices (this installation's
signing identity, enrolment), central_records (the central team's merge,
directory export, conflicts and restrictions).
"""

from __future__ import annotations

from wellbeing_desktop.services.errors import FieldProblem  # the sync settings section takes it from here
from wellbeing_desktop.services.sync.central_records import (
    ConflictSummary,
    DirectoryExport,
    MergeOutcome,
    central_conflicts,
    central_directory_export,
    central_merge,
    central_resolve,
    central_restrictions,
)
from wellbeing_desktop.services.sync.devices import (
    DeviceSummary,
    EnrolmentWritten,
    central_devices,
    central_enrol,
    central_revoke,
    device_identity,
    this_device,
    write_enrolment,
)
from wellbeing_desktop.services.sync.exporting import ExportResult, default_file_name, export
from wellbeing_desktop.services.sync.history import (
    BUNDLE_SUFFIX,
    AckResult,
    ExportSummary,
    Progress,
    SyncError,
    SyncStatus,
    acknowledge,
    entity_label,
    exports_about,
    history,
    pending_summary,
    plural,
    status,
)
from wellbeing_desktop.services.sync.keys import (
    KeygenResult,
    central_key_text,
    keygen,
    set_central_key,
)

__all__ = [
    "BUNDLE_SUFFIX",
    "AckResult",
    "ConflictSummary",
    "DeviceSummary",
    "DirectoryExport",
    "EnrolmentWritten",
    "ExportResult",
    "ExportSummary",
    "FieldProblem",
    "KeygenResult",
    "MergeOutcome",
    "Progress",
    "SyncError",
    "SyncStatus",
    "acknowledge",
    "central_conflicts",
    "central_devices",
    "central_directory_export",
    "central_enrol",
    "central_key_text",
    "central_merge",
    "central_resolve",
    "central_restrictions",
    "central_revoke",
    "default_file_name",
    "device_identity",
    "entity_label",
    "export",
    "exports_about",
    "history",
    "keygen",
    "pending_summary",
    "plural",
    "set_central_key",
    "status",
    "this_device",
    "write_enrolment",
]
