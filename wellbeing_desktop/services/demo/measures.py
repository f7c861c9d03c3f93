"""Demo measures: PHQ-9 and GAD-7 at assessment and every fortnight or so, WSAS and ONS4 at
the start and the latest session, goal ratings for some; varied courses (recovering,
improving, unchanged, worse), some entered from paper forms, an occasional item 9 above 0."""

from __future__ import annotations

import random
import uuid
from datetime import date
from typing import Any

from sqlalchemy import Table, select

from wellbeing_desktop.services.demo.context import DemoContext
from wellbeing_desktop.storage.changes import reserve_sequence
from wellbeing_desktop.storage.models import Referral
from wellbeing_desktop.storage.models.casework import Appointment
from wellbeing_desktop.storage.models.measures import MeasureAdministration

CHUNK = 5_000
# Course of a client's scores: (weight, fraction of the starting score reached by the end).
COURSES = [(0.5, 0.35), (0.2, 0.7), (0.18, 1.0), (0.12, 1.35)]

_PHQ_BANDS = ((4, "minimal"), (9, "mild"), (14, "moderate"), (19, "moderately severe"),
              (27, "severe"))
_GAD_BANDS = ((4, "minimal"), (9, "mild"), (14, "moderate"), (21, "severe"))
_WSAS_BANDS = ((9, "subclinical"), (20, "significant functional impairment"),
               (40, "moderately severe or worse"))


def fast_insert(ctx: DemoContext, table: Table, rows: list[dict[str, Any]]) -> int:
    """`DemoContext.insert` without SQLAlchemy's per-row parameter handling.

    The same rows and the same stored formats (each column's own bind processor does the
    conversion), but values that are equal on every row (the shared timestamps, the device) are
    converted once and the driver gets plain tuples: about twice as fast for the hundreds of
    thousands of rows the 50,000-client data set needs.
    """
    if not rows:
        return 0
    dialect = ctx.conn.dialect
    columns = list(table.columns)
    processors = [c.type._cached_bind_processor(dialect) for c in columns]
    shared = {"created_at": ctx.now, "updated_at": ctx.now, "version": 1,
              "origin_device": ctx.device_id, "deleted_at": None}
    constant: dict[str, Any] = {}
    for column, process in zip(columns, processors, strict=True):
        if column.name in shared:
            value = shared[column.name]
            constant[column.name] = process(value) if process and value is not None else value
    seq = reserve_sequence(ctx.conn, len(rows))
    names = [c.name for c in columns]
    plan = [(name, process, name in constant) for name, process in zip(names, processors,
                                                                       strict=True)]
    batch = []
    for number, row in enumerate(rows):
        row.setdefault("id", ctx.uuid())
        row["change_seq"] = seq + number
        values = []
        for name, process, fixed in plan:
            if fixed:
                values.append(constant[name])
                continue
            value = row.get(name)
            values.append(process(value) if process is not None and value is not None
                          else value)
        batch.append(tuple(values))
    marks = ", ".join("?" for _ in names)
    ctx.conn.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", batch)
    return len(batch)


def _band(bands: tuple[tuple[int, str], ...], total: int) -> str:
    return next(label for top, label in bands if total <= top)


def _spread(rng: random.Random, total: int, items: int, top: int) -> list[int]:
    """Item answers (each 0..top) adding up to `total`."""
    answers = [0] * items
    for _ in range(total):
        open_items = [i for i in range(items) if answers[i] < top]
        answers[rng.choice(open_items)] += 1
    return answers


class _Answers:
    """A pool of varied answer patterns per total, so 50,000 clients need no per-row shuffle."""

    def __init__(self, rng: random.Random, items: int, top: int, size: int = 12) -> None:
        self.rng = rng
        self.pool = [[_spread(rng, total, items, top) for _ in range(size)]
                     for total in range(items * top + 1)]

    def __call__(self, total: int) -> list[int]:
        return list(self.rng.choice(self.pool[total]))


def _course(rng: random.Random) -> float:
    roll, acc = rng.random(), 0.0
    for weight, factor in COURSES:
        acc += weight
        if roll < acc:
            return factor
    return COURSES[-1][1]


def _attended(ctx: DemoContext) -> dict[uuid.UUID, list[date]]:
    """Days of each client's attended contacts in this run's episodes (casework's demo)."""
    days: dict[uuid.UUID, set[date]] = {}
    for cid, rid, starts_at in ctx.conn.execute(
        select(Appointment.client_id, Appointment.referral_id, Appointment.starts_at).where(
            Appointment.outcome == "attended", Appointment.deleted_at.is_(None))
    ):
        if ctx.referral_ids.get(cid) == rid:
            days.setdefault(cid, set()).add(starts_at.date())
    return {cid: sorted(found) for cid, found in days.items()}


