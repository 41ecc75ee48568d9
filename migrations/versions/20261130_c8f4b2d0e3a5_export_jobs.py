"""export jobs: register PDFs rendered in the background, kept for 24 hours

Revision ID: c8f4b2d0e3a5
Revises: b7e3a1c9d2f4
Create Date: 2026-11-30 23:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c8f4b2d0e3a5'
down_revision = 'b7e3a1c9d2f4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=43), nullable=False),
    sa.Column('format', sa.String(length=8), nullable=False),
    sa.Column('query_args', sa.Text(), nullable=False),
    sa.Column('generation', sa.BigInteger(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='export_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('rows_done', sa.Integer(), nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('filename', sa.String(length=100), nullable=False),
    sa.Column('result', sa.LargeBinary(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_jobs')),
    sa.UniqueConstraint('token', name=op.f('uq_export_jobs_token'))
    )
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.create_index('ix_export_jobs_lookup', ['format', 'generation', 'status'], unique=False)
        batch_op.create_index('ix_export_jobs_created_at', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('export_jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_export_jobs_created_at')
        batch_op.drop_index('ix_export_jobs_lookup')

    op.drop_table('export_jobs')
