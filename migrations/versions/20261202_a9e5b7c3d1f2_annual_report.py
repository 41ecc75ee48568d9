"""annual report: one per organisation and year, a section per commitment and its values

The draft is saved section by section (revision), submitted once, or replaced by an
uploaded PDF; the signed report's number is filled at submission.

Revision ID: a9e5b7c3d1f2
Revises: b7d2f4a6c8e1
Create Date: 2026-12-02 00:31:50.324603

"""
from alembic import op
import sqlalchemy as sa


revision = 'a9e5b7c3d1f2'
down_revision = 'b7d2f4a6c8e1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('annual_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', name='annual_report_status', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('mode', sa.Enum('form', 'upload', name='annual_report_mode', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('document_pdf', sa.LargeBinary(), nullable=True),
    sa.Column('document_filename', sa.String(length=200), nullable=True),
    sa.Column('document_sha256', sa.String(length=64), nullable=True),
    sa.Column('document_number', sa.String(length=40), nullable=True),
    sa.CheckConstraint("mode = 'form' OR status = 'draft' OR document_sha256 IS NOT NULL", name=op.f('ck_annual_reports_upload_submitted_with_document')),
    sa.CheckConstraint("status = 'draft' OR submitted_at IS NOT NULL", name=op.f('ck_annual_reports_submitted_with_date')),
    sa.CheckConstraint('(document_sha256 IS NULL) = (document_filename IS NULL)', name=op.f('ck_annual_reports_document_with_name')),
    sa.CheckConstraint('period BETWEEN 2000 AND 2999', name=op.f('ck_annual_reports_period_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_annual_reports_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_annual_reports_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_annual_reports_submitted_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annual_reports')),
    sa.UniqueConstraint('document_number', name=op.f('uq_annual_reports_document_number')),
    sa.UniqueConstraint('organisation_id', 'period', name=op.f('uq_annual_reports_organisation_id'))
    )
    with op.batch_alter_table('annual_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_annual_reports_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('report_sections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('status_change', sa.Enum('planned', 'in_progress', 'achieved', 'abandoned', name='report_section_status', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('evidence_url', sa.String(length=500), nullable=False),
    sa.Column('evidence_pdf', sa.LargeBinary(), nullable=True),
    sa.Column('evidence_filename', sa.String(length=200), nullable=True),
    sa.Column('evidence_sha256', sa.String(length=64), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('progress_update_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("evidence_url = '' OR evidence_url LIKE 'https://%'", name=op.f('ck_report_sections_evidence_url_https')),
    sa.CheckConstraint('(evidence_sha256 IS NULL) = (evidence_filename IS NULL)', name=op.f('ck_report_sections_evidence_file_with_name')),
    sa.CheckConstraint('revision >= 0', name=op.f('ck_report_sections_revision_positive')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_report_sections_commitment_id_commitments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['progress_update_id'], ['progress_updates.id'], name=op.f('fk_report_sections_progress_update_id_progress_updates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['report_id'], ['annual_reports.id'], name=op.f('fk_report_sections_report_id_annual_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_report_sections_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_sections')),
    sa.UniqueConstraint('progress_update_id', name=op.f('uq_report_sections_progress_update_id')),
    sa.UniqueConstraint('report_id', 'commitment_id', name=op.f('uq_report_sections_report_id'))
    )
    with op.batch_alter_table('report_sections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_sections_commitment_id'), ['commitment_id'], unique=False)

    op.create_table('report_section_values',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Numeric(precision=16, scale=4), nullable=False),
    sa.CheckConstraint('value >= 0', name=op.f('ck_report_section_values_value_not_negative')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_report_section_values_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['report_sections.id'], name=op.f('fk_report_section_values_section_id_report_sections'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_section_values')),
    sa.UniqueConstraint('section_id', 'indicator_id', name=op.f('uq_report_section_values_section_id'))
    )
    with op.batch_alter_table('report_section_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_section_values_indicator_id'), ['indicator_id'], unique=False)



def downgrade():
    with op.batch_alter_table('report_section_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_section_values_indicator_id'))

    op.drop_table('report_section_values')
    with op.batch_alter_table('report_sections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_sections_commitment_id'))

    op.drop_table('report_sections')
    with op.batch_alter_table('annual_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_annual_reports_organisation_id'))

    op.drop_table('annual_reports')
