"""commitment resources, deliverables, target date and SDG targets

What a commitment mobilises (budget and in-kind contributions in euros, days of skills,
volunteers, each over zero and under its kind's bound), its deliverables, the date they are due
(not before the start) and the SDG targets it chose, each under a goal the commitment chose
(a composite foreign key to commitment_sdgs). The directory's read model carries them for its
exports: totals per kind, deliverables, target date, target codes (columns SQLite adds without
rebuilding the table: nullable, or with a server default).

Revision ID: a8f2c4e6b1d3
Revises: c4d6e8f0a2b4
Create Date: 2026-12-02 01:00:00

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


revision = 'a8f2c4e6b1d3'
down_revision = 'c4d6e8f0a2b4'
branch_labels = None
depends_on = None

TARGET_CHECK = 'target_on IS NULL OR target_on >= start_on'
DIRECTORY_COLUMNS = (
    ('budget_eur', sa.Numeric(precision=16, scale=4), None),
    ('in_kind_eur', sa.Numeric(precision=16, scale=4), None),
    ('skills_days', sa.Numeric(precision=16, scale=4), None),
    ('volunteers', sa.Numeric(precision=16, scale=4), None),
    ('deliverables', sa.Text(), ''),
    ('target_on', sa.Date(), None),
    ('sdg_targets', sa.Text(), ''),
)
AMOUNT_CHECK = ("amount > 0 AND ((kind IN ('budget', 'in_kind') AND amount < 10000000000)"
                " OR (kind IN ('skills_days', 'volunteers') AND amount < 1000000))")


@contextmanager
def _rebuilt_safely():
    """SQLite adds a CHECK by rebuilding the table, which must not cascade to the rows that
    reference the commitments: foreign keys are off during the rebuild (as in c7d2e4f6a8b1)."""
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
    with _rebuilt_safely(), op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_on', sa.Date(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_commitments_target_after_start'), TARGET_CHECK)

    op.create_table('commitment_resources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('budget', 'in_kind', 'skills_days', 'volunteers', name='resource_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('amount', sa.Numeric(precision=16, scale=4), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint(AMOUNT_CHECK, name=op.f('ck_commitment_resources_amount_in_range')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_commitment_resources_commitment_id_commitments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_resources'))
    )
    with op.batch_alter_table('commitment_resources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_resources_commitment_id'), ['commitment_id'], unique=False)

    op.create_table('commitment_deliverables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("text <> ''", name=op.f('ck_commitment_deliverables_text_not_empty')),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitments.id'], name=op.f('fk_commitment_deliverables_commitment_id_commitments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_commitment_deliverables'))
    )
    with op.batch_alter_table('commitment_deliverables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_commitment_deliverables_commitment_id'), ['commitment_id'], unique=False)

    op.create_table('commitment_sdg_targets',
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('sdg', sa.SmallInteger(), nullable=False),
    sa.Column('target', sa.String(length=5), nullable=False),
    sa.CheckConstraint("target LIKE CAST(sdg AS VARCHAR(2)) || '.%'", name=op.f('ck_commitment_sdg_targets_target_of_goal')),
    sa.ForeignKeyConstraint(['commitment_id', 'sdg'], ['commitment_sdgs.commitment_id', 'commitment_sdgs.sdg'], name='fk_commitment_sdg_targets_goal', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('commitment_id', 'target', name=op.f('pk_commitment_sdg_targets'))
    )
    for name, type_, default in DIRECTORY_COLUMNS:
        op.add_column('directory_entries', sa.Column(
            name, type_, nullable=default is None, server_default=default))


def downgrade():
    with _rebuilt_safely(), op.batch_alter_table('directory_entries', schema=None) as batch_op:
        for name, _type, _default in reversed(DIRECTORY_COLUMNS):
            batch_op.drop_column(name)
    op.drop_table('commitment_sdg_targets')
    with op.batch_alter_table('commitment_deliverables', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_deliverables_commitment_id'))
    op.drop_table('commitment_deliverables')
    with op.batch_alter_table('commitment_resources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_commitment_resources_commitment_id'))
    op.drop_table('commitment_resources')
    with _rebuilt_safely(), op.batch_alter_table('commitments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_commitments_target_after_start'), type_='check')
        batch_op.drop_column('target_on')
