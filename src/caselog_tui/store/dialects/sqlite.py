"""Everything that is specific to SQLite, in one place: connection pragmas,
how a write transaction begins, bulk loading, and what SQLite's errors mean
for a seller. A PostgreSQL backend gets its own module with the same names."""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from sqlalchemy import (
    Column,
    Connection,
    CursorResult,
    Engine,
    Table,
    create_engine,
    event,
    func,
    or_,
    select,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import CreateColumn
from sqlalchemy.sql import operators
from sqlalchemy.sql.elements import ColumnElement, UnaryExpression

from caselog_tui.core.errors import StoreError
from caselog_tui.store.dialects.access import IMMUTABLE, READ_ONLY, READ_WRITE
from caselog_tui.store.dialects.indexes import (
    create_missing,
    drop_for_load,
    in_own_transaction,
    missing_indexes as missing_indexes,
)

# Its change detection, presence board and search index are this dialect's
# too (re-exported).
from caselog_tui.store.dialects.sqlite_changes import change_watch as change_watch
from caselog_tui.store.dialects.sqlite_presence import SqlitePresenceBoard
from caselog_tui.store.dialects.sqlite_search import (
    build_search_index as build_search_index,
    cases_with_words as cases_with_words,
    count_with_words as count_with_words,
    drop_search_index as drop_search_index,
    estimated_cases as estimated_cases,
    indexed_words as indexed_words,
    search_index_ready as search_index_ready,
)

BUSY_TIMEOUT_MS = 5000
# How long a write waits while another caselog loads cases (an import, a
# restore, a demo): long enough for a million cases' index build.
LOAD_BUSY_TIMEOUT_MS = 10 * 60 * 1000
# Closing never waits long for another caselog's write: statistics can wait.
CLOSING_BUSY_TIMEOUT_MS = 100
WRITE_OPTION = "caselog_write"


def access_for(path: Path) -> str:
    """How this user can open the case log at `path`: READ_WRITE, READ_ONLY
    (the file, or the folder its write-ahead log needs, is not writable), or
    IMMUTABLE (read-only, and not even the shared-memory file SQLite reads
    a WAL file with can be made: the file is read as it stands on disk)."""
    if not path.exists():
        return READ_WRITE
    folder_writable = os.access(path.parent, os.W_OK | os.X_OK)
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    logs_writable = all(os.access(log, os.W_OK) for log in (wal, shm))
    if os.access(path, os.W_OK) and (folder_writable or logs_writable):
        return READ_WRITE
    if folder_writable or all(os.access(log, os.R_OK) for log in (wal, shm)):
        return READ_ONLY
    return IMMUTABLE


def make_engine(path: Path, access: str = READ_WRITE) -> Engine:
    if access == READ_WRITE:
        url = f"sqlite:///{path}"
    else:
        # SQLite's URI form, which takes the opening mode; uri=true has
        # SQLAlchemy pass it on as a URI.
        mode = "mode=ro&immutable=1" if access == IMMUTABLE else "mode=ro"
        url = f"sqlite:///file:{quote(str(path))}?{mode}&uri=true"
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL, much faster
        cursor.close()

    @event.listens_for(engine, "close")
    def _on_close(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        tidy_statistics(dbapi_connection)

    @event.listens_for(engine, "invalidate")
    def _on_invalidate(dbapi_connection: sqlite3.Connection, _record: Any, _error: Any) -> None:
        # SQLAlchemy drops a connection interrupted mid-statement (Ctrl-C
        # during an import) without closing it, and SQLite's write lock
        # would stay held until the garbage collector came by: every write
        # after it, the index rebuild of the same import too, would wait and
        # fail as "busy". Rolled back and closed now, it lets go.
        try:
            dbapi_connection.rollback()
            dbapi_connection.close()
        except sqlite3.Error:
            pass

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A write takes the lock up front, so the checks it reads cannot go
        # stale before it writes (no SQLITE_BUSY half-way through an action).
        if conn.get_execution_options().get(WRITE_OPTION):
            # While a load runs, its index build holds the write lock for
            # many seconds (14 s at 580,000 cases): a colleague's reply then
            # waits for it instead of failing after the usual timeout.
            loading = loading_process(conn.engine) is not None
            waits = LOAD_BUSY_TIMEOUT_MS if loading else BUSY_TIMEOUT_MS
            conn.exec_driver_sql(f"PRAGMA busy_timeout={waits}")
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


def share_between_processes(engine: Engine) -> None:
    """Switches the file to write-ahead logging (it stays so): readers never
    wait for a writer, so two caselogs on one box share the file. Only done
    once the file is known to be a case log: another program's database is
    never changed."""
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        driver.execute("PRAGMA journal_mode=WAL")


def back_up(engine: Engine, target: Path) -> None:
    """A consistent copy of the whole file at `target` (`VACUUM INTO`: what
    other processes are writing meanwhile is either in it or not, never
    half), written under a temporary name and renamed, so a copy that is
    there is complete. Private to the user, like the case log."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    partial.unlink(missing_ok=True)
    with engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        driver.execute("VACUUM INTO ?", (str(partial),))
    partial.chmod(0o600)
    partial.replace(target)


def database_path(engine: Engine) -> Path:
    database = engine.url.database
    assert database
    return Path(database)


def presence_board(engine: Engine, create: bool = True) -> SqlitePresenceBoard:
    """Who else has the case log open: a file beside it (sqlite_presence)."""
    return SqlitePresenceBoard(database_path(engine), create)


def _lock_path(engine: Engine) -> Path:
    """The file whose lock says a load is running: beside the case log."""
    return Path(f"{database_path(engine)}-load.lock")


@contextmanager
def load_lock(engine: Engine) -> Iterator[None]:
    """Holds an exclusive lock on the load lock file while a load runs,
    with "process N on HOST" written in it for whoever finds it held. The
    kernel lets go of it when the process ends, even by kill -9."""
    path = _lock_path(engine)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode(errors="replace").strip() or "another process"
            raise StoreError(
                f"Another caselog ({holder}) is loading cases into {database_path(engine)}; "
                "try again when it is done."
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"process {os.getpid()} on {socket.gethostname()}".encode())
        yield
    finally:
        os.close(fd)  # closing lets go of the lock


def loading_process(engine: Engine) -> str | None:
    """Who holds the load lock ("process 4242 on myhost"), if anyone does."""
    try:
        fd = os.open(_lock_path(engine), os.O_RDONLY)
    except OSError:
        return None  # never loaded into, or a folder we cannot read
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return os.read(fd, 200).decode(errors="replace").strip() or "another process"
        return None
    finally:
        os.close(fd)


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions begin as writes."""
    return engine.execution_options(**{WRITE_OPTION: True})


def bulk_insert(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    """Insert many rows through the driver's executemany: about five times
    faster than ORM objects, which matters for demo data and imports."""
    batch = list(rows)
    if not batch:
        return
    placeholders = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    conn.exec_driver_sql(sql, batch)


def add_column(conn: Connection, column: Column[Any]) -> None:
    """Adds `column` (generated columns too) to its existing table."""
    definition = CreateColumn(column).compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE {column.table.name} ADD COLUMN {definition}")


def refresh_statistics(conn: Connection) -> None:
    """Tells the query planner how the data is spread (ANALYZE) after a large
    load. Without it SQLite takes any status or e-mail to match few cases and
    sorts a filtered view in a temporary tree: at a million cases a page of
    "answered" costs ~0.9 s instead of ~2 ms."""
    conn.exec_driver_sql("ANALYZE")


def tidy_statistics(dbapi_connection: sqlite3.Connection) -> None:
    """`PRAGMA optimize`, which SQLite advises before a connection closes: a
    no-op unless a table this connection queried never had statistics or
    grew many times over since, then an ANALYZE of it. Without it a case log
    that never went through a demo load would never get the statistics its
    filtered views need (see `refresh_statistics`). Best effort: a busy,
    read-only or damaged file just closes without them.

    No `analysis_limit`: it samples the first rows of each index, which for
    the status and e-mail sort indexes all share one value, so the planner
    would be as lost as without statistics (200k cases: 45 ms a page instead
    of 1.6 ms). A full ANALYZE of 200k cases takes 0.13 s, and it is rare."""
    try:
        dbapi_connection.execute(f"PRAGMA busy_timeout={CLOSING_BUSY_TIMEOUT_MS}")
        dbapi_connection.execute("PRAGMA optimize")
    except sqlite3.Error:
        pass


# SQLite's primary result codes (the low byte of an extended code).
_BUSY, _LOCKED = 5, 6
_READONLY = 8
_IOERR, _CORRUPT, _FULL, _CANTOPEN = 10, 11, 13, 14
_NOTADB = 26
_PERM, _AUTH = 3, 23


def describe_error(error: BaseException, path: str | Path) -> str:
    """A sentence for an error SQLite raised, for someone who never saw SQL,
    chosen by SQLite's result code: the English of its messages is not a
    contract, the codes are."""
    original = error.orig if isinstance(error, DBAPIError) else error
    extended = getattr(original, "sqlite_errorcode", None)
    code = extended & 0xFF if isinstance(extended, int) else None
    if code in (_BUSY, _LOCKED):
        return (
            "The case log is busy: another caselog is writing to it. "
            "Nothing was changed; try again in a moment."
        )
    if code == _READONLY:
        return f"The case log {path} is read-only, so nothing could be saved."
    if code == _FULL:
        return "The disk is full, so nothing was saved. Free some space and try again."
    if code in (_NOTADB, _CORRUPT):
        return (
            f"{path} is not a case log or it is damaged. "
            "Restore it from a backup or choose another file with --db."
        )
    if code in (_CANTOPEN, _PERM, _AUTH):
        return f"The case log {path} cannot be opened: check the folder exists and is writable."
    if code == _IOERR:
        return f"The disk reported an error while using {path}; nothing was saved."
    text = str(original).lower()
    if "no such column" in text or "no such table" in text:
        return (
            f"{path} is damaged: part of the case log's tables is missing ({original}). "
            "Restore it from a backup or choose another file with --db."
        )
    return f"The case log {path} could not be used: {original}."


@contextmanager
def store_errors(path: str | Path) -> Iterator[None]:
    """Turns driver errors into a StoreError with a readable sentence."""
    try:
        yield
    except (DBAPIError, sqlite3.Error) as error:
        raise StoreError(describe_error(error, path)) from error


IMPORT_CACHE_KIB = 256 * 1024


@contextmanager
def large_cache(conn: Connection) -> Iterator[None]:
    """A big page cache on `conn` while it imports many cases: the indexes'
    pages stay in memory from one batch to the next instead of being read
    and written again for each (twice as fast at a million cases)."""
    before = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    conn.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
    conn.commit()  # the caller begins its own transactions
    try:
        yield
    finally:
        conn.rollback()
        conn.exec_driver_sql(f"PRAGMA cache_size={int(before or -2000)}")
        conn.commit()


@contextmanager
def indexes_built_after(conn: Connection, tables: Sequence[Table]) -> Iterator[None]:
    """Loading a million rows into empty tables is faster without their
    indexes (a million cases: 46 s instead of 64): they are dropped for the
    block and built once at its end, also when it fails. Unique ones stay:
    they guard the data."""
    drop_for_load(conn, tables, drop_search_index)
    try:
        yield
    finally:
        with _sorting_threads(conn):
            ensure_indexes(conn, tables)
        with conn.begin():
            refresh_statistics(conn)


@contextmanager
def without_waiting_for_disk(conn: Connection) -> Iterator[None]:
    """For filling an empty case log from a file (a restore): SQLite hands
    the pages to the operating system without waiting for the disk at each
    checkpoint (a million cases: about a second less). Only a power cut or
    a system crash during the restore could damage the file, which held no
    case yet, and the file being restored is still there. On the way out
    the waiting is back, and a checkpoint waits for the disk with what no
    other reader still needs (the next checkpoint does the rest)."""
    driver = _outside_transaction(conn)
    driver.execute("PRAGMA synchronous=OFF")
    try:
        yield
    finally:
        driver = _outside_transaction(conn)
        driver.execute("PRAGMA synchronous=NORMAL")
        driver.execute("PRAGMA wal_checkpoint(PASSIVE)")


def _outside_transaction(conn: Connection) -> sqlite3.Connection:
    """The driver's connection under `conn`, with no transaction open: some
    pragmas refuse to change inside one, and SQLAlchemy would begin one."""
    if conn.in_transaction():
        conn.rollback()
    driver = conn.connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


SORTING_THREADS = 2


@contextmanager
def _sorting_threads(conn: Connection) -> Iterator[None]:
    """Lets SQLite sort with helper threads while it builds indexes: the
    machine's other core is idle then (a tenth off the index build)."""
    before = conn.exec_driver_sql("PRAGMA threads").scalar()
    conn.exec_driver_sql(f"PRAGMA threads={SORTING_THREADS}")
    conn.commit()
    try:
        yield
    finally:
        conn.rollback()
        conn.exec_driver_sql(f"PRAGMA threads={int(before or 0)}")
        conn.commit()


def create_missing_indexes(
    conn: Connection, tables: Sequence[Table], progress: Callable[[int, int], None] | None = None
) -> None:
    """Any index of `tables` the store lacks, the search index too, in the
    caller's transaction (indexes.create_missing)."""
    create_missing(conn, tables, search_index_ready, build_search_index, progress)


def ensure_indexes(conn: Connection, tables: Sequence[Table]) -> None:
    """`create_missing_indexes` in a transaction of its own."""
    in_own_transaction(conn, lambda: create_missing_indexes(conn, tables))


def plain_rows(result: CursorResult[Any]) -> Iterator[tuple[Any, ...]]:
    """The rows of `result` as the driver returns them (plain tuples),
    streamed: for exports of a million rows, where building SQLAlchemy rows
    costs a fifth of the time. Only for columns SQLAlchemy does not convert
    (integers and text), which is what SQLite stores."""
    cursor = cast("sqlite3.Cursor", result.cursor)
    try:
        yield from cursor
    finally:
        result.close()


def distinct_values(conn: Connection, column: ColumnElement[Any]) -> list[Any]:
    """The column's distinct values in order: SQLite skips along the
    column's index by itself."""
    return [row[0] for row in conn.execute(select(column).distinct().order_by(column))]


def without_index(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """`column` unchanged, written `+column` so the planner will not walk an
    index to order by it. A keyword search then scans the short
    descriptions and sorts what matches (about 0.1 s at a million cases for
    any word) instead of walking the sort index and looking up every case
    until a page fills (1.4 s for a word no case has)."""
    return UnaryExpression(column, operator=operators.custom_op("+"), type_=column.type)


def among(column: ColumnElement[Any], values: Sequence[int | str]) -> ColumnElement[bool]:
    """`column IN values` for thousands of values, as one parameter (a JSON
    array) instead of one per value: no limit on their number (SQLite takes
    32,766 parameters) and nothing to compile per value. SQLite looks each
    one up in the column's index. SQLite's JSON cuts text at a NUL, so the
    rare text holding one is bound as itself."""
    plain: list[int | str] = []
    with_nul: list[int | str] = []
    for value in values:
        (with_nul if isinstance(value, str) and "\0" in value else plain).append(value)
    listed = func.json_each(json.dumps(plain)).table_valued("value")
    found: ColumnElement[bool] = column.in_(select(listed.c.value))
    return or_(found, column.in_(with_nul)) if with_nul else found
