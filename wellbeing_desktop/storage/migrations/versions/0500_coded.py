"""coded person-level data on clients; unmet needs (gaps in provision)

Revision ID: 0500_coded
Revises: 0100_hardening
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import wellbeing_desktop.storage.types

revision: str = "0500_coded"
down_revision: str | None = "0100_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (column, length): all optional text codes, "" = not asked, so existing rows stay valid.
CLIENT_COLUMNS = (
    ("gender_identity", 8), ("sex_at_birth", 12), ("ethnic_category", 4),
    ("employment_status", 4), ("accommodation_status", 12), ("disability", 60),
    ("carer_status", 12), ("long_term_conditions", 120), ("ais_needs", 300),
)


def upgrade() -> None:
    with op.batch_alter_table("clients", schema=None) as batch_op:
        for name, length in CLIENT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), server_default="",
                                          nullable=False))
    op.create_table(
        "unmet_needs",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("practitioner_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("need", sa.String(length=40), nullable=False),
        sa.Column("area", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", wellbeing_desktop.storage.types.UTCDateTime(timezone=True),
                  nullable=False),
        sa.Column("updated_at", wellbeing_desktop.storage.types.UTCDateTime(timezone=True),
                  nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("origin_device", sa.String(length=36), nullable=False),
        sa.Column("change_seq", sa.BigInteger(), nullable=False),
        sa.Column("deleted_at", wellbeing_desktop.storage.types.UTCDateTime(timezone=True),
                  nullable=True),
        sa.ForeignKeyConstraint(["client_id"], ["clients.id"],
                                name=op.f("fk_unmet_needs_client_id_clients")),
        sa.ForeignKeyConstraint(["practitioner_id"], ["practitioners.id"],
                                name=op.f("fk_unmet_needs_practitioner_id_practitioners")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unmet_needs")),
    )
    with op.batch_alter_table("unmet_needs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unmet_needs_change_seq"), ["change_seq"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_unmet_needs_client_id"), ["client_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_unmet_needs_recorded_on"), ["recorded_on"],
                              unique=False)


def downgrade() -> None:
    op.drop_table("unmet_needs")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        for name, _ in reversed(CLIENT_COLUMNS):
            batch_op.drop_column(name)
