"""auto-renew: a Stripe Customer per user, the card saved for a line, one charge per line
and expiry date

Revision ID: f1_autorenew
Revises: e3_worker_heartbeat
Create Date: 2026-11-25 22:20:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = 'f1_autorenew'
down_revision: Union[str, Sequence[str], None] = 'e3_worker_heartbeat'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('stripecustomer',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('user_id'),
    sa.UniqueConstraint('customer_id')
    )
    op.create_table('autorenewal',
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('payment_method_id', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('brand', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('last4', sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['esimline.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('line_id')
    )
    with op.batch_alter_table('autorenewal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_autorenewal_user_id'), ['user_id'], unique=False)

    op.create_table('autorenewattempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.Column('valid_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('error_code', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['esimline.id'], ),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('line_id', 'valid_until')
    )
    with op.batch_alter_table('autorenewattempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_autorenewattempt_line_id'), ['line_id'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('autorenewattempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_autorenewattempt_line_id'))

    op.drop_table('autorenewattempt')
    with op.batch_alter_table('autorenewal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_autorenewal_user_id'))

    op.drop_table('autorenewal')
    op.drop_table('stripecustomer')
