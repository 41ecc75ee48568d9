"""robustness: failed outbox messages, idempotency keys of create forms

Revision ID: c9246086be96
Revises: c8f4b2d0e3a5
Create Date: 2026-12-01 09:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c9246086be96'
down_revision = 'c8f4b2d0e3a5'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('failed_at')
