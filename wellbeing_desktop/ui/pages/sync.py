"""Sync: export bundles for central records."""

from __future__ import annotations

from wellbeing_desktop.ui.pages.placeholder import PlaceholderPage


class SyncPage(PlaceholderPage):
    key = "sync"
    title = "Sync"
    subtitle = "Send your records to the service's central records, safely and exactly once."
    body = "Exporting to central records is not built yet."
