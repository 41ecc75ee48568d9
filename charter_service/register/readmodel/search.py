"""Full-text search of the register: SQLite FTS5, PostgreSQL tsvector (GIN index).

Both index `register_entries.search_text`, already folded to lower-case ASCII words in Python
(text.fold), so the search is accent- and case-insensitive without the `unaccent` extension,
which needs a superuser. Each word of the query matches as a word prefix; all words must match.
"""

from sqlalchemy import func, literal_column, select, text

from .models import RegisterEntry
from .text import words

SQLITE_DDL = [
    """CREATE VIRTUAL TABLE register_search USING fts5(
        search_text, content='register_entries', content_rowid='organisation_id',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
    """CREATE TRIGGER register_search_ai AFTER INSERT ON register_entries BEGIN
        INSERT INTO register_search(rowid, search_text)
        VALUES (new.organisation_id, new.search_text);
    END""",
    """CREATE TRIGGER register_search_ad AFTER DELETE ON register_entries BEGIN
        INSERT INTO register_search(register_search, rowid, search_text)
        VALUES ('delete', old.organisation_id, old.search_text);
    END""",
    """CREATE TRIGGER register_search_au AFTER UPDATE ON register_entries BEGIN
        INSERT INTO register_search(register_search, rowid, search_text)
        VALUES ('delete', old.organisation_id, old.search_text);
        INSERT INTO register_search(rowid, search_text)
        VALUES (new.organisation_id, new.search_text);
    END""",
    "INSERT INTO register_search(register_search) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS register_search_au",
    "DROP TRIGGER IF EXISTS register_search_ad",
    "DROP TRIGGER IF EXISTS register_search_ai",
    "DROP TABLE IF EXISTS register_search",
]
POSTGRESQL_DDL = [
    "CREATE INDEX ix_register_entries_search ON register_entries "
    "USING gin (to_tsvector('simple', search_text))",
]
POSTGRESQL_DROP = ["DROP INDEX IF EXISTS ix_register_entries_search"]
HAND_WRITTEN = ("register_search", "ix_register_entries_search", "directory_search",
                "ix_directory_entries_search")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic autogenerate: the search objects are written by hand, not from the models (the
    register's, and the commitments directory's built the same way)."""
    return not (name or "").startswith(HAND_WRITTEN)


def matching(q: str, dialect: str):
    """A WHERE clause for entries matching every word of `q` as a prefix; None if no word."""
    query_words = words(q)
    if not query_words:
        return None
    if dialect == "sqlite":
        expression = " ".join(f'"{word}"*' for word in query_words)
        hits = select(literal_column("rowid")).select_from(text("register_search")).where(
            text("register_search MATCH :fts").bindparams(fts=expression))
        return RegisterEntry.organisation_id.in_(hits)
    expression = " & ".join(f"{word}:*" for word in query_words)
    return func.to_tsvector(literal_column("'simple'"), RegisterEntry.search_text).op("@@")(
        func.to_tsquery(literal_column("'simple'"), expression))
