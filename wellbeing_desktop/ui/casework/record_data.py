"""Everything the client record shows, loaded in one worker call (plain data only)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from wellbeing_desktop.services import (
    clients,
    discharge,
    goals,
    groups,
    needs,
    referrals,
    risk,
    sessions,
)
from wellbeing_desktop.services.app import AppContext
from wellbeing_desktop.services.referrals import SuitabilitySummary


@dataclass(frozen=True)
class RecordData:
    client: clients.ClientDetail
    referrals: list[referrals.ReferralSummary]
    suitability: SuitabilitySummary | None
    needs: needs.NeedsAssessmentSummary | None
    appointments: list[sessions.AppointmentSummary]
    groups: list[groups.ClientAttendance]
    goals: list[goals.GoalSummary]
    discharge: discharge.DischargeSummary | None
    concerns: list[risk.RiskConcernSummary]


def load(ctx: AppContext, client_id: uuid.UUID, *, audit_view: bool = False) -> RecordData:
    detail = (clients.view_client if audit_view else clients.get_client)(ctx, client_id)
    return RecordData(
        detail, referrals.list_for_client(ctx, client_id),
        referrals.latest_suitability(ctx, client_id), needs.latest_assessment(ctx, client_id),
        sessions.list_for_client(ctx, client_id), groups.attendance_for_client(ctx, client_id),
        goals.list_for_client(ctx, client_id), discharge.get_for_client(ctx, client_id),
        risk.open_concerns(ctx, client_id))
