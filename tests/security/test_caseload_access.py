"""Record-level access: a practitioner opens their own caseload and unallocated referrals only;
a supervisor opens everyone's. Every per-client service applies the same rule."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from wellbeing_desktop.services import clients, measures, packs, privacy, signposting
from wellbeing_desktop.services.context import ROLE_PRACTITIONER, Actor
from wellbeing_desktop.services.errors import NotFound, PermissionDenied
from wellbeing_desktop.storage.models import Client, Practitioner

READERS: list[tuple[str, Callable[[Any, uuid.UUID], object]]] = [
    ("clients.get_client", clients.get_client),
    ("clients.view_client", clients.view_client),
    ("measures.series", measures.series),
    ("measures.administrations", measures.administrations),
    ("measures.episode_outcome", measures.episode_outcome),
    ("signposting.list_for_client", signposting.list_for_client),
    ("signposting.client_needs", signposting.client_needs),
    ("privacy.privacy_view", privacy.privacy_view),
    ("packs.document_options", packs.document_options),
    ("packs.history", packs.history),
]


@pytest.fixture
def team(ctx: Any) -> dict[str, Any]:
    with ctx.store.session() as s:
        priya = Practitioner(display_name="Priya Nair", role=ROLE_PRACTITIONER)
        tom = Practitioner(display_name="Tom Evans", role=ROLE_PRACTITIONER)
        s.add_all([priya, tom])
        s.flush()
        mine = Client(given_name="Ana", family_name="Silva", practitioner_id=priya.id,
                      date_of_birth=date(1990, 1, 1))
        theirs = Client(given_name="Ben", family_name="Okafor", practitioner_id=tom.id)
        unallocated = Client(given_name="Cara", family_name="Doyle", practitioner_id=None)
        s.add_all([mine, theirs, unallocated])
        s.flush()
        ids = {"priya": priya.id, "mine": mine.id, "theirs": theirs.id,
               "unallocated": unallocated.id}
    return ids


@pytest.mark.parametrize(("name", "read"), READERS, ids=[n for n, _ in READERS])
@pytest.mark.safety
def test_practitioner_reads_own_and_unallocated_only(ctx: Any, team: dict[str, Any], name: str,
                                                     read: Callable[[Any, uuid.UUID], object]
                                                     ) -> None:
    supervisor = ctx.actor
    ctx.actor = Actor(team["priya"], "Priya Nair", ROLE_PRACTITIONER)
    read(ctx, team["mine"])
    read(ctx, team["unallocated"])
    with pytest.raises(PermissionDenied, match="another practitioner's caseload"):
        read(ctx, team["theirs"])
    with pytest.raises(NotFound):
        read(ctx, uuid.uuid4())
    ctx.actor = supervisor
    read(ctx, team["theirs"])


@pytest.mark.safety
def test_practitioner_cannot_write_to_someone_elses_client(ctx: Any, team: dict[str, Any]) -> None:
    ctx.actor = Actor(team["priya"], "Priya Nair", ROLE_PRACTITIONER)
    with pytest.raises(PermissionDenied):
        measures.record(ctx, measures.MeasureInput(
            client_id=team["theirs"], measure_id="GAD-7", answers=(0,) * 7,
            taken_on=date(2026, 11, 2)))
    assert measures.administrations(ctx, team["mine"]) == []
