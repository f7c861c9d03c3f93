"""courses: group programmes, enrolments and the sessions' course, number, topics and mode

Revision ID: 0400_courses
Revises: 0300_intake
Create Date: 2026-12-04 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import wellbeing_desktop.storage.types

revision: str = "0400_courses"
down_revision: str | None = "0300_intake"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _synced() -> list[sa.Column]:  # type: ignore[type-arg]
    utc = wellbeing_desktop.storage.types.UTCDateTime(timezone=True)
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", utc, nullable=False),
        sa.Column("updated_at", utc, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("deleted_at", utc, nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "courses",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("audience", sa.Text(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("complete_after", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("venue", sa.String(length=200), nullable=False),
        sa.Column("facilitators", sa.JSON(), nullable=False),
        sa.Column("register_names", sa.String(length=20), nullable=False),
        sa.Column("certificate", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("practitioner_id", sa.Uuid(), nullable=True),
        *_synced(),
        sa.ForeignKeyConstraint(["practitioner_id"], ["practitioners.id"],
                                name=op.f("fk_courses_practitioner_id_practitioners")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_courses")),
    )
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_courses_change_seq"), ["change_seq"], unique=False)
    op.create_table(
        "course_enrolments",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("enrolled_on", sa.Date(), nullable=False),
        *_synced(),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"],
                                name=op.f("fk_course_enrolments_client_id_clients")),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"],
                                name=op.f("fk_course_enrolments_course_id_courses")),
        sa.ForeignKeyConstraint(["referral_id"], ["referrals.id"],
                                name=op.f("fk_course_enrolments_referral_id_referrals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_enrolments")),
    )
    with op.batch_alter_table("course_enrolments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_enrolments_change_seq"), ["change_seq"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_course_enrolments_client_id"), ["client_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_course_enrolments_course_id"), ["course_id"],
                              unique=False)
    # Plain ADD COLUMNs, not a batch copy of group_sessions: with foreign keys enforced,
    # SQLite's copy-and-rename would drop the table that appointments and group_attendances
    # point at (the 0.1.0 upgrade test lost every appointment that way).
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE group_sessions ADD COLUMN course_id CHAR(32) "
                   "CONSTRAINT fk_group_sessions_course_id_courses REFERENCES courses (id)")
    else:
        op.add_column("group_sessions", sa.Column("course_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(op.f("fk_group_sessions_course_id_courses"), "group_sessions",
                              "courses", ["course_id"], ["id"])
    op.add_column("group_sessions", sa.Column("number", sa.Integer(), nullable=True))
    op.add_column("group_sessions", sa.Column("topics", sa.JSON(), server_default="[]",
                                              nullable=False))
    op.add_column("group_sessions", sa.Column("mode", sa.String(length=20),
                                              server_default="in_person", nullable=False))
    op.create_index(op.f("ix_group_sessions_course_id"), "group_sessions", ["course_id"],
                    unique=False)
    op.create_index("ix_measure_administrations_measure_taken", "measure_administrations",
                    ["measure_id", "taken_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_measure_administrations_measure_taken",
                  table_name="measure_administrations")
    op.drop_index(op.f("ix_group_sessions_course_id"), table_name="group_sessions")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("fk_group_sessions_course_id_courses"), "group_sessions",
                           type_="foreignkey")
    with op.batch_alter_table("group_sessions", schema=None) as batch_op:
        batch_op.drop_column("mode")
        batch_op.drop_column("topics")
        batch_op.drop_column("number")
        batch_op.drop_column("course_id")
    with op.batch_alter_table("course_enrolments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_enrolments_course_id"))
        batch_op.drop_index(batch_op.f("ix_course_enrolments_client_id"))
        batch_op.drop_index(batch_op.f("ix_course_enrolments_change_seq"))
    op.drop_table("course_enrolments")
    with op.batch_alter_table("courses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_courses_change_seq"))
    op.drop_table("courses")
