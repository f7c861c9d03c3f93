"""The 40-client demo shows measures realistically, and every stored score is what the
domain would score from the stored answers."""

from __future__ import annotations

import random
import sqlite3
import uuid
from datetime import date
from typing import Any

from wellbeing_desktop.domain.measures import score
from wellbeing_desktop.domain.measures.registry import shipped
from wellbeing_desktop.services import measures
from wellbeing_desktop.services.clients import list_clients
from wellbeing_desktop.services.demo.context import DemoContext
from wellbeing_desktop.services.demo.measures import fast_insert
from wellbeing_desktop.storage.models.measures import MeasureAdministration


def test_demo_measures_are_varied_and_consistent(demo_ctx: Any) -> None:
    clients = list_clients(demo_ctx)
    with_measures, outcomes, paper, risk, not_applicable = 0, [], 0, 0, 0
    finished: list[bool | None] = []
    for client in clients:
        rows = measures.administrations(demo_ctx, client.id)
        if rows:
            with_measures += 1
        for row in rows:
            definition = shipped().find(row.measure_id)
            assert definition is not None
            result = score(definition, list(row.answers))
            assert result.valid == row.valid
            assert result.total == row.total, (row.measure_id, row.answers, row.total)
            assert result.band == row.band and result.caseness == row.caseness
            paper += row.entered_from_paper
            risk += result.risk
            not_applicable += "NA" in row.answers
        outcome = measures.episode_outcome(demo_ctx, client.id)
        if outcome is not None:
            outcomes.append(outcome.summary())
            finished.append(outcome.finished_course)
            # Scores are taken at the assessment and at attended contacts only.
            taken = {r.taken_on for r in rows if r.measure_id == "PHQ-9"}
            assert outcome.attended_contacts is not None
            assert outcome.attended_contacts >= len(taken) - 1
    assert with_measures >= 25
    assert paper and risk and not_applicable
    assert "reliable recovery" in outcomes
    assert True in finished and False in finished
    assert {"reliable deterioration", "no reliable change"} & set(outcomes)
    kinds = {s.measure_id for c in clients for s in measures.series(demo_ctx, c.id)}
    assert kinds == {"PHQ-9", "GAD-7", "WSAS", "ONS4", "GBO",  # and physical health (issue 16)
                     "Sleep", "Activity", "Smoking", "AUDIT-C", "BMI"}


def test_fast_insert_stores_what_the_core_insert_stores(ctx: Any, client_id: uuid.UUID) -> None:
    table = MeasureAdministration.__table__
    with ctx.store.session() as s:
        conn = s.connection()
        demo = DemoContext(conn=conn, rng=random.Random(1), device_id=ctx.store.device_id,
                           today=date(2026, 11, 24), clients=1,
                           services=0, large=False)
        base = {"client_id": client_id, "referral_id": None,
                "taken_on": date(2026, 10, 1), "measure_id": "WSAS",
                "answers": ["NA", 1, 2, 3, 4], "total": 13.0, "band": "significant",
                "caseness": None, "valid": True, "entered_from_paper": True,
                "practitioner_id": None}
        first, second = uuid.uuid4(), uuid.uuid4()
        demo.insert(table, [{**base, "id": first}])  # type: ignore[arg-type]
        fast_insert(demo, table, [{**base, "id": second}])  # type: ignore[arg-type]
    raw = sqlite3.connect(ctx.store.db_path)
    raw.row_factory = sqlite3.Row
    rows = {r["id"]: dict(r) for r in raw.execute("SELECT * FROM measure_administrations")}
    raw.close()
    a, b = rows[first.hex], rows[second.hex]
    for row in (a, b):
        row.pop("id")
        row.pop("change_seq")
    assert a == b
    assert [x.total for x in measures.administrations(ctx, client_id)] == [13, 13]
