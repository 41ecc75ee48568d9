"""public revocation wording: a neutral label from a list; the free text becomes private

Every revoked attestation gets the wording of the transition that revoked it (a suspension or a
withdrawal, read from the audit log), and its free-text reason moves to the private
revocation_message column: nothing a moderator or an organisation wrote stays public.

Revision ID: a72747b8ef22
Revises: 9dcdf2d27eda
Create Date: 2026-12-01 09:40:00

"""
from collections import defaultdict

from alembic import op
import sqlalchemy as sa


revision = 'a72747b8ef22'
down_revision = '9dcdf2d27eda'
branch_labels = None
depends_on = None

LABELS = ('suspended', 'suspended_for_review', 'suspended_at_request', 'withdrawn_at_request')
CAUSES = {'signature.suspend': 'suspended', 'signature.withdraw': 'withdrawn_at_request'}
STATUS_CAUSES = {'withdrawn': 'withdrawn_at_request'}
CHUNK = 500

certificates = sa.table('certificates', sa.column('id', sa.Integer),
                        sa.column('signature_id', sa.Integer), sa.column('status', sa.String),
                        sa.column('revocation_label', sa.String))
signatures = sa.table('signatures', sa.column('id', sa.Integer), sa.column('status', sa.String))
audit_entries = sa.table('audit_entries', sa.column('seq', sa.Integer),
                         sa.column('action', sa.String), sa.column('object_id', sa.String))


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'revocation_label', sa.Enum(*LABELS, name='revocation_label', native_enum=False,
                                        create_constraint=True, length=32), nullable=True))
        batch_op.alter_column('revocation_reason', new_column_name='revocation_message',
                              existing_type=sa.Text(), existing_nullable=False)
    _label_revoked_certificates(op.get_bind())
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f('ck_certificates_revoked_labelled'),
            "status != 'revoked' OR revocation_label IS NOT NULL")


def _label_revoked_certificates(connection) -> None:
    by_label = defaultdict(list)
    for certificate_id, label in _labels(connection).items():
        by_label[label].append(certificate_id)
    for label, ids in by_label.items():
        for start in range(0, len(ids), CHUNK):
            connection.execute(certificates.update()
                               .where(certificates.c.id.in_(ids[start:start + CHUNK]))
                               .values(revocation_label=label))


def _labels(connection) -> dict[int, str]:
    """{revoked certificate id: wording}: the last suspension or withdrawal of its signature
    recorded before its revocation, else what the signature's status says."""
    revoked = connection.execute(
        sa.select(certificates.c.id, certificates.c.signature_id, signatures.c.status)
        .join(signatures, signatures.c.id == certificates.c.signature_id)
        .where(certificates.c.status == 'revoked')).all()
    if not revoked:
        return {}
    revoked_at_seq = dict(connection.execute(
        sa.select(audit_entries.c.object_id, sa.func.max(audit_entries.c.seq))
        .where(audit_entries.c.action == 'certificate.revoke')
        .group_by(audit_entries.c.object_id)).all())
    causes = defaultdict(list)
    for object_id, seq, action in connection.execute(
            sa.select(audit_entries.c.object_id, audit_entries.c.seq, audit_entries.c.action)
            .where(audit_entries.c.action.in_(CAUSES)).order_by(audit_entries.c.seq)):
        causes[object_id].append((seq, action))
    labels = {}
    for certificate_id, signature_id, signature_status in revoked:
        limit = revoked_at_seq.get(str(certificate_id))
        before = [action for seq, action in causes.get(str(signature_id), [])
                  if limit is None or seq < limit]
        labels[certificate_id] = (CAUSES[before[-1]] if before
                                  else STATUS_CAUSES.get(signature_status, 'suspended'))
    return labels


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        # SQLite rebuilds the table from its reflected constraints: drop the CHECKs first.
        batch_op.drop_constraint(op.f('ck_certificates_revoked_labelled'), type_='check')
        batch_op.drop_constraint(op.f('ck_certificates_revocation_label'), type_='check')
        batch_op.alter_column('revocation_message', new_column_name='revocation_reason',
                              existing_type=sa.Text(), existing_nullable=False)
        batch_op.drop_column('revocation_label')
