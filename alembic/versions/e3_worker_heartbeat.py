"""worker heartbeat: when each worker process last started a pass (the health check reads it)

Revision ID: e3_worker_heartbeat
Revises: e2_worker_outbox
Create Date: 2026-11-25 19:30:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = 'e3_worker_heartbeat'
down_revision: Union[str, Sequence[str], None] = 'e2_worker_outbox'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('workerheartbeat',
    sa.Column('worker', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('seen_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('worker')
    )
    with op.batch_alter_table('workerheartbeat', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workerheartbeat_seen_at'), ['seen_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('workerheartbeat', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workerheartbeat_seen_at'))

    op.drop_table('workerheartbeat')