def generate(ctx: DemoContext) -> None:
    rng = ctx.rng
    table = MeasureAdministration.__table__
    episodes: dict[uuid.UUID, tuple[uuid.UUID, date | None, date | None, uuid.UUID | None]] = {}
    # One pass over the referrals (this run's are picked out by id: a store may hold others).
    for cid, rid, assessed, discharged, pid in ctx.conn.execute(
        select(Referral.client_id, Referral.id, Referral.assessed_on, Referral.discharged_on,
               Referral.practitioner_id).where(Referral.deleted_at.is_(None))
    ):
        if ctx.referral_ids.get(cid) == rid:
            episodes[cid] = (rid, assessed, discharged, pid)
    attended = _attended(ctx)
    phq_answers_for, gad_answers_for = _Answers(rng, 9, 3), _Answers(rng, 7, 3)
    wsas_answers_for = _Answers(rng, 5, 8)
    rows: list[dict[str, Any]] = []
    for cid in ctx.client_ids:
        found = episodes.get(cid)
        if found is None:
            continue
        rid, assessed, discharged, pid = found
        if assessed is None:
            continue
        # Scores are taken at the assessment and at each attended contact after it, as a
        # service following the NHS Talking Therapies guidance does.
        end = min(discharged or ctx.today, ctx.today)
        dates = [assessed] + [d for d in attended.get(cid, []) if assessed < d <= end]
        if ctx.large and len(dates) > 2:
            dates = [dates[0], dates[-1]]
        phq0 = rng.randrange(7, 24)
        gad0 = max(0, min(21, phq0 + rng.randrange(-6, 4)))
        wsas0 = rng.randrange(6, 32)
        factor = _course(rng)
        paper = rng.random() < 0.15
        risky = phq0 >= 14 and rng.random() < 0.25
        goals = rng.randrange(1, 4) if rng.random() < 0.35 else 0
        last = len(dates) - 1
        for n, when in enumerate(dates):
            share = n / last if last else 0.0
            wobble = rng.randrange(-2, 3) if 0 < n < last else rng.randrange(-1, 2)
            phq = max(0, min(27, round(phq0 * (1 + (factor - 1) * share)) + wobble))
            gad = max(0, min(21, round(gad0 * (1 + (factor - 1) * share)) + wobble))
            base = {"client_id": cid, "referral_id": rid, "taken_on": when, "valid": True,
                    "entered_from_paper": paper and n == 0, "practitioner_id": pid}
            phq_answers = phq_answers_for(phq)
            if risky and n == 0 and phq_answers[8] == 0:
                # Move one point into item 9 so the risk prompt shows in the demo.
                donor = next(i for i in range(8) if phq_answers[i] > 0)
                phq_answers[donor] -= 1
                phq_answers[8] = 1
            rows.append({**base, "measure_id": "PHQ-9", "answers": phq_answers,
                         "total": float(phq), "band": _band(_PHQ_BANDS, phq),
                         "caseness": phq >= 10})
            rows.append({**base, "measure_id": "GAD-7", "answers": gad_answers_for(gad),
                         "total": float(gad), "band": _band(_GAD_BANDS, gad),
                         "caseness": gad >= 8})
            # At benchmark scale only the PHQ-9 and GAD-7 pairs (what reports and exports need
            # in bulk): rows cost time, and the whole demo must stay within 20 s.
            if n in (0, last) and not ctx.large:
                wsas = max(0, min(40, round(wsas0 * (1 + (factor - 1) * share))))
                answers: list[Any] = wsas_answers_for(wsas)
                if rng.random() < 0.12 and answers[0] <= 4:  # retired: work not applicable
                    answers[0] = "NA"
                    wsas = min(40, int(sum(answers[1:]) * 5 / 4 + 0.5))
                rows.append({**base, "measure_id": "WSAS", "answers": answers,
                             "total": float(wsas), "band": _band(_WSAS_BANDS, wsas),
                             "caseness": None})
                if not ctx.large and rng.random() < 0.6:
                    lift = round(4 * share * (1.2 - factor))
                    ons = [max(0, min(10, rng.randrange(2, 7) + lift)) for _ in range(3)]
                    anxious = max(0, min(10, rng.randrange(4, 9) - lift))
                    rows.append({**base, "measure_id": "ONS4", "answers": [*ons, anxious],
                                 "total": None, "band": None, "caseness": None})
            if goals and not ctx.large:
                ratings = [max(0, min(10, round(rng.randrange(1, 4) + 6 * share * (1.3 - factor)
                                                + rng.randrange(-1, 2)))) for _ in range(goals)]
                rows.append({**base, "measure_id": "GBO", "answers": ratings,
                             "total": int(sum(ratings) * 10 / len(ratings) + 0.5) / 10, "band": None,
                             "caseness": None})
        if len(rows) >= CHUNK:
            fast_insert(ctx, table, rows)  # type: ignore[arg-type]
            rows = []
    fast_insert(ctx, table, rows)  # type: ignore[arg-type]
