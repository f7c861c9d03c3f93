"""enrolled devices: when the held audit head was made (to tell a late bundle from a cut chain)

Revision ID: 0600_devices
Revises: 0500_coded
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import wellbeing_desktop.storage.types

revision: str = "0600_devices"
down_revision: str | None = "0500_coded"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("sync_devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audit_at", wellbeing_desktop.storage.types.UTCDateTime(),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sync_devices", schema=None) as batch_op:
        batch_op.drop_column("audit_at")
