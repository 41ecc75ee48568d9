"""certificate render claims: the run rendering an attestation « en cours » holds it

Revision ID: f3c8b2a91d04
Revises: a7c2e9d4b1f0
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f3c8b2a91d04'
down_revision = 'a7c2e9d4b1f0'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('render_claimed_until', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('render_claimed_until')
