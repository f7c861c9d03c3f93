"""New / edit client: details, contact, consent and communication needs; possible duplicates
are shown before saving."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtWidgets import QLabel, QListWidget, QWidget

from wellbeing_desktop.domain import coded, nhs_number
from wellbeing_desktop.domain.languages import recorded_choices
from wellbeing_desktop.services import clients
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.ui.casework.form_dialog import (
    FormDialog,
    checkbox,
    combo,
    date_edit,
    date_of,
    line,
    text_box,
)
from wellbeing_desktop.ui.dialogs.coded_fields import CodeChecklist, coded_widget, value_of

LANGUAGES = tuple(recorded_choices())


class ClientDialog(FormDialog):
    geometry_key = "client_form"

    def __init__(self, ctx: AppContext, client: clients.ClientDetail | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, "Edit client" if client else "New client", parent)
        self.client = client
        self.allow_duplicates = False
        c = client or clients.ClientDetail("", "")
        self.given = self.row("&First name", "given_name", line(c.given_name))
        self.family = self.row("&Last name", "family_name", line(c.family_name))
        self.preferred = self.row("Preferred &name", "preferred_name", line(c.preferred_name))
        self.pronouns = self.row("Pr&onouns", "pronouns", line(c.pronouns, "e.g. she/her"))
        self.dob = self.row("&Date of birth", "date_of_birth",
                            date_edit(c.date_of_birth, optional=True))
        self.nhs = self.row("N&HS number", "nhs_number",
                            line(nhs_number.display(c.nhs_number), "optional, e.g. 943 476 5919"))
        self.address = self.row("&Address", "address", text_box(c.address, lines=2))
        self.postcode = self.row("Pos&tcode", "postcode", line(c.postcode, "e.g. KM1 4AB"))
        self.phone = self.row("&Phone", "phone", line(c.phone))
        self.email = self.row("&Email", "email", line(c.email))
        self.contact = self.row("How and &when to contact", "contact_preferences",
                                line(c.contact_preferences, "e.g. text first, after 5pm"))
        self.gp = self.row("GP pra&ctice", "gp_practice", line(c.gp_practice))
        self.consent_contact = self.row("Consent", "consent_contact",
                                        checkbox("Ma&y contact them", c.consent_contact))
        self.consent_share = self.row("", "consent_share_services", checkbox(
            "May share with the services named &below", c.consent_share_services))
        self.share_with = self.row("Named ser&vices", "consent_share_with",
                                   text_box(c.consent_share_with, lines=2))
        self.consent_central = self.row("", "consent_central_records", checkbox(
            "May include in central &records", c.consent_central_records))
        self.language = self.row("Lan&guage", "language", combo(LANGUAGES, c.language))
        self.interpreter = self.row("", "interpreter_needed",
                                    checkbox("Needs an &interpreter", c.interpreter_needed))
        self.format = self.row("Docu&ment format", "document_format",
                               combo(clients.DOCUMENT_FORMATS, c.document_format))
        self.comm_notes = self.row("Comm&unication notes", "communication_notes",
                                   text_box(c.communication_notes, lines=2))
        heading = QLabel("About the person: optional, ask only what they are happy to share")
        heading.setObjectName("sectionHeading")
        heading.setWordWrap(True)
        self.form.addRow(heading)
        self.coded: dict[str, QWidget] = {}
        for name in coded.FIELDS:
            widget = coded_widget(name, getattr(c, name))
            self.coded[name] = self.row(coded.code_list(name).label, name, widget)
            if isinstance(widget, CodeChecklist):
                widget.itemChanged.connect(self._touched)
        self._keep_text_boxes_small()
        self.duplicates_label = QLabel("")
        self.duplicates_label.setObjectName("fieldError")
        self.duplicates_label.setWordWrap(True)
        self.duplicates = QListWidget()
        self.duplicates.setAccessibleName("Possible duplicate records")
        self.duplicates.setMaximumHeight(90)
        for w in (self.duplicates_label, self.duplicates):
            w.setVisible(False)
            self.outer.addWidget(w)
        self.finish_layout()
        self.resize(620, 760)

    def _touched(self, *_a: object) -> None:
        self.dirty = True

    def _keep_text_boxes_small(self) -> None:
        # The fields scroll (FormDialog); inside a scroll area text boxes would take all the
        # spare height: keep them their size.
        for box in (self.address, self.share_with, self.comm_notes):
            box.setMaximumHeight(box.minimumHeight() + 8)

    def data(self) -> clients.ClientInput:
        return clients.ClientInput(
            given_name=self.given.text(), family_name=self.family.text(),
            preferred_name=self.preferred.text(), pronouns=self.pronouns.text(),
            date_of_birth=date_of(self.dob), nhs_number=self.nhs.text(),
            address=self.address.toPlainText(), postcode=self.postcode.text(),
            phone=self.phone.text(), email=self.email.text(),
            contact_preferences=self.contact.text(), gp_practice=self.gp.text(),
            consent_contact=self.consent_contact.isChecked(),
            consent_share_services=self.consent_share.isChecked(),
            consent_share_with=self.share_with.toPlainText(),
            consent_central_records=self.consent_central.isChecked(),
            language=self.language.currentData(), interpreter_needed=self.interpreter.isChecked(),
            document_format=self.format.currentData(),
            communication_notes=self.comm_notes.toPlainText(),
            practitioner_id=self.client.practitioner_id if self.client else None,
            **{name: value_of(w) for name, w in self.coded.items()})

    def save(self) -> Any:
        data = self.data()
        if self.client is None:
            return clients.create_client(self.ctx, data, allow_duplicates=self.allow_duplicates)
        return clients.update_client(self.ctx, self.client.id, data)

    def handle_error(self, exc: BaseException) -> bool:
        if not isinstance(exc, clients.DuplicatesFound):
            return False
        self.duplicates.clear()
        for cand in exc.candidates:
            c = cand.client
            born = c.date_of_birth.strftime("%d %b %Y") if c.date_of_birth else "no date of birth"
            self.duplicates.addItem(f"{c.display_name} · born {born} · "
                                    f"{nhs_number.display(c.nhs_number) or 'no NHS number'} "
                                    f"· {c.postcode} ({cand.reason})")
        self.duplicates_label.setText(
            f"{exc}. Check the list below: if it is the same person, cancel and open their "
            "record. If not, press Save again to add a new record.")
        self.duplicates_label.setVisible(True)
        self.duplicates.setVisible(True)
        self.allow_duplicates = True
        self.duplicates.setFocus()
        return True

    @property
    def saved_id(self) -> uuid.UUID | None:
        return getattr(self.result_value, "id", None)


