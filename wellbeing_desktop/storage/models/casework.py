"""Casework records: needs check, suitability, risk, sessions, groups, goals, discharge, drafts.

Every table that belongs to a client carries `client_id` (sync applies consent by it; a merge
moves every such row). Lists of codes (topics covered, expectations discussed) are JSON arrays.
Appointment and group times are the service's local wall-clock time (naive), because that is
what a diary means by "Tuesday at 10:00"; audit and sync times stay UTC.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing_desktop.storage.models.base import Base, SyncedMixin
from wellbeing_desktop.storage.types import UTCDateTime, utcnow


def _practitioner() -> Mapped[uuid.UUID | None]:
    return mapped_column(Uuid, ForeignKey("practitioners.id"), default=None)


def _client() -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, ForeignKey("clients.id"), index=True)


def _referral() -> Mapped[uuid.UUID | None]:
    return mapped_column(Uuid, ForeignKey("referrals.id"), default=None, index=True)


class NeedsAssessment(SyncedMixin, Base):
    """One holistic needs check (a rating per needs domain hangs off it)."""

    __tablename__ = "needs_assessments"

    client_id: Mapped[uuid.UUID] = _client()
    referral_id: Mapped[uuid.UUID | None] = _referral()
    assessed_on: Mapped[date] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    practitioner_id: Mapped[uuid.UUID | None] = _practitioner()


class NeedRating(SyncedMixin, Base):
    """Level of need in one domain (domain.needs codes) and the person's own priority."""

    __tablename__ = "need_ratings"

    client_id: Mapped[uuid.UUID] = _client()
    assessment_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("needs_assessments.id"), index=True
    )
    domain: Mapped[str] = mapped_column(String(40), index=True)
    level: Mapped[int] = mapped_column(Integer, default=0)  # 0 none, 1 some, 2 high
    priority: Mapped[int] = mapped_column(Integer, default=0)  # 0 not now, 1 later, 2 now
    notes: Mapped[str] = mapped_column(Text, default="")


class SuitabilityDecision(SyncedMixin, Base):
    __tablename__ = "suitability_decisions"

    client_id: Mapped[uuid.UUID] = _client()
    referral_id: Mapped[uuid.UUID | None] = _referral()
    decided_on: Mapped[date] = mapped_column(Date)
    # suitable | suitable_adjusted | signposted | not_suitable
    decision: Mapped[str] = mapped_column(String(30))
    reasons: Mapped[str] = mapped_column(Text, default="")
    adjustments: Mapped[str] = mapped_column(Text, default="")
    # Codes of the expectations the practitioner confirms were discussed.
    expectations: Mapped[list[str]] = mapped_column(JSON, default=list)
    preferred_mode: Mapped[str] = mapped_column(String(20), default="")
    practitioner_id: Mapped[uuid.UUID | None] = _practitioner()


class RiskConcern(SyncedMixin, Base):
    """A risk concern shown as a banner on the record until resolved."""

    __tablename__ = "risk_concerns"

    client_id: Mapped[uuid.UUID] = _client()
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(40))  # "practitioner", "measure:PHQ-9", …
    detail: Mapped[str] = mapped_column(Text, default="")
    action_taken: Mapped[str] = mapped_column(Text, default="")
    crisis_contacts_shown: Mapped[str] = mapped_column(Text, default="")
    raised_by: Mapped[uuid.UUID | None] = _practitioner()
    acknowledged_by: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("practitioners.id"), default=None
    )
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    resolution: Mapped[str] = mapped_column(Text, default="")


class GroupSession(SyncedMixin, Base):
    """A group session (topic, venue, time); its register is `GroupAttendance`."""

    __tablename__ = "group_sessions"

    topic: Mapped[str] = mapped_column(String(200))
    venue: Mapped[str] = mapped_column(String(200), default="")
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    minutes: Mapped[int] = mapped_column(Integer, default=90)
    capacity: Mapped[int] = mapped_column(Integer, default=12)
    notes: Mapped[str] = mapped_column(Text, default="")
    practitioner_id: Mapped[uuid.UUID | None] = _practitioner()
    # Schema 0400: a session of a course (its number in the course), its topics (codes from
    # the topics library, in order) and how it is delivered. Stand-alone sessions keep NULL.
    course_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("courses.id"), default=None, index=True)
    number: Mapped[int | None] = mapped_column(Integer, default=None)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    mode: Mapped[str] = mapped_column(String(20), default="in_person",
                                      server_default="in_person")


