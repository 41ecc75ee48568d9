"""signature hand-over: a successor named for an approved signature, waiting to confirm

Who the successor is and the nonce of their link while the hand-over waits, and since when
the signatory named by a hand-over represents the organisation. Nullable columns only: SQLite
adds them without rebuilding the table.

Revision ID: c4d6e8f0a2b4
Revises: c7d2e4f6a8b1
Create Date: 2026-12-01 21:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4d6e8f0a2b4'
down_revision = 'c7d2e4f6a8b1'
branch_labels = None
depends_on = None

COLUMNS = (('successor_name', sa.String(length=120)), ('successor_function', sa.String(length=120)),
           ('successor_email', sa.String(length=254)), ('successor_nonce', sa.String(length=32)),
           ('successor_sent_at', sa.DateTime()), ('representative_since', sa.DateTime()))


def upgrade():
    for name, type_ in COLUMNS:
        op.add_column('signatures', sa.Column(name, type_, nullable=True))


def downgrade():
    with op.batch_alter_table('signatures', schema=None) as batch_op:
        for name, _type in reversed(COLUMNS):
            batch_op.drop_column(name)
