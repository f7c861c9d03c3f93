"""The shipped definitions, loaded once from `resources/measures/`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from wellbeing_desktop.domain.measures.definitions import LoadResult, load_definitions
from wellbeing_desktop.resources import resource


def definitions_dir() -> Path:
    return resource("measures")


@lru_cache(maxsize=1)
def shipped() -> LoadResult:
    """Every valid definition, and the problems of any that were not loaded."""
    return load_definitions(definitions_dir())


def reload() -> LoadResult:
    shipped.cache_clear()
    return shipped()
