"""pytest-qt: searching the directory page, and signposting a client with a follow-up."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt

from wellbeing_desktop.services import clients, directory, signposting


def _page(qtbot: Any, ctx: Any) -> Any:
    from wellbeing_desktop.ui.pages.directory import DirectoryPage

    page = DirectoryPage()
    qtbot.addWidget(page)
    page.show()
    page.attach(ctx)
    return page


def test_results_model_passes_qt_checks(qtmodeltester: Any, demo_ctx: Any) -> None:
    from wellbeing_desktop.ui.directory.results_model import ServiceTableModel

    model = ServiceTableModel()
    model.reset(directory.search(demo_ctx, "", limit=30))
    qtmodeltester.check(model)


def test_search_as_you_type_and_filters(qtbot: Any, demo_ctx: Any, immediate_tasks: None) -> None:
    page = _page(qtbot, demo_ctx)
    assert page.model.rowCount() == 80 and page.count.text() == "80 services"
    qtbot.keyClicks(page.search, "smok")
    qtbot.waitUntil(lambda: page.model.rowCount() == 4)
    assert page.model.hit(0).name == "Stop Smoking Service"
    # The first result is shown in full beside the list.
    assert page.detail.detail is not None and page.detail.detail.name == "Stop Smoking Service"
    assert "Monday to Friday" in page.detail.text.toPlainText()
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 80)
    page.need.setCurrentIndex(page.need.findData("caring"))
    assert 0 < page.model.rowCount() < 80
    assert all("caring" in page.model.hit(r).needs for r in range(page.model.rowCount()))
    page.free.setChecked(True)
    assert all(page.model.hit(r).free_of_charge for r in range(page.model.rowCount()))


def test_favourite_and_verify_from_the_detail(qtbot: Any, demo_ctx: Any,
                                              immediate_tasks: None) -> None:
    from wellbeing_desktop.ui.bus import bus

    page = _page(qtbot, demo_ctx)
    bus().data_changed.connect(page.on_data_changed)
    try:
        page.search.setText("men's shed")
        page.refresh()
        shown = page.detail.detail
        assert shown is not None and not shown.favourite
        qtbot.mouseClick(page.detail.favourite, Qt.MouseButton.LeftButton)
        assert page.detail.detail.favourite
        qtbot.mouseClick(page.detail.verify, Qt.MouseButton.LeftButton)
        assert page.detail.detail.verified_on == date.today() and not page.detail.detail.stale
        assert not page.detail.clear_wrong.isVisible()
        # A service reported wrong can be cleared once its details are checked.
        page.search.setText("community pantry")
        page.refresh()
        assert page.detail.detail.reported_wrong and page.detail.clear_wrong.isVisible()
        qtbot.mouseClick(page.detail.clear_wrong, Qt.MouseButton.LeftButton)
        assert not page.detail.detail.reported_wrong
        assert not page.detail.clear_wrong.isVisible()
    finally:
        bus().data_changed.disconnect(page.on_data_changed)


def test_import_wizard_previews_then_imports(qtbot: Any, ctx: Any, examples: Any,
                                             immediate_tasks: None, tmp_path: Any) -> None:
    from wellbeing_desktop.ui.directory.import_wizard import ImportWizard

    wizard = ImportWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    assert wizard.error.isVisible() and "Choose a file" in wizard.error.text()
    wizard.path.setText(str(examples / "service_full.json"))
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    assert "would add 1" in wizard.preview.toPlainText()
    assert directory.count(ctx) == 0  # a preview changes nothing
    qtbot.mouseClick(wizard.next, Qt.MouseButton.LeftButton)
    assert wizard.heading.text() == "Import finished" and directory.count(ctx) == 1
    bad = examples.parent / "nope.json"
    wizard2 = ImportWizard(ctx)
    qtbot.addWidget(wizard2)
    wizard2.path.setText(str(bad))
    qtbot.mouseClick(wizard2.next, Qt.MouseButton.LeftButton)
    assert "Nothing was imported" in wizard2.error.text()
    assert not wizard2.problems.isVisible()
    # Many problems: a count in the message and one per line in a list below it.
    many = tmp_path / "many.json"
    many.write_text('[{"id": "a", "name": "A", "status": "open"}, '
                    '{"id": "b", "name": "B", "status": "shut"}]', encoding="utf-8")
    wizard2.show()
    wizard2.path.setText(str(many))
    qtbot.mouseClick(wizard2.next, Qt.MouseButton.LeftButton)
    assert "the feed has" in wizard2.error.text() and wizard2.problems.isVisible()
    lines = wizard2.problems.toPlainText().splitlines()
    assert len(lines) >= 2 and all(line.startswith("• many.json") for line in lines)
    assert any("'shut'" in line for line in lines)


def test_signpost_a_client_then_record_the_follow_up(
        qtbot: Any, demo_ctx: Any, immediate_tasks: None, monkeypatch: Any) -> None:
    from wellbeing_desktop.ui.bus import bus
    from wellbeing_desktop.ui.panels.signposting import SignpostingPanel
    from wellbeing_desktop.ui.signposting.follow_up_dialog import FollowUpDialog
    from wellbeing_desktop.ui.signposting.signpost_dialog import SignpostDialog

    client = next(c for c in clients.list_clients(demo_ctx)
                  if not signposting.list_for_client(demo_ctx, c.id))
    panel = SignpostingPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_client(demo_ctx, client.id)
    bus().data_changed.connect(panel.on_data_changed)
    try:
        assert panel.table.rowCount() == 0 and "Not signposted" in panel.status.text()
        dialog = SignpostDialog(demo_ctx, client.id, panel)
        qtbot.addWidget(dialog)
        dialog.show()
        # Saving with nothing chosen names the fields and keeps the dialog open.
        dialog.save()
        assert dialog.isVisible()
        assert dialog.errors._labels["need"].isVisible()
        assert dialog.errors._labels["service_id"].isVisible()
        dialog.need.setCurrentIndex(dialog.need.findData("money_debt"))
        assert dialog.results.count() > 0  # suggestions for the chosen need
        qtbot.keyClicks(dialog.search, "debt advice line")
        qtbot.waitUntil(lambda: dialog.results.count() >= 1
                        and "Debt Advice Line" in dialog.results.item(0).text())
        dialog.results.setCurrentRow(0)
        dialog.kind.setCurrentIndex(dialog.kind.findData("assisted_referral"))
        dialog.save()
        assert "consent" in dialog.errors._labels["consent_to_share"].text()
        dialog.consent.setChecked(True)
        dialog.shared_what.setText("Name and phone number")
        dialog.shared_with.setText("Duty adviser")
        dialog.save()
        assert dialog.saved and not dialog.isVisible()
        assert panel.table.rowCount() == 1
        assert panel.table.item(0, 1).text() == "Debt Advice Line"
        assert "01632 960" in panel.detail.toPlainText()
        follow = FollowUpDialog(demo_ctx, panel.current(), panel)
        qtbot.addWidget(follow)
        follow.show()
        follow.outcome.setCurrentIndex(follow.outcome.findData("engaged"))
        follow.note.setPlainText("Booked an appointment")
        follow.save()
        assert panel.table.item(0, 5).text() == "Engaged with the service"
        assert "1 got there" in panel.status.text()
    finally:
        bus().data_changed.disconnect(panel.on_data_changed)


def test_signpost_dialog_suggests_for_the_latest_needs_check(qtbot: Any, demo_ctx: Any,
                                                             immediate_tasks: Any) -> None:
    from wellbeing_desktop.services import needs
    from wellbeing_desktop.services.needs import NeedInput
    from wellbeing_desktop.ui.signposting.signpost_dialog import NeedRole, SignpostDialog

    client = clients.list_clients(demo_ctx)[0]
    needs.record_assessment(demo_ctx, client.id, [
        NeedInput("housing", 1, 0), NeedInput("sleep", 2, 2)], assessed_on=date.today())
    dialog = SignpostDialog(demo_ctx, client.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.results.count() > 0)
    hint = dialog.hint.text()
    assert "needs check" in hint and hint.index("Sleep") < hint.index("Housing")
    assert "Sleep (high need, their priority now)" in hint
    first = dialog.results.item(0)
    assert first.data(NeedRole) == "sleep" and "· for Sleep" in first.text()
    count = dialog.results.count()
    # Choosing a suggestion fills in the need it was suggested for and keeps the list.
    assert dialog.need.currentData() == ""
    dialog.results.setCurrentRow(count - 1)
    assert dialog.need.currentData() == dialog.results.item(count - 1).data(NeedRole) != ""
    assert dialog.results.count() == count
    dialog.saved = True  # nothing to discard
    dialog.close()


@pytest.mark.safety
def test_tabbing_onto_the_services_never_chooses_one(qtbot: Any, demo_ctx: Any,
                                                    immediate_tasks: Any) -> None:
    """Qt makes the first row of a list current when Tab lands on it; that is not a choice.
    (The self-test's Tab walk found that the first suggestion was then taken as chosen, and
    Save would have recorded it.)"""
    from PySide6.QtWidgets import QApplication

    from wellbeing_desktop.ui.signposting.signpost_dialog import SignpostDialog

    client = clients.list_clients(demo_ctx)[0]
    dialog = SignpostDialog(demo_ctx, client.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    QApplication.processEvents()
    dialog.need.setCurrentIndex(dialog.need.findData("money_debt"))
    qtbot.waitUntil(lambda: dialog.results.count() > 0)
    dialog.search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.search)
    path = []
    for _ in range(12):
        focused = QApplication.focusWidget()
        path.append(type(focused).__name__)
        if focused is None or focused is dialog.results:
            break
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.results, path
    assert dialog.results.currentItem() is not None   # Qt's doing, as the test expects
    assert dialog.selected_service() is None
    dialog.save()
    assert dialog.isVisible() and dialog.errors._labels["service_id"].isVisible()
    qtbot.keyClick(dialog.results, Qt.Key.Key_Down)    # a deliberate choice by arrows
    assert dialog.selected_service() is not None
    dialog.saved = True  # nothing to discard
    dialog.close()


def test_signposting_can_end_with_no_suitable_service(demo_ctx: Any, qtbot: Any,
                                                      immediate_tasks: Any) -> None:
    from wellbeing_desktop.services import unmet_needs
    from wellbeing_desktop.ui.signposting.signpost_dialog import SignpostDialog

    client = clients.list_clients(demo_ctx)[0]
    dialog = SignpostDialog(demo_ctx, client.id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.no_service.click()  # no need chosen: the field says so, nothing saved
    assert dialog.isVisible() and dialog.errors._labels["need"].text()
    assert unmet_needs.list_for_client(demo_ctx, client.id) == []
    dialog.need.setCurrentIndex(dialog.need.findData("legal"))
    dialog.area.setText("KM4")
    dialog.note.setPlainText("No free immigration advice within two buses")
    dialog.no_service.click()
    assert not dialog.isVisible()
    [row] = unmet_needs.list_for_client(demo_ctx, client.id)
    assert (row.need, row.area, row.note) == ("legal", "KM4",
                                              "No free immigration advice within two buses")
