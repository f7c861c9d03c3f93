"""The selected service in full, with the team's actions (favourite, verify, notes, wrong)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QTextBrowser, QVBoxLayout, QWidget

from wellbeing_desktop.domain.directory import MODES
from wellbeing_desktop.domain.needs import domain_label
from wellbeing_desktop.services.directory import ServiceDetail
from wellbeing_desktop.ui.flow_layout import FlowLayout


def _paragraphs(text: str) -> str:
    """Clean text (paragraphs, line breaks, list lines) as escaped HTML paragraphs."""
    return "".join(f"<p>{escape(block).replace(chr(10), '<br>')}</p>"
                   for block in text.split("\n\n") if block.strip())


def detail_html(d: ServiceDetail) -> str:
    """The detail as simple HTML (also what tests read)."""
    parts = [f"<h2>{escape(d.name)}</h2>"]
    if d.organization:
        parts.append(f"<p><i>{escape(d.organization)}</i></p>")
    if d.withdrawn:
        parts.append("<p style='color:#B10E1E'><b>Withdrawn from the directory feed.</b></p>")
    if d.reported_wrong:
        on = d.reported_wrong_on.strftime("%d %b %Y") if d.reported_wrong_on else ""
        parts.append(f"<p style='color:#B10E1E'><b>Reported wrong {escape(on)}:</b> "
                     f"{escape(d.reported_wrong_reason)}</p>")
    if d.alert:
        parts.append(f"<p><b>Notice:</b> {escape(d.alert)}</p>")
    parts.append(_paragraphs(d.description))
    for label, text in (("Who it is for", d.eligibility), ("How to get help",
                                                           d.application_process)):
        if text:
            parts.append(f"<p><b>{label}</b></p>{_paragraphs(text)}")
    rows: list[tuple[str, str]] = []
    for p in d.phones:
        who = f" ({escape(p.contact)})" if p.contact else ""
        rows.append(("Phone", f"<span style='white-space:nowrap'>{escape(p.number)}</span>{who}"))
    if d.email:
        rows.append(("Email", escape(d.email)))
    if d.url or d.organization_website:
        rows.append(("Website", escape(d.url or d.organization_website)))
    for loc in d.locations:
        rows.append(("Address", escape(", ".join(x for x in (loc.name, loc.address) if x))))
        if loc.accessibility:
            rows.append(("Access", escape(loc.accessibility)))
    for text in d.opening_times:
        rows.append(("Open", escape(text)))
    if d.modes:
        rows.append(("How", escape(", ".join(MODES[m] for m in d.modes))))
    rows.append(("Cost", escape(d.cost.shown)))
    if d.languages:
        rows.append(("Languages", escape(", ".join(d.languages))))
    if d.service_areas:
        rows.append(("Area", escape("; ".join(d.service_areas))))
    if d.minimum_age is not None or d.maximum_age is not None:
        low = f"{d.minimum_age:g}" if d.minimum_age is not None else "any"
        high = f"{d.maximum_age:g}" if d.maximum_age is not None else "any"
        rows.append(("Ages", f"{low} to {high}"))
    rows.append(("Helps with", escape(", ".join(domain_label(n) for n in d.needs) or "Not set")))
    rows.append(("Self-referral", {True: "Yes", False: "No", None: "Not known"}[d.self_referral]))
    if d.how_to_refer:
        rows.append(("How to refer", escape(d.how_to_refer)))
    if d.practitioner_notes:
        rows.append(("Team notes", escape(d.practitioner_notes)))
    checked = d.checked_on.strftime("%d %b %Y") if d.checked_on else "never"
    stale = " <b style='color:#B10E1E'>(stale: please check)</b>" if d.stale else ""
    who = f" by {escape(d.verified_by)}" if d.verified_by and d.verified_on == d.checked_on else ""
    rows.append(("Last checked", f"{checked}{who}{stale}"))
    rows.append(("Used", f"{d.times_used} signposted, {d.times_got_there} got there"))
    if d.terms:
        codes = f" ({escape(', '.join(d.term_codes))})" if d.term_codes else ""
        rows.append(("Categories", escape(", ".join(d.terms)) + codes))
    rows.append(("Feeds", escape(", ".join(d.sources)) or "None (added here)"))
    parts.append("<table cellspacing='4'>" + "".join(
        f"<tr><td valign='top'><b>{k}</b></td><td>{v}</td></tr>" for k, v in rows) + "</table>")
    return "".join(parts)


class ServiceDetailView(QWidget):
    favourite_toggled = Signal()
    verify_requested = Signal()
    notes_requested = Signal()
    wrong_requested = Signal()
    clear_wrong_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: ServiceDetail | None = None
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(False)
        self.text.setAccessibleName("Service details")
        col.addWidget(self.text, 1)
        row = FlowLayout()   # the buttons wrap: a row of five made the detail 547 px wide
        self.favourite = QPushButton("&Favourite")
        self.favourite.setCheckable(True)
        self.favourite.setAccessibleName("Mark as a team favourite")
        self.verify = QPushButton("Mark verifie&d")
        self.notes = QPushButton("No&tes…")
        self.notes.setAccessibleName("Edit the team's notes about this service")
        self.wrong = QPushButton("Re&port wrong…")
        self.wrong.setAccessibleName("Report this service as closed or wrong")
        self.clear_wrong = QPushButton("Clear re&port")
        self.clear_wrong.setAccessibleName("The details were checked: clear the report")
        self.clear_wrong.setToolTip("The details were checked and corrected: clear the report")
        for b in (self.favourite, self.verify, self.notes, self.wrong, self.clear_wrong):
            row.addWidget(b)
        col.addLayout(row)
        self.favourite.clicked.connect(self.favourite_toggled)
        self.verify.clicked.connect(self.verify_requested)
        self.notes.clicked.connect(self.notes_requested)
        self.wrong.clicked.connect(self.wrong_requested)
        self.clear_wrong.clicked.connect(self.clear_wrong_requested)
        self.show_detail(None)

    def show_detail(self, detail: ServiceDetail | None, *, can_verify: bool = True) -> None:
        self.detail = detail
        for b in (self.favourite, self.verify, self.notes, self.wrong):
            b.setEnabled(detail is not None)
        self.verify.setVisible(can_verify)
        self.clear_wrong.setVisible(can_verify and detail is not None and detail.reported_wrong)
        if detail is None:
            self.text.setHtml("<p style='color:#4C6272'>Choose a service to see its details.</p>")
            return
        self.favourite.setChecked(detail.favourite)
        self.favourite.setText("★ Favo&urite" if detail.favourite else "☆ Favo&urite")
        self.text.setHtml(detail_html(detail))
