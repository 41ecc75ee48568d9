"""login sessions: one server-side row per logged-in browser, replacing users.session_nonce

Revision ID: 9dcdf2d27eda
Revises: c8f4b2d0e3a5
Create Date: 2026-12-01 09:45:00

Every browser logged in before this revision is logged out (its cookie names no session).
"""
from alembic import op
import sqlalchemy as sa


revision = '9dcdf2d27eda'
down_revision = 'c8f4b2d0e3a5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_login_sessions_key_hash'))
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)
    # Native ALTER TABLE on PostgreSQL and on SQLite >= 3.35: a batch copy of `users` would
    # drop the table, and its ON DELETE CASCADE would empty memberships.
    op.drop_column('users', 'session_nonce')


def downgrade():
    op.add_column('users', sa.Column('session_nonce', sa.String(length=32), nullable=False,
                                     server_default='downgraded'))
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))
    op.drop_table('login_sessions')
