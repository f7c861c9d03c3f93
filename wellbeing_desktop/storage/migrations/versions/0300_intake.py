"""intake: contact attempts, contact preferences, opt-in reply-by date

Revision ID: 0300_intake
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import wellbeing_desktop.storage.types

revision: str = "0300_intake"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contact_attempts",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("referral_id", sa.Uuid(), nullable=True),
        sa.Column("attempted_on", sa.Date(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("practitioner_id", sa.Uuid(), nullable=True),
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
                                name=op.f("fk_contact_attempts_client_id_clients")),
        sa.ForeignKeyConstraint(["referral_id"], ["referrals.id"],
                                name=op.f("fk_contact_attempts_referral_id_referrals")),
        sa.ForeignKeyConstraint(["practitioner_id"], ["practitioners.id"],
                                name=op.f("fk_contact_attempts_practitioner_id_practitioners")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_attempts")),
    )
    with op.batch_alter_table("contact_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_attempts_change_seq"), ["change_seq"],
                              unique=False)
        batch_op.create_index("ix_contact_attempts_client_on", ["client_id", "attempted_on"],
                              unique=False)
    # Old rows: post and messages allowed, as the app assumed before it asked. Plain ADD
    # COLUMN (SQLite and PostgreSQL both have it): a batch "move and copy" of `clients` would
    # drop its search triggers and, with foreign keys on, the rows that point at it.
    op.add_column("clients", sa.Column("post_allowed", sa.Boolean(), nullable=False,
                                       server_default=sa.true()))
    op.add_column("clients", sa.Column("message_allowed", sa.Boolean(), nullable=False,
                                       server_default=sa.true()))
    op.add_column("referrals", sa.Column("opt_in_by", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_column("opt_in_by")
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("message_allowed")
        batch_op.drop_column("post_allowed")
    with op.batch_alter_table("contact_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_attempts_client_on")
        batch_op.drop_index(batch_op.f("ix_contact_attempts_change_seq"))
    op.drop_table("contact_attempts")
