"""Full-text search of the directory, built as the register's (register/readmodel/search.py):
SQLite FTS5 or a PostgreSQL GIN index over `directory_entries.search_text`, folded in Python
(on PostgreSQL, stored as `search_vector` since revision c5e7a9b1d3f6)."""

from ..register.readmodel.search import sqlite_ddl, sqlite_drop, words_matching
from .models import DirectoryEntry

SQLITE_DDL = sqlite_ddl("directory_search", "directory_entries", "commitment_id")
SQLITE_DROP = sqlite_drop("directory_search")
# The directory's first index (revision f3c8a2d61e94), replaced by c5e7a9b1d3f6.
POSTGRESQL_DDL = [
    "CREATE INDEX ix_directory_entries_search ON directory_entries "
    "USING gin (to_tsvector('simple', search_text))",
]
POSTGRESQL_DROP = ["DROP INDEX IF EXISTS ix_directory_entries_search"]


def matching(q: str, dialect: str):
    """A WHERE clause for entries matching every word of `q` as a prefix; None if no word."""
    return words_matching(q, dialect, "directory_search", DirectoryEntry.commitment_id)
