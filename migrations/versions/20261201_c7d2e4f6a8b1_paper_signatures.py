"""paper signatures: the channel of a signature a moderator recorded from paper

A signature identified as « paper » names how it reached the Fondation (a signed letter, a
council deliberation, a signing event); no other signature names one.

Revision ID: c7d2e4f6a8b1
Revises: b3c5d7e9f1a2
Create Date: 2026-12-01 21:00:00

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


revision = 'c7d2e4f6a8b1'
down_revision = 'b3c5d7e9f1a2'
branch_labels = None
depends_on = None

CHANNEL_CHECK = "(identification = 'paper') = (paper_channel IS NOT NULL)"


def _channel():
    return sa.Enum('letter', 'deliberation', 'event', name='paper_channel', native_enum=False,
                   create_constraint=True, length=32)


@contextmanager
def _rebuilt_safely():
    """SQLite adds a CHECK by rebuilding the table, which must not cascade to the attestations
    that reference it: foreign keys are off during the rebuild (as in b3c5d7e9f1a2)."""
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
        batch_op.add_column(sa.Column('paper_channel', _channel(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_signatures_channel_if_paper'), CHANNEL_CHECK)


def downgrade():
    # Without its channel, a paper signature would break the rule it was recorded under.
    signatures = sa.table('signatures', sa.column('identification', sa.String))
    op.execute(signatures.delete().where(signatures.c.identification == 'paper'))
    with _rebuilt_safely(), op.batch_alter_table('signatures', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_signatures_channel_if_paper'), type_='check')
        if op.get_bind().dialect.name == 'sqlite':
            batch_op.drop_constraint(op.f('ck_signatures_paper_channel'), type_='check')
        batch_op.drop_column('paper_channel')
