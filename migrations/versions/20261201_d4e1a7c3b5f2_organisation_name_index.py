"""organisation name index: the normalised name and its bigrams, for the duplicate check

Revision ID: d4e1a7c3b5f2
Revises: d4a8c31f57b2
Create Date: 2026-12-01 15:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd4e1a7c3b5f2'
down_revision = 'd4a8c31f57b2'
branch_labels = None
depends_on = None

BATCH = 5_000


def upgrade():
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        # NOT NULL from the start with a default: SQLite could not rebuild the referenced table.
        batch_op.add_column(sa.Column('name_key', sa.Text(), server_default='', nullable=False))
    op.create_table('organisation_name_grams',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('gram', sa.String(length=8), nullable=False),
    sa.Column('departement_code', sa.String(length=3), nullable=False),
    sa.Column('name_length', sa.SmallInteger(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_organisation_name_grams_organisation_id_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', 'gram', name=op.f('pk_organisation_name_grams'))
    )
    _back_fill()
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.create_index('ix_organisations_departement_code_name_key', ['departement_code', 'name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisations_siret'), ['siret'], unique=False)
    with op.batch_alter_table('organisation_name_grams', schema=None) as batch_op:
        batch_op.create_index('ix_organisation_name_grams_lookup', ['departement_code', 'gram', 'name_length', 'organisation_id'], unique=False)


def _back_fill():
    """In batches of organisations, with the application's own normalisation."""
    from charter_service.organisations.names import gram_rows, normalised_name

    organisations = sa.table('organisations', sa.column('id', sa.Integer), sa.column('name'),
                             sa.column('departement_code'), sa.column('name_key'))
    grams = sa.table('organisation_name_grams', sa.column('organisation_id'), sa.column('gram'),
                     sa.column('departement_code'), sa.column('name_length'))
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(organisations.c.id, organisations.c.name, organisations.c.departement_code)
            .where(organisations.c.id > last).order_by(organisations.c.id).limit(BATCH)).all()
        if not rows:
            return
        keys = [{"row_id": row.id, "key": normalised_name(row.name)} for row in rows]
        connection.execute(
            organisations.update().where(organisations.c.id == sa.bindparam('row_id'))
            .values(name_key=sa.bindparam('key')), keys)
        new_grams = [gram for row, key in zip(rows, keys, strict=True)
                     for gram in gram_rows(row.id, key["key"], row.departement_code)]
        if new_grams:
            connection.execute(grams.insert(), new_grams)
        last = rows[-1].id


def downgrade():
    with op.batch_alter_table('organisation_name_grams', schema=None) as batch_op:
        batch_op.drop_index('ix_organisation_name_grams_lookup')
    op.drop_table('organisation_name_grams')
    with op.batch_alter_table('organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisations_siret'))
        batch_op.drop_index('ix_organisations_departement_code_name_key')
        batch_op.drop_column('name_key')
