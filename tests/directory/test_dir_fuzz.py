"""Arbitrary JSON fed to the importer: only clear errors (or a clean import), never a crash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wellbeing_desktop.services import directory
from wellbeing_desktop.services.errors import ValidationError

SERVICE = json.loads((Path(__file__).parent / "data" / "oruk" / "service_full.json")
                     .read_text(encoding="utf-8"))
KEYS = ["id", "name", "status", "organization", "schedules", "contacts", "phones", "languages",
        "service_at_locations", "attributes", "cost_options", "minimum_age", "assured_date",
        "contents", "location", "service", "taxonomy_terms", "term", "description", "byday"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=12),
                    st.sampled_from(["active", "2025-01-01", "10:00", "x", ""]))
anything = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), inner, max_size=6)),
    max_leaves=25)


def _mutations() -> st.SearchStrategy[Any]:
    """The real example with one part replaced by anything."""
    def mutate(key: str, value: Any) -> Any:
        doc = json.loads(json.dumps(SERVICE))
        doc[key] = value
        return doc
    return st.builds(mutate, st.sampled_from(sorted(SERVICE)), anything)


@pytest.fixture(scope="module")
def fuzz_ctx(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from wellbeing_desktop.services import setup
    from wellbeing_desktop.services.app import AppContext

    context = AppContext.open(tmp_path_factory.mktemp("fuzz") / "data")
    setup.complete_first_run(context, setup.SetupInput("Fuzz", "Sam Okoye", phone="01632 960 1"))
    yield context
    context.close()


def _feed(ctx: Any, tmp: Path, doc: Any) -> None:
    path = tmp / "feed.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    try:
        result = directory.import_feed(ctx, path, dry_run=True)
    except ValidationError as exc:
        text = str(exc)
        assert text and "\n" not in text and "Traceback" not in text
    else:
        assert result.dry_run


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=anything)
def test_arbitrary_json_gives_a_clear_error_or_imports(fuzz_ctx: Any, tmp_path: Path,
                                                        doc: Any) -> None:
    _feed(fuzz_ctx, tmp_path, doc)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=_mutations())
def test_a_damaged_real_service_gives_a_clear_error_or_imports(
        fuzz_ctx: Any, tmp_path: Path, doc: Any) -> None:
    _feed(fuzz_ctx, tmp_path, doc)
