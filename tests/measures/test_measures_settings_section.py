"""The Measures settings section lists the definitions and reports a bad file by file and
field (a real folder of definition files, read again with the button)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from wellbeing_desktop.domain.measures import registry
from wellbeing_desktop.resources import RESOURCES_ENV
from wellbeing_desktop.ui.settings.measures import MeasuresSection


@pytest.fixture
def reloaded_after(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Read the shipped definitions again once the test's resources folder is gone."""
    yield
    monkeypatch.undo()
    registry.reload()


def test_lists_measures_and_reports_a_bad_file(ctx: Any, qtbot: Any, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               reloaded_after: None) -> None:
    section = MeasuresSection()
    qtbot.addWidget(section)
    section.attach(ctx)
    text = section.list.toPlainText()
    assert "Patient Health Questionnaire (PHQ-9)" in text
    assert "caseness at 10 or more; reliable change 6" in text
    assert "Pfizer" in text
    assert not section.problems.isVisibleTo(section)

    folder = tmp_path / "resources" / "measures"
    shutil.copytree(registry.definitions_dir(), folder)
    data = json.loads((folder / "gad7.json").read_text())
    data["bands"][0]["max"] = 3
    (folder / "gad7.json").write_text(json.dumps(data))
    monkeypatch.setenv(RESOURCES_ENV, str(tmp_path / "resources"))
    qtbot.mouseClick(section.reload_button, Qt.MouseButton.LeftButton)
    assert section.problems.isVisibleTo(section)
    assert "gad7.json: bands: a score of 4 falls in no band" in section.problems.text()
    assert "Generalised Anxiety" not in section.list.toPlainText()
    assert "Patient Health Questionnaire" in section.list.toPlainText()


@pytest.mark.safety
def test_start_up_says_when_a_definition_was_not_loaded(qtbot: Any, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        immediate_tasks: None,
                                                        reloaded_after: None) -> None:
    from PySide6.QtWidgets import QMainWindow

    from wellbeing_desktop.ui.measures.startup import check_definitions

    window = QMainWindow()
    qtbot.addWidget(window)
    check_definitions(window)
    assert window.statusBar().currentMessage() == ""
    folder = tmp_path / "resources" / "measures"
    shutil.copytree(registry.definitions_dir(), folder)
    (folder / "wsas.json").write_text("{")
    monkeypatch.setenv(RESOURCES_ENV, str(tmp_path / "resources"))
    registry.reload()
    check_definitions(window)
    assert window.statusBar().currentMessage() == (
        "1 measure definition file(s) not loaded (wsas.json): see Settings → Measures.")
