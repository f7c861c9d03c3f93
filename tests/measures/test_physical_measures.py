"""Physical-health measures (issue 16): AUDIT-C and the full AUDIT, smoking, activity, sleep,
weight/height/BMI with consent — scoring, the command line, change over the episode, and
the administer dialog by keyboard (measured amounts typed, rows that do not apply disabled,
the full AUDIT offered after a positive AUDIT-C)."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from test_measures_cli import run
from test_measures_gui import TODAY, type_keys

from wellbeing_desktop.domain.measures import AnswerError, LoadResult, score
from wellbeing_desktop.services import measures
from wellbeing_desktop.ui.measures.administer_dialog import AdministerDialog
from wellbeing_desktop.ui.panels.measures import MeasuresPanel


def shown(qtbot: Any, d: AdministerDialog) -> AdministerDialog:
    """Shown, and the keyboard in it (not in a window an earlier test left behind)."""
    qtbot.addWidget(d)
    d.show()
    qtbot.waitExposed(d)
    d.activateWindow()
    qtbot.waitUntil(lambda: d.isAncestorOf(QApplication.focusWidget()))
    return d


@pytest.mark.parametrize(("answers", "total", "band", "positive"), [
    ((0, 0, 0), 0, "lower risk", False),
    ((2, 1, 0), 3, "lower risk", False),
    ((2, 2, 0), 4, "lower risk", False),
    ((2, 2, 1), 5, "increasing or higher risk: positive screen", True),  # the UK cut-off
    ((4, 4, 4), 12, "increasing or higher risk: positive screen", True),
])
def test_audit_c_uk_cut_off(defs: LoadResult, answers: tuple[int, ...], total: int, band: str,
                            positive: bool) -> None:
    d = defs.find("AUDIT-C")
    assert d is not None
    result = score(d, list(answers))
    assert (result.total, result.band, result.caseness) == (total, band, positive)
    assert d.offers_follow_up(result.total) is positive
    assert d.follow_up is not None and d.follow_up.measure == "AUDIT"


@pytest.mark.parametrize(("total", "band"), [(7, "lower risk"), (8, "increasing risk"),
                                             (15, "increasing risk"), (16, "higher risk"),
                                             (19, "higher risk"), (20, "possible dependence"),
                                             (40, "possible dependence")])
def test_full_audit_bands(defs: LoadResult, total: int, band: str) -> None:
    d = defs.find("AUDIT")
    assert d is not None and [i.values for i in d.items[8:]] == [(0, 2, 4), (0, 2, 4)]
    answers = [0] * 10
    left = total
    for index in (8, 9):  # items 9 and 10 score 0, 2 or 4
        answers[index] = min(4, left - left % 2)
        left -= answers[index]
    for index in range(8):
        answers[index] = min(4, left)
        left -= answers[index]
    assert left == 0
    assert score(d, answers).band == band
    # The first three items are the AUDIT-C's, with the same keys (answers carry over).
    c = defs.find("AUDIT-C")
    assert c is not None and [i.key for i in d.items[:3]] == [i.key for i in c.items]


def test_bmi_needs_consent_and_both_measurements(defs: LoadResult) -> None:
    d = defs.find("BMI")
    assert d is not None
    assert score(d, [1, 80, 180]).total == 24.7
    assert score(d, [1, 80, 180]).band == "healthy weight"
    assert score(d, [1, 120, 170]).band == "severely obese"  # 120 / 1.7² = 41.5
    assert score(d, [1, 100, 170]).band == "obese"  # 34.6
    assert score(d, [1, 80, None]).total is None and score(d, [1, 80, None]).valid
    declined = score(d, [0, None, None])
    assert not declined.valid and "did not agree" in declined.errors[0]
    with pytest.raises(AnswerError, match=r"item 2 \(Weight \(kg\)\): cannot be recorded unless"):
        score(d, [0, 80, None])
    with pytest.raises(AnswerError, match="allowed: a number from 20 to 350 kg"):
        score(d, [1, 5, 170])


def test_smoking_items_that_do_not_apply(defs: LoadResult) -> None:
    d = defs.find("Smoking")
    assert d is not None
    result = score(d, [2, 15, 1, None, None])
    assert result.valid and result.items[0].band == "current smoker"
    with pytest.raises(AnswerError, match=r"only answered when item 1 \(Smoking status\) is 2"):
        score(d, [0, 10, None, None, None])
    assert score(d, [1, None, 1, 1, 4]).items[4].band == "not smoking: below 10 ppm"


def test_cli_scores_every_new_measure_with_the_same_keys(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    code, out, err = run(capsys, "score", "AUDIT-C", "2", "1", "0", "--json")
    assert code == 0 and err == ""
    assert json.loads(out) == {"measure": "AUDIT-C", "total": 3, "band": "lower risk",
                               "caseness": False, "valid": True, "errors": []}
    code, out, _ = run(capsys, "score", "AUDIT", "4", "4", "4", "2", "0", "0", "1", "0", "4",
                       "2", "--json")
    assert code == 0 and json.loads(out)["total"] == 21
    assert json.loads(out)["band"] == "possible dependence"
    code, out, _ = run(capsys, "score", "BMI", "1", "80", "180", "--json")
    assert json.loads(out)["total"] == 24.7
    code, out, _ = run(capsys, "score", "sleep", "6.5", "3", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"measure", "total", "band", "caseness", "valid", "errors",
                                       "items"}
    assert [(i["value"], i["band"]) for i in data["items"]] == [
        (6.5, "a little short"), (3, "often or always")]
    code, out, _ = run(capsys, "score", "Activity", "5", "9", "--json")
    assert json.loads(out)["items"][0]["band"] == "meets the guidelines: 150 minutes a week"
    code, out, _ = run(capsys, "score", "Smoking", "2", "20", "1", "-", "-", "--json")
    assert code == 0 and json.loads(out)["items"][1]["value"] == 20


@pytest.mark.parametrize(("args", "message"), [
    (("AUDIT-C", "2", "1", "5"), "AUDIT-C item 3 (6 or 8 units at once): 5 is not allowed; "
                                 "allowed values are 0 to 4, or - for missing"),
    (("AUDIT-C", "2", "1"), "AUDIT-C has 3 items; 2 answers given"),
    (("AUDIT", "0", "0", "0", "0", "0", "0", "0", "0", "1", "0"), "item 9 (Injury): 1 is not "
                                                                  "allowed; allowed values are 0, 2, 4"),
    (("Sleep", "6.55", "1"), "allowed: a number from 0 to 16 hours (up to 1 decimal place)"),
    (("Sleep", "lots", "1"), "item 1 (Usual hours of sleep): lots is not allowed"),
    (("BMI", "0", "80", "-"), "cannot be recorded unless item 1 (Agrees) is 1 (yes)"),
])
def test_cli_bad_answers_exit_2(capsys: pytest.CaptureFixture[str], args: tuple[str, ...],
                                message: str) -> None:
    code, out, err = run(capsys, "score", *args, "--json")
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def _record(ctx: Any, client_id: uuid.UUID, measure: str, answers: tuple[Any, ...],
            on: date) -> None:
    measures.record(ctx, measures.MeasureInput(client_id, measure, answers, on), today=TODAY)


def test_change_over_the_episode(ctx: Any, client_id: uuid.UUID) -> None:
    first, last = date(2026, 9, 10), date(2026, 11, 5)
    _record(ctx, client_id, "Sleep", (5.5, 3), first)
    _record(ctx, client_id, "Sleep", (6.0, 2), date(2026, 10, 1))
    _record(ctx, client_id, "Sleep", (7.5, 1), last)
    _record(ctx, client_id, "Smoking", (2, 20, 1, None, None), first)
    _record(ctx, client_id, "Smoking", (1, None, 1, 1, 4), last)
    _record(ctx, client_id, "Activity", (1, 10), first)
    _record(ctx, client_id, "Activity", (4, 8), last)
    _record(ctx, client_id, "AUDIT-C", (3, 2, 1), first)
    _record(ctx, client_id, "AUDIT-C", (2, 1, 0), last)
    _record(ctx, client_id, "BMI", (1, 92, 175), first)
    _record(ctx, client_id, "BMI", (0, None, None), date(2026, 10, 1))  # declined: not counted
    _record(ctx, client_id, "BMI", (1, 88, 175), last)
    found = {(c.measure_id, c.key): c for c in measures.changes(ctx, client_id)}
    sleep = found[("Sleep", "hours")]
    assert (sleep.first, sleep.last, sleep.direction) == (5.5, 7.5, "better")
    assert sleep.first_text == "5.5 hours, short: under 6 hours"
    assert found[("Sleep", "affects_day")].direction == "better"
    status = found[("Smoking", "status")]
    assert (status.first_text, status.last_text, status.direction) == (
        "Current smoker", "Ex-smoker", "better")
    assert found[("Smoking", "quit_date_set")].direction == "same"
    assert found[("Activity", "active_days")].direction == "better"
    assert found[("Activity", "sitting_hours")].direction == "better"  # less sitting
    assert (found[("AUDIT-C", None)].first, found[("AUDIT-C", None)].last) == (6, 3)
    bmi = found[("BMI", None)]
    assert (bmi.first, bmi.last, bmi.direction) == (30.0, 28.7, "better")  # obese → overweight
    assert found[("BMI", "weight_kg")].direction == "better"
    assert ("BMI", "agrees") not in found and ("BMI", "height_cm") not in found
    # One administration is not a change.
    assert not [c for c in measures.changes(ctx, client_id) if c.measure_id == "PHQ-9"]


def test_sleep_in_the_middle_band_is_best(defs: LoadResult) -> None:
    from wellbeing_desktop.domain.measures.change import Taken, changes

    d = defs.find("Sleep")
    assert d is not None
    moved = changes(d, [Taken(date(2026, 1, 1), (11.0, None), None),
                        Taken(date(2026, 2, 1), (8.0, None), None)])
    assert moved[0].direction == "better"  # fewer hours, but now 7 to 9


@pytest.fixture(autouse=True)
def _no_blocking_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing a dialog with answers asks first; at teardown the answer is "discard"."""
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Discard)


