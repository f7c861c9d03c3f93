"""Courses (group programmes): a course with its planned sessions (`GroupSession` rows with a
`course_id` and a number) and who is enrolled or waiting. The register of each session stays
`GroupAttendance`; taking it also writes the client's care contact (`Appointment`, mode
"group", `group_session_id` set), so every count of contacts sees group attendance."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from wellbeing_desktop.storage.models.base import Base, SyncedMixin


class Course(SyncedMixin, Base):
    __tablename__ = "courses"

    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[str] = mapped_column(Text, default="")  # who it is for
    capacity: Mapped[int] = mapped_column(Integer, default=12)
    # Finished = attended (on time, late or leaving early) at least this many sessions.
    complete_after: Mapped[int] = mapped_column(Integer, default=4)
    mode: Mapped[str] = mapped_column(String(20), default="in_person")  # or "video"
    venue: Mapped[str] = mapped_column(String(200), default="")
    facilitators: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Names on the printed register: "first_initial" (Ada T.) by default, or "full".
    register_names: Mapped[str] = mapped_column(String(20), default="first_initial")
    certificate: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    notes: Mapped[str] = mapped_column(Text, default="")
    practitioner_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("practitioners.id"), default=None)


class CourseEnrolment(SyncedMixin, Base):
    """A place on a course ("enrolled") or on its waiting list ("waiting", in order of
    `created_at`); "withdrawn" keeps the history."""

    __tablename__ = "course_enrolments"

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"), index=True)
    course_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("courses.id"), index=True)
    referral_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("referrals.id"), default=None)
    status: Mapped[str] = mapped_column(String(20), default="enrolled")
    enrolled_on: Mapped[date] = mapped_column(Date)
