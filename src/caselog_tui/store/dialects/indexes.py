"""What every dialect asks of the tables' indexes in the same words."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import Connection, Index, Table, inspect

Progress = Callable[[int, int], None]


def missing_indexes(conn: Connection, tables: Sequence[Table]) -> list[Index]:
    """The indexes of `tables` the store lacks: a load was killed before it
    built them again, or an upgrade dropped the old ones."""
    inspector = inspect(conn)
    missing: list[Index] = []
    for table in tables:
        present = {found["name"] for found in inspector.get_indexes(table.name)}
        missing += [index for index in table.indexes if index.name not in present]
    return missing


def holds_cases(tables: Sequence[Table]) -> bool:
    return any(table.name == "cases" for table in tables)


def plain_indexes(tables: Sequence[Table]) -> list[Index]:
    """The indexes a load may drop and build again: not the unique ones,
    which guard the data."""
    return [index for table in tables for index in table.indexes if not index.unique]


def drop_for_load(
    conn: Connection, tables: Sequence[Table], drop_search_index: Callable[[Connection], None]
) -> None:
    """Before a load into empty tables: drops, in a transaction of its own,
    their indexes but the unique ones (which guard the data) and the
    dialect's search index; the load builds them once at its end."""
    with conn.begin():
        for index in plain_indexes(tables):
            index.drop(conn, checkfirst=True)
        if holds_cases(tables):
            drop_search_index(conn)


def create_missing(
    conn: Connection,
    tables: Sequence[Table],
    search_index_ready: Callable[[Connection], bool],
    build_search_index: Callable[[Connection, Progress | None], None],
    progress: Progress | None = None,
) -> None:
    """Builds, in the caller's transaction, any index of `tables` the store
    lacks, and the dialect's search index of the cases too (`progress`
    hears how far that one is: it is the slow one)."""
    for index in missing_indexes(conn, tables):
        index.create(conn)
    if holds_cases(tables) and not search_index_ready(conn):
        build_search_index(conn, progress)


def in_own_transaction(conn: Connection, work: Callable[[], None]) -> None:
    """`work()` in a transaction of its own on `conn`."""
    if conn.in_transaction():
        conn.rollback()
    with conn.begin():
        work()
