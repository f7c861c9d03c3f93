"""Demo signposting: clients connected with services that meet their needs, with follow-ups."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, select

from wellbeing_desktop.services.demo.context import DemoContext
from wellbeing_desktop.storage.models.base import Base
from wellbeing_desktop.storage.models.casework import NeedRating
from wellbeing_desktop.storage.models.signposting import Signposting, SignpostingFollowUp

KINDS = ["information", "information", "assisted_referral", "warm_handover"]
OUTCOMES = ["engaged", "engaged", "waiting", "not_yet", "declined", "not_eligible", "unknown",
            "service_closed"]
SHARED = ("Name, phone number and the reason for referral",
          "Name, address, and that money worries are affecting their mood")
NOTES = ["Client keen; will phone on Monday.", "Gave the leaflet and wrote the number down.",
         "Made the call together in the session.", "Introduced by phone to the duty adviser.", ""]


def generate(ctx: DemoContext) -> None:
    if not ctx.client_ids or not ctx.service_ids:
        return
    rng = ctx.rng
    by_need: dict[str, list[uuid.UUID]] = {}
    for sid, needs in ctx.extra.get("service_needs", {}).items():
        for need in needs:
            by_need.setdefault(need, []).append(sid)
    needs = sorted(by_need)
    # What casework's demo needs check rated for each client, their priorities first.
    rated: dict[uuid.UUID, list[str]] = {}
    nr = NeedRating.__table__
    for cid, domain in ctx.conn.execute(
            select(nr.c.client_id, nr.c.domain).where(nr.c.level > 0)
            .order_by(nr.c.client_id, nr.c.priority.desc(), nr.c.level.desc(), nr.c.domain)):
        if domain in by_need:
            rated.setdefault(cid, []).append(domain)
    rows: list[dict[str, Any]] = []
    follow: list[dict[str, Any]] = []
    for n, cid in enumerate(ctx.client_ids):
        stage = ctx.client_stage.get(cid, "active")
        if stage in ("referred", "assessed"):
            continue
        if ctx.large and n % 3:
            continue
        own = rated.get(cid) or [needs[(n * 3 + k * 5) % len(needs)] for k in range(3)]
        for k in range(min(len(own), 1 + (n % 3 if not ctx.large else 0))):
            need = own[k]
            service = rng.choice(by_need[need][:40])
            kind = KINDS[(n + k) % len(KINDS)]
            consent = kind != "information"
            sp_id = ctx.uuid()
            done = stage == "discharged" or (n + k) % 3 == 0
            outcome = OUTCOMES[(n + k) % len(OUTCOMES)] if done else ""
            if done:  # followed up a week or a few after signposting
                on = ctx.today - timedelta(days=rng.randint(20, 120))
                followed = on + timedelta(days=rng.choice([7, 10, 14, 14, 21]))
                due = None
            else:  # follow-ups spread over the coming weeks; a few due today or overdue
                on = ctx.today - timedelta(days=rng.randint(1, 21))
                due = on + timedelta(days=rng.choice([7, 10, 14, 14, 14, 21, 28]))
                followed = None
            rows.append({
                "id": sp_id, "client_id": cid, "service_id": service,
                "practitioner_id": ctx.practitioner_ids[n % len(ctx.practitioner_ids)]
                if ctx.practitioner_ids else None, "session_id": None,
                "signposted_on": on, "need": need, "kind": kind, "consent_to_share": consent,
                "shared_what": SHARED[n % 2] if consent else "",
                "shared_with": "Duty adviser at the service" if consent else "",
                "note": NOTES[(n + k) % len(NOTES)], "follow_up_on": due,
                "outcome": outcome, "outcome_on": followed,
            })
            if followed is not None:
                follow.append({"signposting_id": sp_id, "client_id": cid,
                               "followed_up_on": followed, "outcome": outcome, "note": "",
                               "next_follow_up_on": None})
    ctx.insert(_t(Signposting), rows)
    ctx.insert(_t(SignpostingFollowUp), follow)


def _t(model: type[Base]) -> Table:
    return cast(Table, model.__table__)

