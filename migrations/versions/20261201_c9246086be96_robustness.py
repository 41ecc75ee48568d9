"""robustness: failed outbox messages, idempotency keys of create forms

Revision ID: c9246086be96
Revises: a72747b8ef22
Create Date: 2026-12-01 09:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c9246086be96'
down_revision = 'a72747b8ef22'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_at', sa.DateTime(), nullable=True))

    op.create_table('form_submissions',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('form', sa.String(length=40), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('target', sa.String(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_form_submissions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_form_submissions'))
    )
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_form_submissions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_form_submissions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_form_submissions_user_id'))
        batch_op.drop_index(batch_op.f('ix_form_submissions_created_at'))

    op.drop_table('form_submissions')

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('failed_at')
