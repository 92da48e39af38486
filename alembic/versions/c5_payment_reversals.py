"""payment reversals: refunds, disputes and surplus payments, once each

Revision ID: c5_payment_reversals
Revises: c1_accounts_throttle
Create Date: 2026-11-25 17:45:00.000000

"""

from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

# revision identifiers, used by Alembic.
revision: str = "c5_payment_reversals"
down_revision: Union[str, Sequence[str], None] = "c1_accounts_throttle"
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "paymentreversal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=96), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("payment_intent_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("currency", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column("applied", sa.Boolean(), nullable=False),
        sa.Column("taken_back_seconds", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["order.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("paymentreversal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_paymentreversal_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_paymentreversal_payment_intent_id"), ["payment_intent_id"], unique=False
        )


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("paymentreversal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_paymentreversal_payment_intent_id"))
        batch_op.drop_index(batch_op.f("ix_paymentreversal_order_id"))
    op.drop_table("paymentreversal")
