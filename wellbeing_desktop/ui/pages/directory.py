"""Directory of local services (Open Referral UK)."""

from __future__ import annotations

from wellbeing_desktop.ui.pages.placeholder import PlaceholderPage


class DirectoryPage(PlaceholderPage):
    key = "directory"
    title = "Directory"
    subtitle = "Local services for housing, money, work, loneliness, caring and health."
    body = "Searching and importing the local services directory is not built yet."
