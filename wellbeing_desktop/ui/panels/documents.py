"""The client's Documents tab: choose a document, variant and language; the preview follows the
choice (made in the worker as soon as the tab is shown); print it or save it as PDF; see what
was printed before. PDFs stay in memory until the user saves one."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wellbeing_desktop.domain.letters import RECIPIENTS_FOR
from wellbeing_desktop.services import contact_attempts, packs
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.errors import Changed, Entity, ValidationError
from wellbeing_desktop.ui.operations import read, write
from wellbeing_desktop.ui.panels.base import ClientPanel
from wellbeing_desktop.ui.panels.documents_history import fill_history, history_table
from wellbeing_desktop.ui.panels.documents_output import DocumentOutputMixin
from wellbeing_desktop.ui.print_preview.preview import PdfPreview

RECIPIENT_LABELS = {"person": "The person", "referrer": "The referrer",
                    "gp": "The GP (when not the referrer)"}

class DocumentsPanel(DocumentOutputMixin, ClientPanel):
    # Its own prints refresh the history directly (see `_record`), so "printed_document" is
    # not watched: that would load the history twice.
    watches = frozenset({Entity.CLIENT, Entity.SETTINGS, Entity.GOAL, Entity.APPOINTMENT,
                         Entity.DISCHARGE, Entity.SIGNPOSTING, Entity.MEASURE})

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: packs.BuiltDocument | None = None
        self.options: packs.DocumentOptions | None = None
        self._loading = 0
        self._building: packs.DocumentChoice | None = None
        self._waiting: list[object] = []   # print/save pressed while the document is made
        self._records_changed = False
        # The preview follows the choice: a short pause lets several changes make one build.
        self._auto = QTimer(self)
        self._auto.setSingleShot(True)
        self._auto.setInterval(200)
        self._auto.timeout.connect(self._auto_preview)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setChildrenCollapsible(False)
        self.layout_.addWidget(split)

        left = QWidget()
        left.setMinimumWidth(400)
        col = QVBoxLayout(left)
        col.setContentsMargins(0, 0, 8, 0)
        form = QFormLayout()
        self.kind = QComboBox()
        for key, label in packs.KIND_LABELS.items():
            self.kind.addItem(label, key)
        self.recipient = QComboBox()
        for key, label in RECIPIENT_LABELS.items():
            self.recipient.addItem(label, key)
        self.variant = QComboBox()
        for key, label in packs.VARIANT_LABELS.items():
            self.variant.addItem(label, key)
        self.language = QComboBox()
        self.chart = QCheckBox("Include the &measures chart")
        self.chart.setChecked(True)
        self._row(form, "&Document", self.kind)
        self.recipient_label = self._row(form, "&For", self.recipient)
        self._row(form, "&Variant", self.variant)
        self._row(form, "&Language", self.language)
        # When the person's language has no reviewed translation, the English copy can carry
        # a note that an interpreter goes through it with them.
        self.interpreter_note = QCheckBox("")
        form.addRow("", self.interpreter_note)
        form.setRowVisible(self.interpreter_note, False)
        self._form = form
        form.addRow("", self.chart)
        col.addLayout(form)
        self.language_note = QLabel("")
        self.language_note.setWordWrap(True)
        self.language_note.setObjectName("warning")
        self.language_note.setVisible(False)
        col.addWidget(self.language_note)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed on the record
        self.note.setObjectName("muted")
        col.addWidget(self.note)
        # Contact preferences the letters respect (intake): recorded here, beside the letters.
        prefs = QHBoxLayout()
        self.post_ok = QCheckBox("Safe to send p&ost to their address")
        self.message_ok = QCheckBox("We may leave a messa&ge")
        for box in (self.post_ok, self.message_ok):
            box.setChecked(True)
            box.toggled.connect(self._preferences_changed)
            prefs.addWidget(box)
        prefs.addStretch(1)
        col.addLayout(prefs)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setObjectName("fieldError")
        self.error.setVisible(False)
        col.addWidget(self.error)
        # The stage rule: why the chosen document is not offered for this person now.
        self.refused = QLabel("")
        self.refused.setWordWrap(True)
        self.refused.setObjectName("fieldError")
        self.refused.setAccessibleName("Why this document is not offered")
        self.refused.setVisible(False)
        col.addWidget(self.refused)
        buttons = QHBoxLayout()
        self.print_button = QPushButton("&Print…")
        self.print_button.setObjectName("primary")
        self.save_button = QPushButton("&Save as PDF…")
        for b in (self.print_button, self.save_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        col.addLayout(buttons)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        col.addWidget(self.status)
        history_label, self.history = history_table()
        col.addWidget(history_label)
        col.addWidget(self.history, 1)
        split.addWidget(left)

        self.preview = PdfPreview()
        split.addWidget(self.preview)
        split.setStretchFactor(1, 2)
        split.setSizes([440, 800])

        self.kind.currentIndexChanged.connect(self._choice_changed)
        for combo in (self.recipient, self.variant, self.language):
            combo.currentIndexChanged.connect(self._invalidate)
        self.recipient.currentIndexChanged.connect(self._apply_stage)
        self.chart.toggled.connect(self._invalidate)
        self.interpreter_note.toggled.connect(self._invalidate)
        self.language.currentIndexChanged.connect(self._show_language_status)
        self.print_button.clicked.connect(lambda: self.build(then=self._print))
        self.save_button.clicked.connect(lambda: self.build(then=self._save))
        self._choice_changed()

    @staticmethod
    def _row(form: QFormLayout, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text)
        label.setBuddy(widget)
        widget.setAccessibleName(text.replace("&", ""))
        form.addRow(label, widget)
        return label

    def is_loading(self) -> bool:
        return self._loading > 0 or self.preview.is_loading()

    def choice(self) -> packs.DocumentChoice:
        return packs.DocumentChoice(
            kind=self.kind.currentData(), variant=self.variant.currentData(),
            language=self.language.currentData() or "en",
            recipient=self._recipient(), include_chart=self.chart.isChecked(),
            interpreter_language=(self.options.person_code if self.options is not None
                                  and self.interpreter_note.isVisibleTo(self)
                                  and self.interpreter_note.isChecked() else ""))

    def _recipients(self) -> tuple[str, ...]:
        return RECIPIENTS_FOR.get(self.kind.currentData(), ("person",))

    def _recipient(self) -> str:
        allowed = self._recipients()
        chosen = self.recipient.currentData()
        return chosen if chosen in allowed else allowed[0]

    def _choice_changed(self) -> None:
        allowed = self._recipients()
        # "For" only means something when there is a choice: shown only then.
        self.recipient.blockSignals(True)
        self.recipient.clear()
        for key in allowed:
            self.recipient.addItem(RECIPIENT_LABELS[key], key)
        self.recipient.blockSignals(False)
        several = len(allowed) > 1
        self.recipient.setEnabled(several)
        self.recipient.setVisible(several)
        self.recipient_label.setVisible(several)
        self.chart.setEnabled(self.kind.currentData() == "plan")
        self._invalidate()
        self._apply_stage()

    def refusal(self) -> str | None:
        """The stage rule's reason the chosen document is not offered now, or None."""
        if self.options is None:
            return None
        return self.options.refusal(self.kind.currentData(), self._recipient())

    def _apply_stage(self) -> None:
        reason = self.refusal()
        self.refused.setText(reason or "")
        self.refused.setVisible(bool(reason))
        for button in (self.print_button, self.save_button):
            button.setEnabled(not reason)
        if reason:
            self._waiting = []
            self.status.setText("")
            self.preview.clear("Not offered at this stage.")

    def _invalidate(self) -> None:
        """The choice (or the records) changed: the preview is remade for it."""
        self.document = None
        self.error.setVisible(False)
        self._auto.start()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self.document is None:
            self._auto.start()

    def _auto_preview(self) -> None:
        # Only for the tab the user is looking at, and once the client's defaults are in
        # (the variant comes from their communication needs).
        if (self.isVisible() and self.options is not None and self.document is None
                and not self.refusal()):
            self.build(then=None)

    # ---- loading ---------------------------------------------------------------------
    def on_data_changed(self, changed: Changed) -> None:
        if self.watches & changed.entities:
            self._records_changed = True
        super().on_data_changed(changed)

    def refresh(self) -> None:
        if self.ctx is None or self.client_id is None:
            return
        ctx, cid = self.ctx, self.client_id
        self._loading += 1
        (read(_load, ctx, cid).on_success(self._loaded).on_error(self._failed)
         .on_done(self._done).start())

    def _done(self) -> None:
        self._loading -= 1

    def _preferences_changed(self) -> None:
        if self.ctx is None or self.client_id is None or self._setting_preferences:
            return
        (write(contact_attempts.set_contact_preferences, self.ctx, self.client_id,
              post_allowed=self.post_ok.isChecked(),
              message_allowed=self.message_ok.isChecked())
         .on_error(self._failed).start())

    _setting_preferences = False

    def _loaded(self, result: tuple[packs.DocumentOptions, list[packs.PrintedRecord],
                                    tuple[bool, bool]]) -> None:
        options, history, (post_ok, message_ok) = result
        self._setting_preferences = True
        self.post_ok.setChecked(post_ok)
        self.message_ok.setChecked(message_ok)
        self._setting_preferences = False
        first_load = self.options is None
        self.options = options
        if first_load:
            self.language.blockSignals(True)
            self.language.clear()
            statuses = dict(options.statuses)
            for code, name in options.languages:
                # Never silently: a draft translation says so in the list itself.
                draft = code not in options.reviewed
                self.language.addItem(f"{name} (draft translation)" if draft else name, code)
                self.language.setItemData(self.language.count() - 1, statuses.get(code, ""),
                                          Qt.ItemDataRole.ToolTipRole)
            self.language.blockSignals(False)
            self.kind.setCurrentIndex(max(0, self.kind.findData(options.default_kind)))
            self.variant.setCurrentIndex(max(0, self.variant.findData(options.default_variant)))
            self.language.setCurrentIndex(max(0, self.language.findData(options.default_language)))
        # New records (a goal, a service, a score) change what the document says; our own
        # print record does not.
        if first_load or self._records_changed:
            self._records_changed = False
            self._invalidate()
        self._show_language_status()
        self._apply_stage()
        notes = [options.format_note] if options.format_note else []
        if options.interpreter_needed:
            notes.append("This person needs an interpreter: go through the document together.")
        if options.contact_preferences:
            notes.append("Before posting anything, check how and when to contact them: "
                         f"“{options.contact_preferences}”.")
        self.note.setText("\n\n".join(notes))  # one thing to check per paragraph
        self._show_history(history)

    def _show_language_status(self) -> None:
        """Say plainly what the chosen language's translation is, and offer the interpreter
        note when the person's language has no reviewed translation."""
        options = self.options
        if options is None:
            return
        code = self.language.currentData() or "en"
        lines = []
        if code not in options.reviewed:
            status = dict(options.statuses).get(code, "not reviewed")
            lines.append(f"{self.language.currentText().split(' (')[0]}: {status}. "
                         "Check it with an interpreter before giving it out.")
        elif options.language_note and code == "en":
            lines.append(options.language_note)
        offer = bool(options.person_language) and code == "en" and (
            options.language_note != "" or options.interpreter_needed)
        self.interpreter_note.setText(
            f"Add a note that an &interpreter ({options.person_language}) goes through it")
        self._form.setRowVisible(self.interpreter_note, offer)
        if offer and not self.interpreter_note.property("touched"):
            self.interpreter_note.blockSignals(True)
            self.interpreter_note.setChecked(True)
            self.interpreter_note.blockSignals(False)
            self.interpreter_note.setProperty("touched", True)
        self.language_note.setText(" ".join(lines))
        self.language_note.setVisible(bool(lines))

    def _show_history(self, history: list[packs.PrintedRecord]) -> None:
        fill_history(self.history, history)

    def _failed(self, exc: BaseException) -> None:
        self.error.setText(str(exc) if isinstance(exc, ValidationError | LookupError)
                           else f"The document could not be made: {exc}")
        self.error.setVisible(True)


def _load(ctx: AppContext, client_id: uuid.UUID
          ) -> tuple[packs.DocumentOptions, list[packs.PrintedRecord], tuple[bool, bool]]:
    return (packs.document_options(ctx, client_id), packs.history(ctx, client_id),
            contact_attempts.contact_preferences(ctx, client_id))
