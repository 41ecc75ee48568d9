"""stored search vectors: on PostgreSQL, the register's and the directory's words are kept in a
generated tsvector column, indexed, rather than parsed again from search_text by every query

Revision ID: c5e7a9b1d3f6
Revises: a16b2e0d5c71
Create Date: 2026-12-02 16:20:00

"""

from alembic import op

revision = 'c5e7a9b1d3f6'
down_revision = 'a16b2e0d5c71'
branch_labels = None
depends_on = None

# (table, index on the stored column, index on the expression it replaces)
TABLES = (("register_entries", "ix_register_entries_search_vector",
           "ix_register_entries_search"),
          ("directory_entries", "ix_directory_entries_search_vector",
           "ix_directory_entries_search"))


def upgrade():
    # SQLite searches through its FTS5 tables, which already store the words.
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, index, old_index in TABLES:
        op.execute(f"ALTER TABLE {table} ADD COLUMN search_vector tsvector "
                   f"GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED")
        op.execute(f"CREATE INDEX {index} ON {table} USING gin (search_vector)")
        op.execute(f"DROP INDEX IF EXISTS {old_index}")


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for table, index, old_index in TABLES:
        op.execute(f"CREATE INDEX {old_index} ON {table} "
                   f"USING gin (to_tsvector('simple', search_text))")
        op.execute(f"DROP INDEX IF EXISTS {index}")
        op.execute(f"ALTER TABLE {table} DROP COLUMN search_vector")