@pytest.fixture
def yes_to_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    """"Offer the full AUDIT?" yes; "discard these answers?" (at teardown) discard."""
    def answer(_parent: object, title: str, *_a: object, **_k: object) -> object:
        return (QMessageBox.StandardButton.Discard if title.startswith("Discard")
                else QMessageBox.StandardButton.Yes)

    monkeypatch.setattr(QMessageBox, "question", answer)


def test_positive_audit_c_offers_the_full_audit(ctx: Any, client_id: uuid.UUID, qtbot: Any,
                                                immediate_tasks: None,
                                                yes_to_questions: None) -> None:
    d = shown(qtbot, AdministerDialog(ctx, client_id, measure_id="AUDIT-C", today=TODAY))
    type_keys(qtbot, d, "321")
    assert d.answers() == [3, 2, 1]
    assert "Score 6 — increasing or higher risk: positive screen" in d.status.text()
    d.save()
    assert d.result is not None and d.follow_up is not None
    audit = d.follow_up
    qtbot.addWidget(audit)
    assert audit.definition.id == "AUDIT"
    assert audit.answers()[:3] == [3, 2, 1] and audit.answers()[3:] == [None] * 7
    audit.show()
    qtbot.waitExposed(audit)
    audit.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is audit.rows[3])
    type_keys(qtbot, audit, "1000100")  # items 4–10 (9 and 10: 0, 2 or 4)
    assert audit.answers() == [3, 2, 1, 1, 0, 0, 0, 1, 0, 0]
    assert "Score 8 — increasing risk" in audit.status.text()


