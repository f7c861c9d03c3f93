"""Reports for the team: outcomes, waiting times and signposting figures."""

from __future__ import annotations

from wellbeing_desktop.ui.pages.placeholder import PlaceholderPage


class ReportsPage(PlaceholderPage):
    key = "reports"
    title = "Reports"
    subtitle = "Outcomes, waiting times and how often people reached the services we suggested."
    body = "Reports are not built yet."
