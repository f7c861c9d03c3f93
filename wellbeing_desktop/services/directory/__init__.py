"""The local services directory: search, detail, local edits, import and export (DESIGN §5).

Modules: lookup (search, counts, suggestions, overview), details (one service in full), local
(favourite, notes, verified, reported wrong), interchange (Open Referral UK import and export).
Everything public is re-exported here; the tuning constant `HUGE` is read in `lookup`, so patch
it there.
"""

from __future__ import annotations

from wellbeing_desktop.services.directory.details import (
    GOT_THERE,
    LocationInfo,
    PhoneInfo,
    ServiceDetail,
    ServiceFigures,
    find_service,
    get_service,
    load_details,
)
from wellbeing_desktop.services.directory.interchange import (
    ImportResult,
    api_metadata_path,
    export_directory,
    import_feed,
)
from wellbeing_desktop.services.directory.local import (
    LocalDetails,
    clear_reported_wrong,
    flag_wrong_in_session,
    mark_verified,
    report_wrong,
    save_local_details,
    set_favourite,
)
from wellbeing_desktop.services.directory.lookup import (
    ENTITY,
    FTS,
    HUGE,
    ORG,
    DirectoryStats,
    S,
    SearchFilters,
    SearchPage,
    ServiceHit,
    count,
    search,
    search_page,
    stats,
    suggest_for_needs,
)

__all__ = [
    "ENTITY",
    "FTS",
    "GOT_THERE",
    "HUGE",
    "ORG",
    "DirectoryStats",
    "ImportResult",
    "LocalDetails",
    "LocationInfo",
    "PhoneInfo",
    "S",
    "SearchFilters",
    "SearchPage",
    "ServiceDetail",
    "ServiceFigures",
    "ServiceHit",
    "api_metadata_path",
    "clear_reported_wrong",
    "count",
    "export_directory",
    "find_service",
    "flag_wrong_in_session",
    "get_service",
    "import_feed",
    "load_details",
    "mark_verified",
    "report_wrong",
    "save_local_details",
    "search",
    "search_page",
    "set_favourite",
    "stats",
    "suggest_for_needs",
]
