"""Full-text search of the directory, as the register's (register/readmodel/search.py): SQLite
FTS5 or a PostgreSQL GIN index over `directory_entries.search_text`, folded in Python."""

from sqlalchemy import func, literal_column, select, text

from ..register.readmodel.text import words
from .models import DirectoryEntry

SQLITE_DDL = [
    """CREATE VIRTUAL TABLE directory_search USING fts5(
        search_text, content='directory_entries', content_rowid='commitment_id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER directory_search_ai AFTER INSERT ON directory_entries BEGIN
        INSERT INTO directory_search(rowid, search_text)
        VALUES (new.commitment_id, new.search_text);
    END""",
    """CREATE TRIGGER directory_search_ad AFTER DELETE ON directory_entries BEGIN
        INSERT INTO directory_search(directory_search, rowid, search_text)
        VALUES ('delete', old.commitment_id, old.search_text);
    END""",
    """CREATE TRIGGER directory_search_au AFTER UPDATE ON directory_entries BEGIN
        INSERT INTO directory_search(directory_search, rowid, search_text)
        VALUES ('delete', old.commitment_id, old.search_text);
        INSERT INTO directory_search(rowid, search_text)
        VALUES (new.commitment_id, new.search_text);
    END""",
    "INSERT INTO directory_search(directory_search) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS directory_search_au",
    "DROP TRIGGER IF EXISTS directory_search_ad",
    "DROP TRIGGER IF EXISTS directory_search_ai",
    "DROP TABLE IF EXISTS directory_search",
]
POSTGRESQL_DDL = [
    "CREATE INDEX ix_directory_entries_search ON directory_entries "
    "USING gin (to_tsvector('simple', search_text))",
]
POSTGRESQL_DROP = ["DROP INDEX IF EXISTS ix_directory_entries_search"]


def matching(q: str, dialect: str):
    """A WHERE clause for entries matching every word of `q` as a prefix; None if no word."""
    query_words = words(q)
    if not query_words:
        return None
    if dialect == "sqlite":
        expression = " ".join(f'"{word}"*' for word in query_words)
        hits = select(literal_column("rowid")).select_from(text("directory_search")).where(
            text("directory_search MATCH :fts").bindparams(fts=expression))
        return DirectoryEntry.commitment_id.in_(hits)
    expression = " & ".join(f"{word}:*" for word in query_words)
    return func.to_tsvector(literal_column("'simple'"), DirectoryEntry.search_text).op("@@")(
        func.to_tsquery(literal_column("'simple'"), expression))
