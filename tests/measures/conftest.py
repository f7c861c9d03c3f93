"""Fixtures for the measures area."""

from __future__ import annotations

import pytest

from wellbeing_desktop.domain.measures import LoadResult
from wellbeing_desktop.domain.measures.registry import shipped


@pytest.fixture(scope="session")
def defs() -> LoadResult:
    result = shipped()
    assert not result.problems, result.problems
    return result
