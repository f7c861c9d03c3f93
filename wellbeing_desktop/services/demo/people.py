"""Demo practitioners, clients and referrals (Core inserts: 50,000 clients in seconds)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, text

from wellbeing_desktop.domain import coded
from wellbeing_desktop.domain.text import search_name
from wellbeing_desktop.services.demo import names
from wellbeing_desktop.services.demo.context import DemoContext
from wellbeing_desktop.storage.models import Client, Practitioner, Referral

# Where each demo client is on the pathway; later generators add what each stage implies.
STAGES = ["referred", "assessed", "active", "active", "active", "reviewing", "discharged"]
CHUNK = 5_000
RECEIVED_DAYS_AGO = {"referred": (2, 30), "assessed": (22, 45), "active": (45, 110),
                     "reviewing": (100, 150), "discharged": (120, 300)}

def nhs_number(rng_value: int) -> str:
    """A Modulus 11 valid NHS number in the 999 range reserved for testing (never a real one)."""
    while True:
        body = f"999{rng_value % 1_000_000:06d}"
        total = sum(int(d) * (10 - i) for i, d in enumerate(body))
        check = 11 - total % 11
        if check == 11:
            check = 0
        if check != 10:
            return body + str(check)
        rng_value += 1

def generate_practitioners(ctx: DemoContext) -> None:
    """The demo team; people already on this device (e.g. from first-run set-up) are reused."""
    existing = {
        name: pid
        for pid, name in ctx.conn.execute(
            select(Practitioner.id, Practitioner.display_name).where(
                Practitioner.deleted_at.is_(None))
        ).all()
    }
    rows: list[dict[str, Any]] = []
    for name, title, role in names.PRACTITIONERS:
        if name in existing:
            ctx.practitioner_ids.append(existing[name])
            continue
        pid = ctx.uuid()
        ctx.practitioner_ids.append(pid)
        first = name.split()[0].lower()
        rows.append({
            "id": pid, "display_name": name, "role": role, "job_title": title,
            "phone": f"01632 960 1{len(ctx.practitioner_ids):02d}",
            "email": f"{first}@kingsmere-wellbeing.example", "active": True,
        })
    ctx.insert(Practitioner.__table__, rows)  # type: ignore[arg-type]

def _client_row(ctx: DemoContext, index: int) -> dict[str, Any]:
    rng = ctx.rng
    given = rng.choice(names.GIVEN)
    family = rng.choice(names.FAMILY)
    preferred = names.NICKNAMES.get(given, "") if rng.random() < 0.3 else ""
    dob = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
    district = rng.choice(names.DISTRICTS)
    postcode = f"{district} {rng.randrange(1, 10)}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}" \
               f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}"
    lang, interp = ("en", False)
    fmt = "standard"
    roll = rng.random()
    if roll < 0.18:
        lang, interp = rng.choice(names.LANGUAGES)
    elif roll < 0.24:
        fmt = rng.choice(["large_print", "easy_read", "audio", "bsl"])
    return {
        "given_name": given,
        "family_name": family,
        "preferred_name": preferred,
        "pronouns": rng.choice(names.PRONOUNS),
        "date_of_birth": dob,
        "nhs_number": nhs_number(rng.randrange(0, 1_000_000)) if rng.random() < 0.85 else None,
        "address": f"{rng.randrange(1, 180)} {rng.choice(names.STREETS)}\n{names.TOWN}",
        "postcode": postcode,
        "phone": f"07700 900{rng.randrange(0, 1000):03d}",
        "email": "" if rng.random() < 0.4 else f"{given.lower()}.{index}@example.org",
        "contact_preferences": rng.choice([
            "Phone after 5pm", "Text first, then phone", "Any time", "Email only",
            "Not on Mondays"]),
        "gp_practice": rng.choice(names.GP_PRACTICES),
        "consent_contact": True,
        "consent_share_services": rng.random() < 0.8,
        "consent_central_records": rng.random() < 0.9,
        "language": lang,
        "interpreter_needed": interp,
        "document_format": fmt,
        "communication_notes": "Prefers an interpreter in person." if interp else "",
        "search_name": search_name(given, family, preferred),
        "practitioner_id": rng.choice(ctx.practitioner_ids[1:] or ctx.practitioner_ids),
        **_coded(index),
    }


def _coded(index: int) -> dict[str, str]:
    """Optional coded answers: most asked, some declined, some not asked. A generator of its
    own (seeded by the index) keeps the rest of the demo set as it was."""
    rng = random.Random(index * 7919 + 17)
    out = {}
    for name in ("gender_identity", "ethnic_category", "employment_status",
                 "accommodation_status", "carer_status", "disability"):
        roll = rng.random()
        cl = coded.code_list(name)
        if roll < 0.15:
            out[name] = ""
        elif roll < 0.2:
            out[name] = cl.declined
        else:
            out[name] = rng.choice([c for c, _ in cl.codes if c != cl.declined])
    return out

def generate_clients(ctx: DemoContext) -> None:
    if not ctx.large:
        return _generate_clients(ctx)
    # At benchmark scale the name index is filled once at the end rather than by the insert
    # trigger row by row (about a second less for 50,000); the trigger is put back as it was.
    from wellbeing_desktop.storage.models.clients import EXTRA_DDL

    create = next(up for up, _down in EXTRA_DDL if "clients_fts_ai" in up)
    before = ctx.conn.execute(text("SELECT coalesce(max(key), 0) FROM clients_fts_keys")
                              ).scalar_one()
    ctx.conn.execute(text("DROP TRIGGER IF EXISTS clients_fts_ai"))
    _generate_clients(ctx)
    ctx.conn.execute(text("INSERT OR IGNORE INTO clients_fts_keys(client_id) "
                          "SELECT id FROM clients"))
    ctx.conn.execute(text(
        "INSERT INTO clients_fts(rowid, names, client_id) SELECT k.key, c.search_name, c.id "
        "FROM clients_fts_keys k JOIN clients c ON c.id = k.client_id "
        "WHERE k.key > :before AND c.deleted_at IS NULL"), {"before": before})
    ctx.conn.execute(text(create))

def _generate_clients(ctx: DemoContext) -> None:
    rng = ctx.rng
    for start in range(0, ctx.clients, CHUNK):
        clients, referrals = [], []
        for i in range(start, min(start + CHUNK, ctx.clients)):
            row = _client_row(ctx, i)
            stage = STAGES[i % len(STAGES)] if not ctx.large else rng.choice(STAGES)
            cid = ctx.uuid()
            row.update(id=cid, status=stage)
            clients.append(row)
            ctx.client_ids.append(cid)
            ctx.client_stage[cid] = stage
            # How long ago the referral came follows the stage: people waiting were referred
            # days or weeks ago, people in sessions a couple of months ago, and so on.
            low, high = RECEIVED_DAYS_AGO[stage]
            received = ctx.today - timedelta(days=rng.randrange(low, high))
            first = received + timedelta(days=rng.randrange(2, 12))
            assessed = first + timedelta(days=rng.randrange(0, 8))
            rid = ctx.uuid()
            ctx.referral_ids[cid] = rid
            referrals.append({
                "id": rid,
                "client_id": cid,
                "received_on": received,
                "source": rng.choice(names.REFERRAL_SOURCES),
                "referrer": rng.choice(["Dr A. Shah", "Step 2 team", "Self", "Citizens Advice",
                                        "Kingsmere Food Bank", "Dr P. Evans"]),
                "reason": rng.choice(names.REFERRAL_REASONS),
                "status": {"referred": "received"}.get(stage, stage),
                "first_contact_on": None if stage == "referred" else first,
                "assessed_on": None if stage == "referred" else assessed,
                "discharged_on": (
                    min(assessed + timedelta(days=70), ctx.today - timedelta(days=1))
                    if stage == "discharged" else None
                ),
                "practitioner_id": row["practitioner_id"],
                "sessions_offered": 6,
            })
        ctx.insert(Client.__table__, clients)  # type: ignore[arg-type]
        ctx.insert(Referral.__table__, referrals)  # type: ignore[arg-type]
