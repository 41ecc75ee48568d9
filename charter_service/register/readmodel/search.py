"""Full-text search of the register: SQLite FTS5, PostgreSQL tsvector (GIN index).

Both index `register_entries.search_text`, already folded to lower-case ASCII words in Python
(text.fold), so the search is accent- and case-insensitive without the `unaccent` extension,
which needs a superuser. Each word of the query matches as a word prefix; all words must match.
The commitments directory (charter_service/directory/search.py) builds its own the same way.

On PostgreSQL the words are stored, in a generated column `search_vector` (migration
c5e7a9b1d3f6): a GIN index answers a prefix query with rows to recheck, and an index on the
expression `to_tsvector(search_text)` parsed each matching row's text again (13 ms of a 41 ms
count of 35,000 matches), as did every row a page met while walking its order's index.
"""

from sqlalchemy import func, literal_column, select, text

from .models import RegisterEntry
from .text import words


def sqlite_ddl(index: str, table: str, rowid: str) -> list[str]:
    """An FTS5 table `index` over `table.search_text`, kept in step by triggers."""
    return [
        f"""CREATE VIRTUAL TABLE {index} USING fts5(
        search_text, content='{table}', content_rowid='{rowid}',
        tokenize='unicode61 remove_diacritics 2', prefix='2 3')""",
        f"""CREATE TRIGGER {index}_ai AFTER INSERT ON {table} BEGIN
        INSERT INTO {index}(rowid, search_text)
        VALUES (new.{rowid}, new.search_text);
    END""",  # noqa: S608  (names of our own tables, not input)
        f"""CREATE TRIGGER {index}_ad AFTER DELETE ON {table} BEGIN
        INSERT INTO {index}({index}, rowid, search_text)
        VALUES ('delete', old.{rowid}, old.search_text);
    END""",  # noqa: S608  (names of our own tables, not input)
        f"""CREATE TRIGGER {index}_au AFTER UPDATE ON {table} BEGIN
        INSERT INTO {index}({index}, rowid, search_text)
        VALUES ('delete', old.{rowid}, old.search_text);
        INSERT INTO {index}(rowid, search_text)
        VALUES (new.{rowid}, new.search_text);
    END""",  # noqa: S608  (names of our own tables, not input)
        f"INSERT INTO {index}({index}) VALUES ('rebuild')",  # noqa: S608
    ]


def sqlite_drop(index: str) -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {index}_{suffix}" for suffix in ("au", "ad", "ai")] + [
        f"DROP TABLE IF EXISTS {index}"]


SQLITE_DDL = sqlite_ddl("register_search", "register_entries", "organisation_id")
SQLITE_DROP = sqlite_drop("register_search")
# The register's first index (revision b7e3a1c9d2f4); c5e7a9b1d3f6 replaces it by
# ix_register_entries_search_vector, on the stored column.
POSTGRESQL_DDL = [
    "CREATE INDEX ix_register_entries_search ON register_entries "
    "USING gin (to_tsvector('simple', search_text))",
]
POSTGRESQL_DROP = ["DROP INDEX IF EXISTS ix_register_entries_search"]
HAND_WRITTEN = ("register_search", "ix_register_entries_search", "directory_search",
                "ix_directory_entries_search", "search_vector")


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic autogenerate: the search objects are written by hand, not from the models (the
    register's, and the commitments directory's built the same way)."""
    return not (name or "").startswith(HAND_WRITTEN)


def words_matching(q: str, dialect: str, index: str, rowid, in_order: bool = False):
    """A WHERE clause for rows (`rowid`: their key column) matching every word of `q` as a
    prefix, through the FTS5 table `index` or the stored `search_vector` of `index`'s table
    (PostgreSQL, GIN index); None if no word.

    `in_order`, on SQLite: test each row met while walking the order's index against the
    matches, rather than fetch every match by its key and sort them all: the better plan when
    the search matches a large part of the table (`rowid + 0` keeps SQLite from reading the
    matches through the key)."""
    query_words = words(q)
    if not query_words:
        return None
    if dialect == "sqlite":
        expression = " ".join(f'"{word}"*' for word in query_words)
        hits = select(literal_column("rowid")).select_from(text(index)).where(
            text(f"{index} MATCH :fts").bindparams(fts=expression))
        return (rowid + 0 if in_order else rowid).in_(hits)
    expression = " & ".join(f"{word}:*" for word in query_words)
    # Not in the models (SQLite has no tsvector): named as it is, qualified by its table.
    vector = literal_column(f"{rowid.table.name}.search_vector")
    return vector.op("@@")(func.to_tsquery(literal_column("'simple'"), expression))


def matching(q: str, dialect: str, in_order: bool = False):
    """A WHERE clause for entries matching every word of `q` as a prefix; None if no word."""
    return words_matching(q, dialect, "register_search", RegisterEntry.organisation_id,
                          in_order)