def test_lower_risk_audit_c_offers_nothing(ctx: Any, client_id: uuid.UUID, qtbot: Any,
                                           immediate_tasks: None, yes_to_questions: None) -> None:
    d = shown(qtbot, AdministerDialog(ctx, client_id, measure_id="AUDIT-C", today=TODAY))
    type_keys(qtbot, d, "210")
    assert d.answers() == [2, 1, 0], d.status.text()
    d.save()
    assert d.result is not None and d.follow_up is None


def test_measured_amounts_are_typed_and_rows_that_do_not_apply_are_off(
        ctx: Any, client_id: uuid.UUID, qtbot: Any, immediate_tasks: None) -> None:
    d = shown(qtbot, AdministerDialog(ctx, client_id, measure_id="BMI", today=TODAY))
    weight, height = d.rows[1], d.rows[2]
    assert not weight.isEnabled() and not height.isEnabled()  # until the person agrees
    type_keys(qtbot, d, "1")
    assert weight.isEnabled() and QApplication.focusWidget() is weight.amount
    type_keys(qtbot, d, "82.5\r172\r")
    assert d.answers() == [1, 82.5, 172]
    assert "Score 27.9 — overweight" in d.status.text()
    d.rows[0].set_value(0)  # changed their mind: the measurements are cleared
    assert d.answers() == [0, None, None] and not weight.isEnabled()
    assert "did not agree" in d.status.text()

    s = shown(qtbot, AdministerDialog(ctx, client_id, measure_id="Smoking", today=TODAY))
    type_keys(qtbot, s, "0")  # never smoked: cigarettes a day does not apply
    assert not s.rows[1].isEnabled() and QApplication.focusWidget() is s.rows[2]
    s.rows[0].set_value(2)
    assert s.rows[1].isEnabled()


