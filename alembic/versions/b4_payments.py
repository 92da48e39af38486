"""payments: the validity an order bought, fixed at fulfilment for its receipt

Revision ID: b4_payments
Revises: 7d715a94064a
Create Date: 2026-11-25 13:31:11.656812

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = 'b4_payments'
down_revision: Union[str, Sequence[str], None] = '7d715a94064a'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.drop_column('valid_until')
