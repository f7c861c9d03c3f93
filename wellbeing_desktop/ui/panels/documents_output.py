"""The Documents tab's making and giving out: build the document for the current choice (a
print or save pressed meanwhile waits for it), print it, save it as PDF with its accessible
HTML copy beside it, and record either. Mixed into `DocumentsPanel`, which owns the choice."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from wellbeing_desktop.services import packs
from wellbeing_desktop.services.errors import ValidationError
from wellbeing_desktop.services.files import atomic_write
from wellbeing_desktop.ui.operations import read, write
from wellbeing_desktop.ui.print_preview.print_job import start_printing

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

    from wellbeing_desktop.services.app import AppContext
    from wellbeing_desktop.ui.print_preview.preview import PdfPreview


# Type-checked as the widget it is mixed into; at run time a plain mixin (the widget's own
# methods come from the widget's class).
_Base = QWidget if TYPE_CHECKING else object


class DocumentOutputMixin(_Base):  # type: ignore[misc,valid-type]
    ctx: AppContext | None
    client_id: uuid.UUID | None
    document: packs.BuiltDocument | None
    options: packs.DocumentOptions | None
    _loading: int
    _building: packs.DocumentChoice | None
    _waiting: list[object]
    error: QLabel
    status: QLabel
    preview: PdfPreview

    if TYPE_CHECKING:  # the panel's own
        def refusal(self) -> str | None: ...
        def choice(self) -> packs.DocumentChoice: ...
        def refresh(self) -> None: ...
        def _apply_stage(self) -> None: ...
        def _done(self) -> None: ...
        def _failed(self, exc: BaseException) -> None: ...

    # ---- build, print, save ----------------------------------------------------------
    def build(self, then: object = None) -> None:
        """Make the document for the current choice, then call `then(document)` if given.
        A print or save pressed while the same document is being made waits for it."""
        if self.ctx is None or self.client_id is None:
            return
        if self.refusal():
            self._apply_stage()  # the reason is on screen; nothing is made
            return
        choice = self.choice()
        if self.document is not None and self.document.choice == choice:
            if callable(then):
                then(self.document)
            return
        if callable(then):
            self._waiting.append(then)
        if self._building == choice:
            return
        self._building = choice
        self.error.setVisible(False)
        self.status.setText("Making the document…")
        self.preview.set_busy("Making the preview…")
        self._loading += 1
        ctx, cid = self.ctx, self.client_id
        (read(packs.build_document, ctx, cid, choice)
         .on_success(self._built)
         .on_error(self._build_failed)
         .on_done(lambda: self._build_done(choice)).start())

    def _build_done(self, choice: packs.DocumentChoice) -> None:
        if self._building == choice:
            self._building = None
        self._done()

    def _built(self, document: packs.BuiltDocument) -> None:
        if document.choice != self.choice():
            return  # the choice changed while it was made: the newer build shows
        self.document = document
        self.status.setText(f"{document.title}: {document.pages} "
                            f"page{'s' if document.pages != 1 else ''}.")
        self.preview.set_pdf(document.pdf)
        waiting, self._waiting = self._waiting, []
        for then in waiting:
            if callable(then):
                then(document)

    def _build_failed(self, exc: BaseException) -> None:
        self._waiting = []
        self.status.setText("")
        self.preview.clear("Nothing to show.")
        if isinstance(exc, ValidationError):
            self.error.setText("\n".join(p.message for p in exc.problems))
            self.error.setVisible(True)
            self.error.setFocus()
        else:
            self._failed(exc)

    def _job_name(self, document: packs.BuiltDocument) -> str:
        first = self.options.first_name if self.options else ""
        return f"{document.title} for {first}".strip()

    def _print(self, document: packs.BuiltDocument) -> None:
        # Recorded (and audited, and announced) only once every page has gone to the printer.
        start_printing(self, [document.pdf], self._job_name(document),
                       on_printed=lambda _printed: self._record(document, "printed"),
                       on_stopped=self.status.setText)

    def _save(self, document: packs.BuiltDocument) -> None:
        suggested = self._job_name(document).replace(" ", "-").lower() + ".pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Save as PDF", suggested, "PDF (*.pdf)")
        if not path:
            return
        target = Path(path if path.lower().endswith(".pdf") else path + ".pdf")
        try:
            atomic_write(target, document.pdf)
            if document.html:   # the accessible copy, for screen readers, beside the PDF
                atomic_write(target.with_suffix(".html"), document.html.encode("utf-8"))
        except OSError as exc:
            self._failed(OSError(f"could not save to {target}: {exc.strerror or exc}"))
            return
        self._record(document, "saved")

    def _record(self, document: packs.BuiltDocument, action: str) -> None:
        assert self.ctx is not None
        self._loading += 1
        (write(packs.record_printed, self.ctx, document, action)
         .on_success(lambda _: self.refresh())
         .on_success(lambda _: self.status.setText(
             "Printed and recorded." if action == "printed" else
             "Saved and recorded, with an accessible copy (.html) beside it."))
         .on_error(self._failed).on_done(self._done).start())
