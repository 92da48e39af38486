"""accounts: sliding-window throttle events replace the never-decaying login counters

Revision ID: c1_accounts_throttle
Revises: b4_payments
Create Date: 2026-11-25 17:45:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = 'c1_accounts_throttle'
down_revision: Union[str, Sequence[str], None] = 'b4_payments'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('throttleevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('account', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('address', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_throttleevent_account', 'throttleevent', ['kind', 'account', 'at'], unique=False)
    op.create_index('ix_throttleevent_address', 'throttleevent', ['kind', 'address', 'at'], unique=False)
    # The old counters never decayed; starting from none is what the new policy would reach.
    op.drop_table('loginthrottle')


def downgrade() -> None:
    """Downgrade schema."""
    op.create_table('loginthrottle',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.drop_index('ix_throttleevent_address', table_name='throttleevent')
    op.drop_index('ix_throttleevent_account', table_name='throttleevent')
    op.drop_table('throttleevent')
