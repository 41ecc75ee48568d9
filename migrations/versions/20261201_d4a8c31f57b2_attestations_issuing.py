"""attestations « en cours »: the number is reserved at approval, the PDF stored by a job

A certificate may now be `issuing` (no PDF yet) or revoked before it was rendered (no PDF
ever); pdf and sha256 become nullable, present unless so; at most one « en cours » per
signature, as at most one valid.

Revision ID: d4a8c31f57b2
Revises: 5e0a7c3d91b2
Create Date: 2026-12-01 15:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd4a8c31f57b2'
down_revision = '5e0a7c3d91b2'
branch_labels = None
depends_on = None

OLD_STATUSES = ('valid', 'revoked', 'superseded')
NEW_STATUSES = ('issuing',) + OLD_STATUSES
ONE_ISSUING = "status = 'issuing'"


def _status(values):
    return sa.Enum(*values, name='certificate_status', native_enum=False,
                   create_constraint=True, length=32)


def _drop_reflected_status_check(batch_op) -> None:
    """SQLite rebuilds the table from its reflected CHECKs, the old list of statuses among
    them; elsewhere alter_column itself swaps the enum's CHECK."""
    if op.get_bind().dialect.name == 'sqlite':
        batch_op.drop_constraint(op.f('ck_certificates_certificate_status'), type_='check')


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        _drop_reflected_status_check(batch_op)
        batch_op.alter_column('status', existing_type=_status(OLD_STATUSES),
                              type_=_status(NEW_STATUSES), existing_nullable=False)
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=True)
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=True)
        batch_op.create_check_constraint(
            op.f('ck_certificates_pdf_unless_issuing'),
            "pdf IS NOT NULL OR status IN ('issuing', 'revoked')")
        batch_op.create_check_constraint(op.f('ck_certificates_pdf_hashed'),
                                         "(pdf IS NULL) = (sha256 IS NULL)")
        batch_op.create_index('uq_certificates_one_issuing', ['signature_id'], unique=True,
                              sqlite_where=sa.text(ONE_ISSUING),
                              postgresql_where=sa.text(ONE_ISSUING))


def downgrade():
    # Attestations never rendered cannot be kept without a PDF: they go, numbers and all.
    certificates = sa.table('certificates', sa.column('pdf', sa.LargeBinary))
    op.execute(certificates.delete().where(certificates.c.pdf.is_(None)))
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_one_issuing', sqlite_where=sa.text(ONE_ISSUING),
                            postgresql_where=sa.text(ONE_ISSUING))
        batch_op.drop_constraint(op.f('ck_certificates_pdf_hashed'), type_='check')
        batch_op.drop_constraint(op.f('ck_certificates_pdf_unless_issuing'), type_='check')
        _drop_reflected_status_check(batch_op)
        batch_op.alter_column('sha256', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('pdf', existing_type=sa.LargeBinary(), nullable=False)
        batch_op.alter_column('status', existing_type=_status(NEW_STATUSES),
                              type_=_status(OLD_STATUSES), existing_nullable=False)
