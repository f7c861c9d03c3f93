"""Client records: create, edit, duplicate check, merge, and the searchable list.

Search and sorting run in SQL (DESIGN §9: a lazy list over 50,000 clients); a practitioner
without `client.view_all` sees only their own caseload.

Modules: records (shapes, validation, row helpers), editing (create/edit/open), duplicates
(duplicate check and merge), listing (search and the list). Everything public is re-exported
here; the tuning constants (`COUNT_CAP`, `DENSE_AT`) are read in `listing`, so patch them there.
"""

from __future__ import annotations

from wellbeing_desktop.services.clients.duplicates import (
    MergePreview,
    client_tables,
    duplicates_of,
    find_duplicates,
    merge_clients,
    merge_preview,
)
from wellbeing_desktop.services.clients.editing import (
    create_client,
    get_client,
    practitioners,
    update_client,
    view_client,
)
from wellbeing_desktop.services.clients.listing import (
    COUNT_CAP,
    DENSE_AT,
    SORT_KEYS,
    ClientFilter,
    count_clients,
    list_clients,
    parse_search,
    search_condition,
)
from wellbeing_desktop.services.clients.records import (
    CLIENT_STATUSES,
    DOCUMENT_FORMATS,
    ClientDetail,
    ClientInput,
    ClientSummary,
    DuplicateCandidate,
    DuplicatesFound,
    Saved,
    refresh_last_contact,
    require_client,
    validate,
)

__all__ = [
    "CLIENT_STATUSES",
    "COUNT_CAP",
    "DENSE_AT",
    "DOCUMENT_FORMATS",
    "SORT_KEYS",
    "ClientDetail",
    "ClientFilter",
    "ClientInput",
    "ClientSummary",
    "DuplicateCandidate",
    "DuplicatesFound",
    "MergePreview",
    "Saved",
    "client_tables",
    "count_clients",
    "create_client",
    "duplicates_of",
    "find_duplicates",
    "get_client",
    "list_clients",
    "merge_clients",
    "merge_preview",
    "parse_search",
    "practitioners",
    "refresh_last_contact",
    "require_client",
    "search_condition",
    "update_client",
    "validate",
    "view_client",
]
