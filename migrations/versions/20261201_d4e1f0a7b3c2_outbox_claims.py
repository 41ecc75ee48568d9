"""outbox claims: a lease per message being sent, an index for the due-message query

Revision ID: d4e1f0a7b3c2
Revises: e5a1c0de0008
Create Date: 2026-12-01 15:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd4e1f0a7b3c2'
down_revision = 'e5a1c0de0008'
branch_labels = None
depends_on = None

_UNSENT = sa.text("sent_at IS NULL AND failed_at IS NULL")


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_until', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('claim_token', sa.String(length=32), nullable=True))
        batch_op.create_index('ix_outbox_messages_due', ['next_attempt_at'], unique=False,
                              postgresql_where=_UNSENT, sqlite_where=_UNSENT)


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_due')
        batch_op.drop_column('claim_token')
        batch_op.drop_column('claimed_until')
