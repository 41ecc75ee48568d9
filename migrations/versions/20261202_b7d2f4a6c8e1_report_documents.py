"""report documents: the signed « rapport annuel d'alliance » PDFs and their number series

Revision ID: b7d2f4a6c8e1
Revises: c4d6e8f0a2b4
Create Date: 2026-12-02 00:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d2f4a6c8e1'
down_revision = 'c4d6e8f0a2b4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_document_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_serial', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_report_document_counters'))
    )
    op.create_table('report_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('serial', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('issuing', 'valid', 'superseded', name='report_document_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('rendered_from', sa.Text(), nullable=False),
    sa.Column('signed_with_dev_key', sa.Boolean(), nullable=False),
    sa.Column('render_claimed_until', sa.DateTime(), nullable=True),
    sa.CheckConstraint("pdf IS NOT NULL OR status = 'issuing'", name=op.f('ck_report_documents_report_pdf_unless_issuing')),
    sa.CheckConstraint('(pdf IS NULL) = (sha256 IS NULL)', name=op.f('ck_report_documents_report_pdf_hashed')),
    sa.CheckConstraint("status != 'superseded' OR superseded_by_id IS NOT NULL", name=op.f('ck_report_documents_report_superseded_by')),
    sa.CheckConstraint('serial BETWEEN 1 AND 999999', name=op.f('ck_report_documents_report_serial_range')),
    sa.CheckConstraint('period BETWEEN 2000 AND 2999', name=op.f('ck_report_documents_report_period_range')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_report_documents_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_report_documents_issued_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['report_documents.id'], name=op.f('fk_report_documents_superseded_by_id_report_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_documents')),
    sa.UniqueConstraint('number', name=op.f('uq_report_documents_number')),
    sa.UniqueConstraint('year', 'serial', name=op.f('uq_report_documents_year'))
    )
    with op.batch_alter_table('report_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_documents_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_documents_sha256'), ['sha256'], unique=False)
        batch_op.create_index('uq_report_documents_one_valid', ['organisation_id', 'period'], unique=True, sqlite_where=sa.text("status = 'valid'"), postgresql_where=sa.text("status = 'valid'"))


def downgrade():
    with op.batch_alter_table('report_documents', schema=None) as batch_op:
        batch_op.drop_index('uq_report_documents_one_valid', sqlite_where=sa.text("status = 'valid'"), postgresql_where=sa.text("status = 'valid'"))
        batch_op.drop_index(batch_op.f('ix_report_documents_sha256'))
        batch_op.drop_index(batch_op.f('ix_report_documents_organisation_id'))

    op.drop_table('report_documents')
    op.drop_table('report_document_counters')
