"""The self-test's checks of each area's screens and documents (one builder per area); the
runner and its report are in `selftest.py`."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from wellbeing_desktop.ui.selftest_layout import inspect


def wait_until(app: Any, condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def intake_checks(ctx: Any, grab: Any) -> list[tuple[str, Callable[[], str | None]]]:
    from wellbeing_desktop.services.clients import list_clients
    from wellbeing_desktop.ui.intake.attempt_dialog import AttemptDialog
    from wellbeing_desktop.ui.intake.import_dialog import ImportDialog
    from wellbeing_desktop.ui.intake.letters_dialog import LettersDueDialog

    client = list_clients(ctx, limit=1)[0]
    return [
        ("Import referrals", grab(ImportDialog, ctx)),
        ("Letters due", grab(LettersDueDialog, ctx)),
        ("Contact attempt", grab(AttemptDialog, ctx, client.id, client.display_name)),
    ]


def casework_checks(window: Any, ctx: Any) -> list[tuple[str, Callable[[], str | None]]]:
    """The client record (every tab) and each casework dialog, on a demo client with goals."""
    from PySide6.QtWidgets import QApplication

    from wellbeing_desktop.services import clients, goals

    state: dict[str, Any] = {}

    def record() -> str:
        from wellbeing_desktop.ui.client_record import open_client

        cid = next(c.id for c in clients.list_clients(ctx) if goals.list_for_client(ctx, c.id))
        rec = open_client(ctx, cid, window)
        if not wait_until(QApplication.instance(), lambda: not rec.is_loading()):
            raise TimeoutError("the client record did not load")
        if rec.data is None:
            raise RuntimeError("the client record has no data")
        state["record"] = rec
        inspect(rec)
        for i in range(rec.tabs.count()):
            rec.tabs.setCurrentIndex(i)
            if rec.grab().isNull():
                raise RuntimeError(f"tab {rec.tabs.tabText(i)} did not paint")
        return f"{rec.tabs.count()} tabs"

    def dialog(opener: str) -> Callable[[], str]:
        def fn() -> str:
            rec = state.get("record")
            if rec is None:
                raise RuntimeError("the client record did not open")
            args = [rec.data.goals[0]] if opener == "review_goal" else []
            dlg = getattr(rec, opener)(*args)
            image = dlg.grab()
            inspect(dlg)
            dlg.dirty = False
            dlg.reject()
            if image.isNull():
                raise RuntimeError("dialog did not paint")
            return f"{image.width()}x{image.height()}"
        return fn

    def close() -> str:
        rec = state.get("record")
        if rec is not None:
            rec.close()
        return ""

    def group_sessions() -> str:
        from wellbeing_desktop.ui.casework.group_dialogs import open_groups

        app = QApplication.instance()
        listing = open_groups(ctx, window)
        if not wait_until(app, lambda: not listing.is_loading()):
            raise TimeoutError("the group sessions did not load")
        shown = [listing.grab()]
        inspect(listing, "casework: group sessions")
        new = listing.new_group()
        shown.append(new.grab())
        inspect(new, "casework: new group session")
        new.dirty = False
        new.reject()
        register = listing.open_register()
        if register is not None:
            if not wait_until(app, lambda: not register.is_loading()):
                raise TimeoutError("the register did not load")
            shown.append(register.grab())
            inspect(register, "casework: group register")
            register.reject()
        listing.reject()
        if any(image.isNull() for image in shown):
            raise RuntimeError("a group session dialog did not paint")
        return f"{listing.table.rowCount()} groups, {len(shown)} dialogs"

    def pending_drafts() -> str:
        from datetime import UTC, datetime

        from wellbeing_desktop.services.drafts import Draft
        from wellbeing_desktop.ui.casework.drafts_offer import PendingDraftsDialog

        someone = clients.list_clients(ctx, limit=1)[0]
        draft = Draft(f"appointment:new:{someone.id}", someone.id, someone.display_name,
                      "(self-test) an unsaved note", {}, datetime.now(UTC))
        offer = PendingDraftsDialog(ctx, [draft], window)
        image = offer.grab()
        inspect(offer)
        offer.reject()
        if image.isNull():
            raise RuntimeError("the unsaved notes dialog did not paint")
        return f"{image.width()}x{image.height()}"

    return [("Client record", record),
            *((f"casework: {name}", dialog(opener)) for name, opener in (
                ("client details", "edit_client"), ("new referral", "new_referral"),
                ("referral status", "change_status"), ("needs check", "needs_check"),
                ("suitability", "suitability"), ("session", "new_session"),
                ("goal", "new_goal"), ("goal review", "review_goal"),
                ("discharge", "discharge"), ("risk concern", "raise_concern"),
                ("merge duplicates", "merge_duplicate"))),
            ("Client record closes", close),
            ("casework: group sessions and register", group_sessions),
            ("casework: unsaved notes offered at start", pending_drafts)]
def privacy_checks(ctx: Any, app: Any) -> list[tuple[str, Callable[[], str | None]]]:
    """The client record's Privacy tab and the erasure dialog (nothing is erased)."""
    from wellbeing_desktop.services.clients import list_clients
    from wellbeing_desktop.ui.dialogs.erase_client import EraseClientDialog
    from wellbeing_desktop.ui.panels.privacy import PrivacyPanel

    def panel() -> str:
        widget = PrivacyPanel()
        widget.resize(900, 800)
        widget.set_client(ctx, list_clients(ctx)[0].id)
        widget.show()
        if not wait_until(app, lambda: not widget.is_loading() and widget.view is not None):
            raise TimeoutError("the privacy panel did not load")
        image = widget.grab()
        widget.close()
        if image.isNull():
            raise RuntimeError("the privacy panel did not paint")
        view = widget.view
        assert view is not None
        return f"{len(view.history)} corrections"

    def erase_dialog() -> str:
        dialog = EraseClientDialog(ctx, list_clients(ctx)[0].id, "Example")
        dialog.show()
        image = dialog.grab()
        inspect(dialog)
        dialog.reject()
        if image.isNull():
            raise RuntimeError("the erasure dialog did not paint")
        return f"{image.width()}x{image.height()}"

    return [("Privacy panel", panel), ("Erase a record (not confirmed)", erase_dialog)]


