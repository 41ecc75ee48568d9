"""representative confirmation: a signature prepared by staff waits for its representative

Two statuses (awaiting_representative, declined), how the signatory was identified, and the
nonce of the representative's link; an awaiting signature is live (one per organisation and
version) and has attested nothing yet.

Revision ID: b3c5d7e9f1a2
Revises: f3c8a2d61e94
Create Date: 2026-12-01 18:00:00

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


revision = 'b3c5d7e9f1a2'
down_revision = 'f3c8a2d61e94'
branch_labels = None
depends_on = None

OLD_STATUSES = ('pending', 'approved', 'rejected', 'changes_requested', 'suspended', 'withdrawn')
NEW_STATUSES = ('awaiting_representative',) + OLD_STATUSES + ('declined',)
OLD_LIVE = "status IN ('pending', 'approved', 'suspended', 'changes_requested')"
NEW_LIVE = ("status IN ('awaiting_representative', 'pending', 'approved', 'suspended', "
            "'changes_requested')")
UNCONFIRMED = "status IN ('awaiting_representative', 'declined')"
OLD_CHECKS = {'authority_attested': "authority_attested",
              'principles_accepted': "principles_accepted",
              'decided_unless_pending': "status = 'pending' OR decided_at IS NOT NULL"}
NEW_CHECKS = {'authority_attested': f"authority_attested OR {UNCONFIRMED}",
              'principles_accepted': f"principles_accepted OR {UNCONFIRMED}",
              'decided_unless_pending':
                  "status IN ('pending', 'awaiting_representative') OR decided_at IS NOT NULL"}
LINK_CHECK = "(status = 'awaiting_representative') = (link_nonce IS NOT NULL)"


def _status(values):
    return sa.Enum(*values, name='signature_status', native_enum=False,
                   create_constraint=True, length=32)


def _identification():
    return sa.Enum('account_holder', 'email', 'paper', name='signatory_identification',
                   native_enum=False, create_constraint=True, length=32)


def _swap_checks(batch_op, old: dict, new: dict) -> None:
    for name in old:
        batch_op.drop_constraint(op.f(f'ck_signatures_{name}'), type_='check')
    for name, condition in new.items():
        batch_op.create_check_constraint(op.f(f'ck_signatures_{name}'), condition)


def _drop_reflected_status_check(batch_op) -> None:
    """SQLite rebuilds the table from its reflected CHECKs, the old list of statuses among
    them; elsewhere alter_column itself swaps the enum's CHECK."""
    if op.get_bind().dialect.name == 'sqlite':
        batch_op.drop_constraint(op.f('ck_signatures_signature_status'), type_='check')


def _swap_live_index(batch_op, old: str, new: str) -> None:
    batch_op.drop_index('uq_signatures_one_live', sqlite_where=sa.text(old),
                        postgresql_where=sa.text(old))
    batch_op.create_index('uq_signatures_one_live', ['organisation_id', 'charter_version_id'],
                          unique=True, sqlite_where=sa.text(new), postgresql_where=sa.text(new))


@contextmanager
def _rebuilt_safely():
    """SQLite changes a CHECK by rebuilding the table; dropping the old `signatures` would
    delete, for its foreign keys, the attestations that reference it. So, as SQLite's own
    procedure says (sqlite.org/lang_altertable.html), foreign keys are off during the rebuild,
    which the pragma allows only outside a transaction, and checked before they are back on."""
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        yield
        return
    raw = bind.connection.driver_connection
    raw.commit()
    raw.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = raw.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")
    finally:
        raw.commit()
        raw.execute("PRAGMA foreign_keys=ON")


def upgrade():
    with _rebuilt_safely(), op.batch_alter_table('signatures', schema=None) as batch_op:
        _drop_reflected_status_check(batch_op)
        batch_op.alter_column('status', existing_type=_status(OLD_STATUSES),
                              type_=_status(NEW_STATUSES), existing_nullable=False)
        batch_op.add_column(sa.Column('identification', _identification(),
                                      server_default='account_holder', nullable=False))
        batch_op.add_column(sa.Column('link_nonce', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('link_sent_at', sa.DateTime(), nullable=True))
        _swap_checks(batch_op, OLD_CHECKS, NEW_CHECKS)
        batch_op.create_check_constraint(op.f('ck_signatures_link_while_awaiting'), LINK_CHECK)
        _swap_live_index(batch_op, OLD_LIVE, NEW_LIVE)


def downgrade():
    # Signatures that never reached moderation cannot be expressed without their statuses.
    signatures = sa.table('signatures', sa.column('status', sa.String))
    op.execute(signatures.delete().where(
        signatures.c.status.in_(('awaiting_representative', 'declined'))))
    with _rebuilt_safely(), op.batch_alter_table('signatures', schema=None) as batch_op:
        _swap_live_index(batch_op, NEW_LIVE, OLD_LIVE)
        batch_op.drop_constraint(op.f('ck_signatures_link_while_awaiting'), type_='check')
        _swap_checks(batch_op, NEW_CHECKS, OLD_CHECKS)
        if op.get_bind().dialect.name == 'sqlite':
            batch_op.drop_constraint(op.f('ck_signatures_signatory_identification'),
                                     type_='check')
        batch_op.drop_column('link_sent_at')
        batch_op.drop_column('link_nonce')
        batch_op.drop_column('identification')
        _drop_reflected_status_check(batch_op)
        batch_op.alter_column('status', existing_type=_status(NEW_STATUSES),
                              type_=_status(OLD_STATUSES), existing_nullable=False)
