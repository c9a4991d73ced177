"""The one place that chooses a database engine's module. Each module here
holds one dialect's pragmas, bulk paths and error sentences behind the same
functions (`Dialect`); the rest of the store asks `of(conn)` for the one
its connection speaks, so a second engine is a sibling module and one line
in `_BY_NAME`, not a change spread across the store."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import Column, Connection, CursorResult, Engine, Index, Table
from sqlalchemy.sql.elements import ColumnElement

from caselog_tui.store.dialects import sqlite


class Dialect(Protocol):
    """What the store needs of a database engine."""

    def access_for(self, path: Path) -> str: ...
    def make_engine(self, path: Path, access: str = ...) -> Engine: ...
    def share_between_processes(self, engine: Engine) -> None: ...
    def back_up(self, engine: Engine, target: Path) -> None: ...
    def writer(self, engine: Engine) -> Engine: ...
    def load_lock(self, engine: Engine) -> AbstractContextManager[None]: ...
    def loading_process(self, engine: Engine) -> str | None: ...
    def store_errors(self, path: Path) -> AbstractContextManager[None]: ...
    def bulk_insert(
        self,
        conn: Connection,
        table: str,
        columns: Sequence[str],
        rows: Iterable[Sequence[object]],
    ) -> None: ...
    def add_column(self, conn: Connection, column: Column[Any]) -> None: ...
    def large_cache(self, conn: Connection) -> AbstractContextManager[None]: ...
    def indexes_built_after(
        self, conn: Connection, tables: Sequence[Table]
    ) -> AbstractContextManager[None]: ...
    def without_waiting_for_disk(self, conn: Connection) -> AbstractContextManager[None]: ...
    def missing_indexes(self, conn: Connection, tables: Sequence[Table]) -> list[Index]: ...
    def ensure_indexes(self, conn: Connection, tables: Sequence[Table]) -> None: ...
    def plain_rows(self, result: CursorResult[Any]) -> Iterator[tuple[Any, ...]]: ...
    def without_index(self, column: ColumnElement[Any]) -> ColumnElement[Any]: ...
    def among(
        self, column: ColumnElement[Any], values: Sequence[int | str]
    ) -> ColumnElement[bool]: ...


# A case log file: the only kind of store there is so far.
FILE: Dialect = sqlite

_BY_NAME: dict[str, Dialect] = {"sqlite": sqlite}


def of(bind: Connection | Engine) -> Dialect:
    """The dialect module for what `bind` is connected to."""
    return _BY_NAME[bind.dialect.name]
