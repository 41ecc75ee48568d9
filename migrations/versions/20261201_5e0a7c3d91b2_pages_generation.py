"""pages generation: the key of the public pages cached whole, moved by every domain signal

Revision ID: 5e0a7c3d91b2
Revises: d4e1f0a7b3c2
Create Date: 2026-12-01 15:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5e0a7c3d91b2'
down_revision = 'd4e1f0a7b3c2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('register_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pages_generation', sa.BigInteger(), server_default='0',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('register_state', schema=None) as batch_op:
        batch_op.drop_column('pages_generation')
