"""Row locks that put two transactions recomputing the same read-model rows one after the other.

A read model is refreshed by reading its stored rows and writing the ones that differ. Two
transactions refreshing one row at once (a request and a job after an approval, say) both find
it missing and both insert it: the second fails on the primary key, and had it been an upsert
it would have written what it read before the first committed. Locking the source row first
makes the second wait, then read what the first wrote.
"""

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, bindparam, select, text


def lock(connection: Connection, column, ids: Sequence[int]) -> None:
    """Lock the rows whose `column` (a primary key) is in `ids` until the transaction ends,
    in key order, so that two such calls never wait on each other in a circle.

    PostgreSQL: SELECT … FOR UPDATE. SQLite locks the whole database for writing; a write
    that changes nothing takes that lock now, before the reads (the sqlite3 module starts a
    transaction only at the first write, so reads made before it would not see a concurrent
    commit). Written as text: an UPDATE built by SQLAlchemy would also set `updated_at`."""
    if not ids:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(select(column).where(column.in_(ids)).order_by(column)
                           .with_for_update())
        return
    table, name = column.table.name, column.name
    connection.execute(text(f"UPDATE {table} SET {name} = {name} WHERE {name} IN :ids")  # noqa: S608  (our own table and column names)
                       .bindparams(bindparam("ids", expanding=True)), {"ids": list(ids)})


def refresh_rows(connection: Connection, column, ids: Iterable[int], *, wanted, stored, write,
                 comparable=lambda row: row, batch: int = 2000) -> bool:
    """Bring a read model's rows up to date for these source ids, `batch` at a time, each
    batch's source rows locked first (`lock`): `wanted(chunk)` gives {id: row} as it should
    be, `stored(chunk)` {id: row} as it is (`comparable(wanted row)` is what a stored row is
    compared with); `write(stale ids, fresh rows)` deletes the first and inserts the second.
    Only the rows that differ are written. True if any was."""
    ids = sorted(set(ids) - {None})
    changed = False
    for start in range(0, len(ids), batch):
        chunk = ids[start:start + batch]
        lock(connection, column, chunk)
        want, have = wanted(chunk), stored(chunk)
        stale = [i for i, row in have.items() if i not in want or comparable(want[i]) != row]
        fresh = [row for i, row in want.items() if have.get(i) != comparable(row)]
        if stale or fresh:
            write(stale, fresh)
            changed = True
    return changed
