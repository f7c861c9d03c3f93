"""hardening (issue 13): the audit chain's key state; the devices the centre has enrolled

Revision ID: 0100_hardening
Revises: 0200_feeds
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import wellbeing_desktop.storage.types

revision: str = "0100_hardening"
down_revision: str | None = "0200_feeds"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_chain",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("keyed_from_seq", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_chain")),
    )
    op.create_table(
        "sync_devices",
        sa.Column("device_id", sa.String(length=36), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("enrolled_at", wellbeing_desktop.storage.types.UTCDateTime(timezone=True),
                  nullable=False),
        sa.Column("enrolled_by", sa.String(length=120), nullable=False),
        sa.Column("revoked_at", wellbeing_desktop.storage.types.UTCDateTime(timezone=True),
                  nullable=True),
        sa.Column("revoked_reason", sa.Text(), nullable=False),
        sa.Column("audit_seq", sa.BigInteger(), nullable=False),
        sa.Column("audit_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_sync_devices")),
    )
    if op.get_bind().dialect.name == "sqlite":
        # The chain's key state is as append-only as the chain itself.
        op.execute("CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain BEGIN "
                   "SELECT RAISE(ABORT, 'the audit chain key is fixed'); END")
        op.execute("CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain BEGIN "
                   "SELECT RAISE(ABORT, 'the audit chain key is fixed'); END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_chain_no_delete")
        op.execute("DROP TRIGGER IF EXISTS audit_chain_no_update")
    op.drop_table("sync_devices")
    op.drop_table("audit_chain")
