"""The shipped definitions, loaded once from `resources/measures/`."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from wellbeing_desktop.domain.measures.definitions import LoadResult, load_definitions
from wellbeing_desktop.resources import resource

log = logging.getLogger(__name__)


def definitions_dir() -> Path:
    return resource("measures")


@lru_cache(maxsize=1)
def shipped() -> LoadResult:
    """Every valid definition, and the problems of any that were not loaded."""
    result = load_definitions(definitions_dir())
    for problem in result.problems:  # file and field names only: no client data
        log.warning("measure definition not loaded: %s", problem)
    return result


def reload() -> LoadResult:
    shipped.cache_clear()
    return shipped()
