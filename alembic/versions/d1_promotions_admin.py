"""promotions admin: promo codes and limits, redemptions, phone checks, free-month claims,
ticket answers and audit before/after

Revision ID: d1_promotions_admin
Revises: c5_payment_reversals
Create Date: 2026-11-25 17:49:11.311103

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = 'd1_promotions_admin'
down_revision: Union[str, Sequence[str], None] = 'c5_payment_reversals'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('phoneverification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('code_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('verified_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('phoneverification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phoneverification_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_phoneverification_user_id'), ['user_id'], unique=False)

    op.create_table('freemonthclaim',
    sa.Column('phone', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('claimed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('phone'),
    sa.UniqueConstraint('order_id')
    )
    with op.batch_alter_table('freemonthclaim', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_freemonthclaim_user_id'), ['user_id'], unique=False)

    op.create_table('promotionredemption',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('promotion_id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('discount_minor', sa.Integer(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['order.id'], ),
    sa.ForeignKeyConstraint(['promotion_id'], ['promotion.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('order_id')
    )
    with op.batch_alter_table('promotionredemption', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_promotionredemption_promotion_id'), ['promotion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_promotionredemption_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('auditlog', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('before', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('after', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_auditlog_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_auditlog_target'), ['target'], unique=False)

    with op.batch_alter_table('promotion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('amount_off_minor', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False, server_default='CNY'))
        batch_op.add_column(sa.Column('max_redemptions', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('per_customer_limit', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('package_codes', sqlmodel.sql.sqltypes.AutoString(length=400), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('periods', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('redemptions', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False, server_default=sa.func.current_timestamp()))

    with op.batch_alter_table('supportticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('answered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('answered_by_user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_supportticket_answered_by_user_id_user', 'user', ['answered_by_user_id'], ['id'])

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_verified_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))



def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('phone_verified_at')

    with op.batch_alter_table('supportticket', schema=None) as batch_op:
        batch_op.drop_constraint('fk_supportticket_answered_by_user_id_user', type_='foreignkey')
        batch_op.drop_column('answered_by_user_id')
        batch_op.drop_column('answered_at')
        batch_op.drop_column('answer')

    with op.batch_alter_table('promotion', schema=None) as batch_op:
        batch_op.drop_column('created_at')
        batch_op.drop_column('redemptions')
        batch_op.drop_column('periods')
        batch_op.drop_column('package_codes')
        batch_op.drop_column('per_customer_limit')
        batch_op.drop_column('max_redemptions')
        batch_op.drop_column('currency')
        batch_op.drop_column('amount_off_minor')

    with op.batch_alter_table('auditlog', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditlog_target'))
        batch_op.drop_index(batch_op.f('ix_auditlog_at'))
        batch_op.drop_column('after')
        batch_op.drop_column('before')
        batch_op.drop_column('target')

    with op.batch_alter_table('promotionredemption', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_promotionredemption_user_id'))
        batch_op.drop_index(batch_op.f('ix_promotionredemption_promotion_id'))

    op.drop_table('promotionredemption')
    with op.batch_alter_table('freemonthclaim', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_freemonthclaim_user_id'))

    op.drop_table('freemonthclaim')
    with op.batch_alter_table('phoneverification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phoneverification_user_id'))
        batch_op.drop_index(batch_op.f('ix_phoneverification_phone'))

    op.drop_table('phoneverification')
