"""directory: read model of public commitments, with full-text search

Revision ID: f3c8a2d61e94
Revises: a7c2e9f4b1d6
Create Date: 2026-12-01 18:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f3c8a2d61e94'
down_revision = 'a7c2e9f4b1d6'
branch_labels = None
depends_on = None

KINDS = ('collectivite', 'entreprise', 'association', 'fondation', 'academique', 'autre')
CATEGORIES = ('pratiques_responsables', 'cooperation_economique', 'innovation_societale',
              'mecenat')
SCALES = ('local', 'departemental', 'regional', 'national', 'international')
STATUSES = ('planned', 'in_progress', 'achieved', 'abandoned')


def _enum(values, name):
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade():
    op.create_table('directory_entries',
    sa.Column('commitment_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('charter_version', sa.Integer(), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('organisation_slug', sa.String(length=220), nullable=False),
    sa.Column('kind', _enum(KINDS, 'directory_kind'), nullable=False),
    sa.Column('departement_code', sa.String(length=3), nullable=False),
    sa.Column('region_code', sa.String(length=2), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category', _enum(CATEGORIES, 'directory_category'), nullable=False),
    sa.Column('scale', _enum(SCALES, 'directory_scale'), nullable=False),
    sa.Column('status', _enum(STATUSES, 'directory_status'), nullable=False),
    sa.Column('start_on', sa.Date(), nullable=False),
    sa.Column('end_on', sa.Date(), nullable=True),
    sa.Column('principles', sa.String(length=200), nullable=False),
    sa.Column('sdg_mask', sa.Integer(), nullable=False),
    sa.Column('domain_mask', sa.Integer(), nullable=False),
    sa.Column('joint', sa.Boolean(), nullable=False),
    sa.Column('partners', sa.Text(), nullable=False),
    sa.Column('progress_on', sa.Date(), nullable=True),
    sa.Column('progress_text', sa.Text(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('commitment_id', name=op.f('pk_directory_entries'))
    )
    with op.batch_alter_table('directory_entries', schema=None) as batch_op:
        batch_op.create_index('ix_directory_entries_start', ['start_on', 'commitment_id'], unique=False)
        batch_op.create_index('ix_directory_entries_organisation', ['organisation_id'], unique=False)
        batch_op.create_index('ix_directory_entries_facets', ['category', 'scale', 'status', 'kind', 'region_code', 'departement_code', 'joint', 'sdg_mask', 'domain_mask'], unique=False)
    op.create_table('directory_principles',
    sa.Column('code', sa.String(length=10), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commitment_id'], ['directory_entries.commitment_id'], name=op.f('fk_directory_principles_commitment_id_directory_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code', 'commitment_id', name=op.f('pk_directory_principles'))
    )

    from charter_service.directory import search
    bind = op.get_bind()
    for statement in (search.SQLITE_DDL if bind.dialect.name == 'sqlite'
                      else search.POSTGRESQL_DDL):
        op.execute(statement)

    # Fill the directory from the public commitments already recorded.
    from charter_service.directory.sync import rebuild
    rebuild(bind)


def downgrade():
    from charter_service.directory import search
    bind = op.get_bind()
    for statement in (search.SQLITE_DROP if bind.dialect.name == 'sqlite'
                      else search.POSTGRESQL_DROP):
        op.execute(statement)
    op.drop_table('directory_principles')
    with op.batch_alter_table('directory_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_directory_entries_facets')
        batch_op.drop_index('ix_directory_entries_organisation')
        batch_op.drop_index('ix_directory_entries_start')
    op.drop_table('directory_entries')
