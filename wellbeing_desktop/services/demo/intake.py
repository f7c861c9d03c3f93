"""Demo intake: the waiting list's history (contact attempts, opt-in letters with reply-by
dates) for the people still waiting, and a referrer's spreadsheet to import (`wellbeing
referrals sample`), shaped like the ones referrers send: a title row, capitals, dates typed
several ways, NHS numbers with spaces, one Excel serial date."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from wellbeing_desktop.services.demo import names
from wellbeing_desktop.services.demo.context import DemoContext
from wellbeing_desktop.storage.models import Client, Referral
from wellbeing_desktop.storage.models.intake import ContactAttempt

OPT_IN_DAYS = 14


def generate(ctx: DemoContext) -> None:
    # Its own random stream: adding intake history does not change the other areas' data.
    rng = random.Random(ctx.today.toordinal() * 31 + len(ctx.client_ids))
    waiting = ctx.conn.execute(
        select(Referral.id, Referral.client_id, Referral.received_on, Client.practitioner_id)
        .join(Client, Client.id == Referral.client_id)
        .where(Referral.status == "received", Referral.deleted_at.is_(None))
        .order_by(Referral.received_on)).all()
    attempts = []
    for index, (rid, cid, received, who) in enumerate(waiting):
        if ctx.large and index % 50:
            continue
        span = max((ctx.today - received).days, 1)
        tries = [0, 1, 2, 2][index % 4]
        days = sorted(rng.sample(range(span), min(tries, span)))
        outcomes = ["no_answer", "left_message"]
        for n, offset in enumerate(days):
            attempts.append({"client_id": cid, "referral_id": rid,
                             "attempted_on": received + timedelta(days=offset),
                             "method": "phone", "outcome": outcomes[n % 2],
                             "note": rng.choice(["Mobile, no voicemail", "Rang twice",
                                                 "Voicemail: asked them to ring back", ""]),
                             "practitioner_id": who})
        if index % 4 == 3 and days:
            sent = received + timedelta(days=days[-1] + 1)
            ctx.conn.execute(update(Referral).where(Referral.id == rid)
                             .values(opt_in_by=min(sent, ctx.today) + timedelta(
                                 days=OPT_IN_DAYS)))
    ctx.insert(ContactAttempt.__table__, attempts)  # type: ignore[arg-type]


# the sample spreadsheet -------------------------------------------------------------------

HEADINGS = ["Surname", "Forename", "D.O.B.", "NHS No.", "Address", "Post Code", "Tel",
            "GP Surgery", "Referral Date", "Referred by", "Reason for referral",
            "Interpreter?", "Language"]


def _nhs(rng: random.Random, used: set[str]) -> str:
    """A valid number in the 999 range reserved for testing (never a real person's), typed
    with spaces as referrers do; never one already in this sheet."""
    from wellbeing_desktop.services.demo.people import nhs_number

    while True:
        number = nhs_number(rng.randrange(500_000, 1_000_000))
        if number not in used:
            used.add(number)
            return f"{number[:3]} {number[3:6]} {number[6:]}"


def sample_rows(today: date, count: int = 8, seed: int = 1) -> list[list[object]]:
    rng = random.Random(seed)
    rows: list[list[object]] = []
    used: set[str] = set()
    formats = ["%d/%m/%Y", "%d-%m-%y", "%Y-%m-%d", "%d %b %Y"]
    for i in range(count):
        given, family = rng.choice(names.GIVEN), rng.choice(names.FAMILY)
        born = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 55))
        received = today - timedelta(days=rng.randrange(0, 6))
        lang, interp = ("English", "No") if rng.random() > 0.25 else rng.choice(
            [("Polish", "Yes"), ("Romanian", "No"), ("Bengali", "Yes"), ("Turkish", "Yes")])
        rows.append([
            family.upper() if i % 3 == 0 else family, given, born.strftime(formats[i % 4]),
            _nhs(rng, used), f"{rng.randrange(1, 180)} {rng.choice(names.STREETS)}, {names.TOWN}",
            f"{rng.choice(names.DISTRICTS)} {rng.randrange(1, 10)}"
            f"{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}{rng.choice('ABDEFGHJLNPQRSTUWXYZ')}",
            f"07700 900{rng.randrange(0, 1000):03d}", rng.choice(names.GP_PRACTICES),
            received.strftime("%d/%m/%Y"), rng.choice(["Dr A. Shah", "Dr P. Evans"]),
            rng.choice(names.REFERRAL_REASONS), interp, lang])
    return rows


def write_sample(path: Path, today: date, count: int = 8, seed: int = 1) -> int:
    """A referrer's spreadsheet for trying the import: CSV or XLSX by the file's suffix."""
    rows = sample_rows(today, count, seed)
    title = f"Referrals to Health and Wellbeing from Riverside PCN, {today:%B %Y}"
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = "Referrals"
        sheet.append([title])
        sheet.append([])
        sheet.append(HEADINGS)
        for row in rows:
            sheet.append(row)
        # One date as Excel keeps it when the column is formatted as a number.
        if rows:
            born = rows[0][2]
            sheet.cell(row=4, column=3, value=(_parse(str(born)) - date(1899, 12, 30)).days)
        book.save(path)
        return len(rows)
    out = io.StringIO()
    out.write(title + "\r\n\r\n")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADINGS)
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode("utf-8-sig"))
    return len(rows)


def _parse(text: str) -> date:
    for fmt in ("%d/%m/%Y", "%d-%m-%y", "%Y-%m-%d", "%d %b %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)
