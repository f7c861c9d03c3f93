"""Intake figures for Reports: contact attempts, opt-in rates and the did-not-attend rate for
the same period and scope as the team report (waits to first contact and to assessment are
in the team report already). Figures only: nobody is named."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, func, select

from wellbeing_desktop.services import permissions
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.reports import period_span
from wellbeing_desktop.storage.models import Referral
from wellbeing_desktop.storage.models.casework import Appointment
from wellbeing_desktop.storage.models.intake import ContactAttempt


@dataclass(frozen=True)
class IntakeFigures:
    referrals: int
    attempts: int                 # contact attempts recorded for those referrals
    reached: int                  # referrals with a first contact
    opt_in_sent: int              # referrals sent an opt-in letter
    opted_in: int                 # … of which made contact afterwards
    closed_no_reply: int          # … of which were closed without assessment
    attended: int
    did_not_attend: int

    @property
    def opt_in_rate(self) -> float | None:
        return self.opted_in / self.opt_in_sent if self.opt_in_sent else None

    @property
    def dna_rate(self) -> float | None:
        held = self.attended + self.did_not_attend
        return self.did_not_attend / held if held else None

    @property
    def attempts_per_referral(self) -> float | None:
        return self.attempts / self.referrals if self.referrals else None


def intake_figures(ctx: AppContext, period: str = "365d", *,
                   today: date | None = None, since: date | None = None,
                   until: date | None = None) -> IntakeFigures:
    permissions.require(ctx.actor, "reports.view")
    # The same periods as the team figures (any dates and calendar periods too).
    _label, since, until = period_span(period, today or date.today(), since, until)
    team = permissions.allowed(ctx.actor, "reports.view_all") or ctx.actor.id is None
    ref = Referral.__table__
    where: list[ColumnElement[bool]] = [ref.c.deleted_at.is_(None), ref.c.received_on <= until]
    if since is not None:
        where.append(ref.c.received_on >= since)
    if not team:
        where.append(ref.c.practitioner_id == ctx.actor.id)
    ap = Appointment.__table__
    held: list[ColumnElement[bool]] = [
        ap.c.deleted_at.is_(None),
        ap.c.starts_at < datetime.combine(until + timedelta(days=1), time.min)]
    if since is not None:
        held.append(ap.c.starts_at >= datetime.combine(since, time.min))
    if not team:
        held.append(ap.c.practitioner_id == ctx.actor.id)
    with ctx.store.read() as s:
        referrals, reached = s.execute(select(
            func.count(), func.count(ref.c.first_contact_on)).where(*where)).one()
        sent, opted, closed = s.execute(select(
            func.count(),
            func.count(ref.c.first_contact_on),
            func.count().filter(ref.c.status == "closed")).where(
                *where, ref.c.opt_in_by.is_not(None))).one()
        attempts = s.execute(select(func.count()).select_from(ContactAttempt).join(
            Referral, Referral.id == ContactAttempt.referral_id).where(
                *where, ContactAttempt.deleted_at.is_(None))).scalar_one()
        outcomes: dict[str, int] = dict(s.execute(select(ap.c.outcome, func.count()).where(
            *held, ap.c.outcome.in_(("attended", "did_not_attend")))
            .group_by(ap.c.outcome)).all())
    return IntakeFigures(int(referrals), int(attempts), int(reached), int(sent), int(opted),
                         int(closed), int(outcomes.get("attended", 0)),
                         int(outcomes.get("did_not_attend", 0)))
