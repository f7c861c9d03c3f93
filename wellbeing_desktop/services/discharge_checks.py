"""What to check before discharge: open goals, a signposting follow-up still due, no paired
outcome scores (PHQ-9 or GAD-7 at the start and the end). Each is said in words; the
discharge goes ahead only with the practitioner's reason (services/discharge.py)."""

from __future__ import annotations

import uuid

from wellbeing_desktop.services import goals, measures, signposting
from wellbeing_desktop.services.app import AppContext

PAIRED = ("PHQ-9", "GAD-7")


def checks(ctx: AppContext, client_id: uuid.UUID) -> list[str]:
    out: list[str] = []
    open_goals = [g for g in goals.list_for_client(ctx, client_id) if g.status == "active"]
    if open_goals:
        n = len(open_goals)
        out.append(f"{n} goal{'s are' if n != 1 else ' is'} still open "
                   f"(“{open_goals[0].what}”{' and others' if n > 1 else ''})")
    due = [x for x in signposting.list_for_client(ctx, client_id)
           if x.follow_up_on is not None and not x.outcome]
    if due:
        first = min(x.follow_up_on for x in due if x.follow_up_on is not None)
        out.append(f"{len(due)} signposting follow-up{'s are' if len(due) != 1 else ' is'} "
                   f"still due (the first on {first:%d %b %Y})")
    paired = [s for s in measures.series(ctx, client_id)
              if s.measure_id in PAIRED and s.item_key is None and len(s.totals) >= 2]
    if not paired:
        out.append("there are no paired outcome scores (PHQ-9 or GAD-7 at the start and "
                   "the end), so the outcome cannot be reported")
    return out