def test_panel_shows_change_over_the_episode(ctx: Any, client_id: uuid.UUID, qtbot: Any,
                                             immediate_tasks: None) -> None:
    _record(ctx, client_id, "Sleep", (5.5, 3), date(2026, 9, 10))
    _record(ctx, client_id, "Sleep", (7.5, 1), date(2026, 11, 5))
    _record(ctx, client_id, "BMI", (1, 92, 175), date(2026, 9, 10))
    _record(ctx, client_id, "BMI", (1, 88, 175), date(2026, 11, 5))
    panel = MeasuresPanel()
    qtbot.addWidget(panel)
    panel.set_client(ctx, client_id)
    panel.resize(900, 640)
    panel.show()
    text = panel.changes.text()
    assert "Sleep: Usual hours of sleep 5.5 hours, short: under 6 hours → 7.5 hours" in text
    assert "BMI 30, obese → 28.7, overweight (<b>better</b>)" in text
    panel.show_choice.setCurrentIndex(panel.show_choice.findData("all"))
    assert {s.measure_id for s in panel.chart.series} >= {"BMI"}
    panel.show_choice.setCurrentIndex(panel.show_choice.findData("Sleep"))
    hours = next(s for s in panel.chart.series if s.item_key == "hours")
    assert (hours.minimum, hours.maximum) == (0, 10)  # drawn around the values, not 0–16
    assert not panel.grab().isNull()  # painted (look at it by saving it)


@pytest.mark.parametrize(("kind", "variant", "heading", "better"), [
    ("plan", "standard", "What changed for your health", "This has moved the right way."),
    ("plan", "easy-read", "Your health: what changed", "This is better."),
    ("discharge", "standard", "What changed for your health", "This has moved the right way."),
])
def test_take_home_documents_say_what_changed(ctx: Any, client_id: uuid.UUID, kind: str,
                                              variant: str, heading: str, better: str) -> None:
    import io

    from pypdf import PdfReader

    from wellbeing_desktop.services import packs

    _record(ctx, client_id, "Sleep", (5.5, 3), date(2026, 9, 10))
    _record(ctx, client_id, "Sleep", (7.5, 3), date(2026, 11, 5))
    _record(ctx, client_id, "Smoking", (2, 20, 1, None, None), date(2026, 9, 10))
    _record(ctx, client_id, "Smoking", (1, None, 1, 1, 4), date(2026, 11, 5))
    if kind == "discharge":  # a discharge letter only after discharge (the stage rule)
        from wellbeing_desktop.services import discharge

        discharge.discharge(ctx, client_id, discharge.DischargeInput(
            "completed", "Keep the sleep routine", "Your GP", "Ask your GP to refer you again",
            discharged_on=TODAY, checks_reason="Finished the course"))
    snap = packs.build_snapshot(ctx, client_id, packs.DocumentChoice(kind=kind, variant=variant),
                                today=TODAY)
    assert [(o.label, o.note) for o in snap.health_changes] == [
        ("Smoking.status", "better"), ("Smoking.quit_date_set", "same"),
        ("Sleep.hours", "better"), ("Sleep.affects_day", "same")]
    doc = packs.build_document(ctx, client_id,
                               packs.DocumentChoice(kind=kind, variant=variant), today=TODAY)
    text = " ".join(" ".join(p.extract_text().split())
                    for p in PdfReader(io.BytesIO(doc.pdf)).pages)
    assert heading in text and better in text
    assert "Hours of sleep on a usual night" in text and "7.5 hours" in text
    assert "Current smoker" in text and "Ex-smoker" in text
    assert "Sleep.hours" not in text  # the plain-words label, never the key
