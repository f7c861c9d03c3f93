"""At start-up, load and check the measure definitions (on the worker) and say so in the status
bar if a file was not loaded; Settings → Measures names each problem by file and field."""

from __future__ import annotations

from typing import Any

from wellbeing_desktop.domain.measures.definitions import DefinitionProblem
from wellbeing_desktop.services import measures
from wellbeing_desktop.ui.operations import Op, read


def check_definitions(window: Any) -> Op[Any]:
    def report(problems: list[DefinitionProblem]) -> None:
        if problems:
            files = sorted({getattr(p, "file", "") for p in problems})
            window.statusBar().showMessage(
                f"{len(files)} measure definition file(s) not loaded ({', '.join(files)}): "
                "see Settings → Measures.", 30_000)

    return read(measures.definition_problems).on_success(report) \
        .on_error(lambda _exc: None).start()
