"""What every dialect asks of the tables' indexes in the same words."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Index, Table, inspect


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