def directory_checks(ctx: Any, grab: Any) -> list[tuple[str, Callable[[], str | None]]]:
    """The directory's and signposting's dialogs, on a demo service and client."""
    from wellbeing_desktop.services import clients, directory, signposting
    from wellbeing_desktop.ui.directory.import_wizard import ImportWizard
    from wellbeing_desktop.ui.directory.notes_dialog import LocalDetailsDialog
    from wellbeing_desktop.ui.directory.report_wrong_dialog import ReportWrongDialog
    from wellbeing_desktop.ui.panels.signposting import SignpostingPanel
    from wellbeing_desktop.ui.signposting.follow_up_dialog import FollowUpDialog
    from wellbeing_desktop.ui.signposting.signpost_dialog import SignpostDialog

    hit = directory.search(ctx, "debt", limit=1)[0]
    detail = directory.get_service(ctx, hit.id)
    client = next(c for c in clients.list_clients(ctx)
                  if signposting.list_for_client(ctx, c.id))
    item = signposting.list_for_client(ctx, client.id)[0]

    def panel() -> str:
        widget = SignpostingPanel()
        widget.show()
        widget.set_client(ctx, client.id)
        image = widget.grab()
        widget.close()
        return f"{image.width()}x{image.height()}"

    return [
        ("Directory import", grab(ImportWizard, ctx)),
        ("Directory notes", grab(LocalDetailsDialog, ctx, detail)),
        ("Report a service wrong", grab(ReportWrongDialog, ctx, detail)),
        ("Signpost to a service", grab(SignpostDialog, ctx, client.id)),
        ("Signposting follow-up", grab(FollowUpDialog, ctx, item)),
        ("Signposting panel", panel),
    ]


def measures_checks(window: Any, ctx: Any) -> list[tuple[str, Callable[[], str | None]]]:
    """The measures panel of a demo client, and administering every measure (the measures
    area)."""
    from wellbeing_desktop.services import measures
    from wellbeing_desktop.services.clients import list_clients
    from wellbeing_desktop.ui.measures.administer_dialog import AdministerDialog
    from wellbeing_desktop.ui.panels.measures import MeasuresPanel

    def client() -> Any:
        for summary in list_clients(ctx):
            if measures.series(ctx, summary.id):
                return summary.id
        raise RuntimeError("no demo client has measures")

    def panel() -> str:
        widget = MeasuresPanel()
        widget.resize(900, 700)
        widget.set_client(ctx, client())
        widget.show()
        app = __import__("PySide6.QtWidgets", fromlist=["QApplication"]).QApplication.instance()
        if not wait_until(app, lambda: not widget.is_loading() and widget.model.rowCount() > 0):
            raise TimeoutError("the measures panel did not load")
        image = widget.grab()
        widget.close()
        if image.isNull() or not widget.chart.series:
            raise RuntimeError("the measures chart did not paint")
        return f"{widget.model.rowCount()} measures, {len(widget.chart.series)} charted"

    def administer() -> str:
        cid = client()
        sizes = []
        for definition in measures.definitions():
            dialog = AdministerDialog(ctx, cid, measure_id=definition.id,
                                      paper=definition.id == "ONS4", parent=window)
            dialog.show()
            image = dialog.grab()
            inspect(dialog, f"Administer {definition.id}" + (" (paper form)" if dialog.paper else ""))
            dialog.close()
            if image.isNull() or not dialog.rows:
                raise RuntimeError(f"{definition.id} did not paint")
            sizes.append(definition.id)
        return ", ".join(sizes)

    def definitions() -> str:
        problems = measures.definition_problems()
        if problems:
            raise RuntimeError(f"not loaded: {problems[0]}")
        return ", ".join(d.id for d in measures.definitions())

    return [("Measure definitions", definitions), ("Measures panel", panel),
            ("Administer a measure", administer)]


def document_checks(ctx: Any) -> list[tuple[str, Callable[[], str | None]]]:
    """Every printable document, built for a demo client (the packs issue registers them)."""
    try:
        from wellbeing_desktop.services import packs
    except ImportError:
        return []
    builder = getattr(packs, "self_test_documents", None)
    if builder is None:
        return []
    return list(builder(ctx))
