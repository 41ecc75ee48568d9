"""register date order: a page of one type, région or département in order of signature walks
an index of its own, rather than the whole date index filtered (1 row in 100 for a
département: 5,000 rows read for a page of 50)

Revision ID: e7a9c1d3f5b8
Revises: d6f8b0c2e4a7
Create Date: 2026-12-02 17:25:00

"""

from alembic import op

revision = 'e7a9c1d3f5b8'
down_revision = 'd6f8b0c2e4a7'
branch_labels = None
depends_on = None

INDEXES = {"ix_register_entries_kind_date": "kind",
           "ix_register_entries_region_date": "region_code",
           "ix_register_entries_departement_date": "departement_code"}


def upgrade():
    for name, column in INDEXES.items():
        op.create_index(name, "register_entries", [column, "signed_on", "organisation_id"])


def downgrade():
    for name in INDEXES:
        op.drop_index(name, table_name="register_entries")
