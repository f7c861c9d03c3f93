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


@pytest.fixture
def client_id(ctx: object) -> object:
    """One client with an open referral received on 1 September 2026."""
    import uuid
    from datetime import date

    from wellbeing_desktop.storage.models import Client, Referral

    cid = uuid.uuid4()
    with ctx.store.session() as s:  # type: ignore[attr-defined]
        s.add(Client(id=cid, given_name="Ada", family_name="Testcase", search_name="testcase ada"))
        s.flush()
        s.add(Referral(client_id=cid, received_on=date(2026, 9, 1), source="gp"))
    return cid
