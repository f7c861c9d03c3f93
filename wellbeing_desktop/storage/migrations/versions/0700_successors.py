"""enrolled devices: the device a replacement computer took over from (a restored backup)

Revision ID: 0700_successors
Revises: 0600_devices
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0700_successors"
down_revision: str | None = "0600_devices"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replaces", sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_devices", schema=None) as batch_op:
        batch_op.drop_column("replaces")