class GroupAttendance(SyncedMixin, Base):
    __tablename__ = "group_attendances"

    client_id: Mapped[uuid.UUID] = _client()
    group_session_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("group_sessions.id"), index=True
    )
    # booked | attended | did_not_attend | cancelled
    attendance: Mapped[str] = mapped_column(String(20), default="booked")
    notes: Mapped[str] = mapped_column(Text, default="")


class Appointment(SyncedMixin, Base):
    """A one-to-one contact (or a client's place in a group), and what happened in it."""

    __tablename__ = "appointments"
    # Today: appointments and did-not-attends by outcome and time; a client's last contact
    # and next booking by (client, outcome, time).
    __table_args__ = (
        Index("ix_appointments_outcome_starts", "outcome", "starts_at"),
        Index("ix_appointments_client_outcome_starts", "client_id", "outcome", "starts_at"),
    )

    client_id: Mapped[uuid.UUID] = _client()
    referral_id: Mapped[uuid.UUID | None] = _referral()
    starts_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    minutes: Mapped[int] = mapped_column(Integer, default=45)
    mode: Mapped[str] = mapped_column(String(20), default="in_person")
    venue: Mapped[str] = mapped_column(String(200), default="")
    # booked | attended | did_not_attend | cancelled_client | cancelled_service | rescheduled
    outcome: Mapped[str] = mapped_column(String(20), default="booked")
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    advice: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    practitioner_id: Mapped[uuid.UUID | None] = _practitioner()
    group_session_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("group_sessions.id"), default=None
    )


class Goal(SyncedMixin, Base):
    """A SMART goal the person set; reviewed with `GoalReview` (0–10 progress)."""

    __tablename__ = "goals"
    # Today's "reviews due": active goals in due order, straight from the index.
    __table_args__ = (Index("ix_goals_status_review_due", "status", "review_due_on"),)

    client_id: Mapped[uuid.UUID] = _client()
    referral_id: Mapped[uuid.UUID | None] = _referral()
    what: Mapped[str] = mapped_column(Text)
    why: Mapped[str] = mapped_column(Text, default="")
    steps: Mapped[str] = mapped_column(Text, default="")
    measure_of_success: Mapped[str] = mapped_column(Text, default="")
    by_when: Mapped[date | None] = mapped_column(Date, default=None)
    domain: Mapped[str] = mapped_column(String(40), default="")
    # active | achieved | partly_achieved | stopped
    status: Mapped[str] = mapped_column(String(20), default="active")
    set_on: Mapped[date] = mapped_column(Date)
    practitioner_id: Mapped[uuid.UUID | None] = _practitioner()
    # domain.goals.review_due of set_on, the last review and by_when (kept by services.goals).
    review_due_on: Mapped[date | None] = mapped_column(Date, default=None)


class GoalReview(SyncedMixin, Base):
    __tablename__ = "goal_reviews"
    # A goal's last review is one step down this index.
    __table_args__ = (Index("ix_goal_reviews_goal_reviewed", "goal_id", "reviewed_on"),)

    client_id: Mapped[uuid.UUID] = _client()
    goal_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("goals.id"))
    reviewed_on: Mapped[date] = mapped_column(Date)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")


class Discharge(SyncedMixin, Base):
    """Moving forward: why the episode ended and the continued-care plan."""

    __tablename__ = "discharges"
    # Check-ins due: open follow-ups (done IS NULL) in date order.
    __table_args__ = (Index("ix_discharges_follow_up", "follow_up_done_on", "follow_up_on"),)

    client_id: Mapped[uuid.UUID] = _client()
    referral_id: Mapped[uuid.UUID | None] = _referral()
    discharged_on: Mapped[date] = mapped_column(Date)
    # completed | goals_met | client_choice | not_engaged | moved_on | stepped_up | other
    reason: Mapped[str] = mapped_column(String(30))
    reason_detail: Mapped[str] = mapped_column(Text, default="")
    what_next: Mapped[str] = mapped_column(Text, default="")
    who_to_contact: Mapped[str] = mapped_column(Text, default="")
    how_to_come_back: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None] = mapped_column(Date, default=None)
    follow_up_done_on: Mapped[date | None] = mapped_column(Date, default=None)
    practitioner_id: Mapped[uuid.UUID | None] = _practitioner()


class NoteDraft(Base):
    """An autosaved, unsaved note. Device-local (never synchronised); deleted when saved.

    `key` names what the draft belongs to, e.g. "appointment:<id>" or "appointment:new".
    """

    __tablename__ = "note_drafts"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    client_id: Mapped[uuid.UUID] = _client()
    key: Mapped[str] = mapped_column(String(80))
    practitioner_id: Mapped[uuid.UUID | None] = _practitioner()
    text: Mapped[str] = mapped_column(Text, default="")
    # Other fields of the form, so the whole of what was typed comes back.
    fields: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
