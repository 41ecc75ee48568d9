"""account erasure: when a member's account was erased on request (its personal part)

Revision ID: a7c2e9f4b1d6
Revises: f3c8b2a91d04
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7c2e9f4b1d6'
down_revision = 'f3c8b2a91d04'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
