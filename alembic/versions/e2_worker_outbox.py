"""worker and outbox: notification retries (next attempt, lease, redacted) and renewal
reminders sent once per line, expiry, step and channel; customers' reminder choices

Revision ID: e2_worker_outbox
Revises: d1_promotions_admin
Create Date: 2026-11-25 18:50:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = 'e2_worker_outbox'
down_revision: Union[str, Sequence[str], None] = 'd1_promotions_admin'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('lease_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('redacted', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_notification_status'), ['status'], unique=False)

    op.create_table('reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('valid_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('step', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('channel', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('notification_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['esimline.id'], ),
    sa.ForeignKeyConstraint(['notification_id'], ['notification.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('line_id', 'valid_until', 'step', 'channel')
    )
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_line_id'), ['line_id'], unique=False)

    op.create_table('reminderpreference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.Boolean(), nullable=False),
    sa.Column('sms', sa.Boolean(), nullable=False),
    sa.Column('before_7d', sa.Boolean(), nullable=False),
    sa.Column('before_3d', sa.Boolean(), nullable=False),
    sa.Column('before_1d', sa.Boolean(), nullable=False),
    sa.Column('lapsed', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table('reminderpreference')
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_line_id'))

    op.drop_table('reminder')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_status'))
        batch_op.drop_column('redacted')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('next_attempt_at')
