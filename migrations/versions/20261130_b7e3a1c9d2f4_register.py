"""register: read model of approved signatories, with full-text search

Revision ID: b7e3a1c9d2f4
Revises: e60ddc5ea715
Create Date: 2026-11-30 22:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7e3a1c9d2f4'
down_revision = 'e60ddc5ea715'
branch_labels = None
depends_on = None

KINDS = ('collectivite', 'entreprise', 'association', 'fondation', 'academique', 'autre')


def upgrade():
    op.create_table('register_entries',
    sa.Column('organisation_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sort_name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=220), nullable=False),
    sa.Column('kind', sa.Enum(*KINDS, name='register_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('siren', sa.String(length=9), nullable=True),
    sa.Column('commune', sa.String(length=120), nullable=False),
    sa.Column('departement_code', sa.String(length=3), nullable=False),
    sa.Column('region_code', sa.String(length=2), nullable=False),
    sa.Column('charter_version', sa.Integer(), nullable=False),
    sa.Column('signature_id', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('approved_at', sa.DateTime(), nullable=False),
    sa.Column('certificate_number', sa.String(length=20), nullable=True),
    sa.Column('public_commitments', sa.Integer(), nullable=False),
    sa.Column('sdg_mask', sa.Integer(), nullable=False),
    sa.Column('category_mask', sa.Integer(), nullable=False),
    sa.Column('search_text', sa.String(length=400), nullable=False),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_register_entries')),
    sa.UniqueConstraint('slug', name=op.f('uq_register_entries_slug'))
    )
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.create_index('ix_register_entries_sort_name', ['sort_name', 'organisation_id'], unique=False)
        batch_op.create_index('ix_register_entries_signed_on', ['signed_on', 'organisation_id'], unique=False)
        batch_op.create_index('ix_register_entries_kind_name', ['kind', 'sort_name', 'organisation_id'], unique=False)
        batch_op.create_index('ix_register_entries_region_name', ['region_code', 'sort_name', 'organisation_id'], unique=False)
        batch_op.create_index('ix_register_entries_departement_name', ['departement_code', 'sort_name', 'organisation_id'], unique=False)
        batch_op.create_index('ix_register_entries_facets', ['kind', 'region_code', 'departement_code', 'signed_on', 'sdg_mask', 'category_mask'], unique=False)

    op.create_table('register_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('generation', sa.BigInteger(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_state'))
    )

    from charter_service.register.readmodel import search
    bind = op.get_bind()
    for statement in (search.SQLITE_DDL if bind.dialect.name == 'sqlite'
                      else search.POSTGRESQL_DDL):
        op.execute(statement)

    # Fill the register from the signatures already approved. The live sync code may read
    # tables that later revisions add (annual reports): a database without signatures has
    # nothing to fill, and later revisions fill the columns they add themselves.
    if bind.execute(sa.text('SELECT 1 FROM signatures LIMIT 1')).first() is not None:
        from charter_service.register.readmodel.sync import rebuild
        rebuild(bind)


def downgrade():
    from charter_service.register.readmodel import search
    bind = op.get_bind()
    for statement in (search.SQLITE_DROP if bind.dialect.name == 'sqlite'
                      else search.POSTGRESQL_DROP):
        op.execute(statement)
    op.drop_table('register_state')
    with op.batch_alter_table('register_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_register_entries_sort_name')
        batch_op.drop_index('ix_register_entries_signed_on')
        batch_op.drop_index('ix_register_entries_region_name')
        batch_op.drop_index('ix_register_entries_kind_name')
        batch_op.drop_index('ix_register_entries_departement_name')
        batch_op.drop_index('ix_register_entries_facets')
    op.drop_table('register_entries')
