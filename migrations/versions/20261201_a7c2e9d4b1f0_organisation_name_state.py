"""organisation name state: a counter the moderation queue keys its near-name check by

Revision ID: a7c2e9d4b1f0
Revises: d4e1a7c3b5f2
Create Date: 2026-12-01 18:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'a7c2e9d4b1f0'
down_revision = 'd4e1a7c3b5f2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation_name_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_name_state'))
    )


def downgrade():
    op.drop_table('organisation_name_state')
