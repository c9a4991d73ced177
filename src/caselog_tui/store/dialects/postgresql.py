"""Everything that is specific to PostgreSQL, in one place, behind the same
names as `sqlite`: the engine and its connection settings, how a write
transaction begins, bulk loading, indexes, keyword search and what the
server's errors mean for a seller. The driver (psycopg 3) is an optional
extra: `pip install 'caselog-tui[postgres]'`.

One writer at a time, as on SQLite. Every write transaction first takes a
transaction-level advisory lock of the case log (`pg_advisory_xact_lock`),
so what it read before writing (the status machine's checks, a form's
version, the next case ID) cannot change under it; a colleague's write
waits for it (`lock_timeout`) instead of failing. Reads never wait. The
locks are keyed by the schema, so two case logs in one database (one per
test, say) do not wait for each other."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ARRAY,
    Column,
    Connection,
    CursorResult,
    Engine,
    Table,
    and_,
    any_,
    bindparam,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, NoSuchModuleError
from sqlalchemy.schema import CreateColumn
from sqlalchemy.sql.elements import ColumnElement

from caselog_tui.core.errors import StoreError
from caselog_tui.store.dialects.indexes import (
    create_missing,
    drop_for_load,
    in_own_transaction,
    missing_indexes as missing_indexes,
)
from caselog_tui.store.dialects.postgresql_live import (
    change_watch as change_watch,
    presence_board as presence_board,
)
from caselog_tui.store.models import CASES

SCHEMES = ("postgresql", "postgres")
CONNECT_TIMEOUT_S = 5
BUSY_TIMEOUT_MS = 5000
LOAD_BUSY_TIMEOUT_MS = 10 * 60 * 1000
WRITE_OPTION = "caselog_write"
# The first key of caselog's advisory locks (the second is the schema's).
_WRITE_LOCK, _LOAD_LOCK = 0x6361_0001, 0x6361_0002
_SCHEMA_KEY = "hashtext(current_schema()) & 2147483647"
_CHANNEL = "caselog_changes"
_NOTIFY_FUNCTION = "caselog_notify_change"
_NOTIFY_TRIGGER = "cases_notify_change"


def engine_url(where: str) -> URL:
    """The SQLAlchemy URL for a `postgresql://` case log, on psycopg 3."""
    url = make_url(where)
    return url.set(drivername="postgresql+psycopg")


def shown(where: str) -> str:
    """The URL as sentences show it: without the password."""
    try:
        return make_url(where).render_as_string(hide_password=True)
    except Exception:  # an unparsable URL is refused before anything shows it
        return where


def make_engine(where: str) -> Engine:
    """An engine for the server at `where`; no connection is made yet."""
    try:
        engine = create_engine(
            engine_url(where),
            pool_pre_ping=True,  # a connection the server dropped is replaced, not used
            connect_args={
                "connect_timeout": CONNECT_TIMEOUT_S,
                # Who holds a lock, as `loading_process` tells it.
                "application_name": f"caselog process {os.getpid()} on {socket.gethostname()}"[:63],
            },
        )
    except (ImportError, NoSuchModuleError) as error:
        raise StoreError(
            "The PostgreSQL driver is not installed. Install it with "
            "pip install 'caselog-tui[postgres]', or use a case log file."
        ) from error

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        _store_nul_as_replacement(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            _take_write_lock(conn)

    return engine


def _take_write_lock(conn: Connection) -> None:
    """The case log's write lock, for this transaction. Mostly free: one
    round trip. Held by a colleague, it is waited for, up to the busy
    timeout, or longer while a load builds its indexes (minutes at a
    million cases) so a reply waits for the load instead of failing."""
    free = conn.exec_driver_sql(
        f"SELECT pg_try_advisory_xact_lock({_WRITE_LOCK}, {_SCHEMA_KEY})"
    ).scalar()
    if free:
        return
    waits = LOAD_BUSY_TIMEOUT_MS if _load_holder(conn) is not None else BUSY_TIMEOUT_MS
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {waits}")
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_WRITE_LOCK}, {_SCHEMA_KEY})")


def _store_nul_as_replacement(dbapi_connection: Any) -> None:
    """PostgreSQL's text cannot hold a NUL character, which SQLite's can (a
    mail body or an imported file may carry one). Rather than refuse the
    whole reply or import, a NUL is stored as U+FFFD, the replacement
    character: text shown the same (the display turns control characters
    into visible marks anyway), and a log moved from a file to the server
    arrives whole."""
    from psycopg.abc import Buffer
    from psycopg.types.string import StrDumperUnknown

    class NulSafeStrDumper(StrDumperUnknown):
        def dump(self, obj: str) -> Buffer | None:
            return super().dump(obj.replace("\x00", "\ufffd"))

    dbapi_connection.adapters.register_dumper(str, NulSafeStrDumper)


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions begin by taking the write lock."""
    return engine.execution_options(**{WRITE_OPTION: True})


def share_between_processes(engine: Engine) -> None:
    """Makes every commit that changes cases wake the others' live refresh:
    a statement trigger sends the schema's name on one channel
    (`postgresql_live.NotifyWatch` listens). Made once: a case log that has
    it is only read (so opening one while a load holds the write lock does
    not wait for the load)."""
    with engine.connect() as conn:
        if _has_notify_trigger(conn):
            return
    with writer(engine).begin() as conn:
        if _has_notify_trigger(conn):
            return  # another caselog made it meanwhile
        conn.exec_driver_sql(
            f"CREATE OR REPLACE FUNCTION {_NOTIFY_FUNCTION}() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN "
            f"PERFORM pg_notify('{_CHANNEL}', TG_TABLE_SCHEMA); RETURN NULL; END $$"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER {_NOTIFY_TRIGGER} AFTER INSERT OR UPDATE OR DELETE ON cases "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {_NOTIFY_FUNCTION}()"
        )


def _has_notify_trigger(conn: Connection) -> bool:
    found = conn.exec_driver_sql(
        "SELECT 1 FROM pg_trigger WHERE tgname = %s AND tgrelid = to_regclass('cases')",
        (_NOTIFY_TRIGGER,),
    ).first()
    return found is not None


def back_up(engine: Engine, target: Path) -> None:
    """Nothing to copy: a schema upgrade on PostgreSQL runs in one
    transaction (its DDL too), so one that fails leaves the case log as it
    was. The server's own backups (pg_dump) are the copy."""


@contextmanager
def load_lock(engine: Engine) -> Iterator[None]:
    """Holds the case log's load lock (a session-level advisory lock) while
    a load runs. The server lets go of it when the connection ends, however
    the process ends."""
    plain = engine.execution_options(**{WRITE_OPTION: False}, isolation_level="AUTOCOMMIT")
    with plain.connect() as conn:
        taken = conn.exec_driver_sql(
            f"SELECT pg_try_advisory_lock({_LOAD_LOCK}, {_SCHEMA_KEY})"
        ).scalar()
        if not taken:
            holder = loading_process(engine) or "another process"
            raise StoreError(
                f"Another caselog ({holder}) is loading cases into this case log; "
                "try again when it is done."
            )
        try:
            yield
        finally:
            conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_LOAD_LOCK}, {_SCHEMA_KEY})")


def loading_process(engine: Engine) -> str | None:
    """Who holds the load lock ("caselog process 4242 on myhost"), if anyone
    does."""
    with engine.execution_options(**{WRITE_OPTION: False}).connect() as conn:
        return _load_holder(conn)


def _load_holder(conn: Connection) -> str | None:
    holder = conn.exec_driver_sql(
        "SELECT a.application_name, a.client_addr FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
        f"AND l.classid = {_LOAD_LOCK} AND l.objid::bigint = ({_SCHEMA_KEY}) "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    ).first()
    if holder is None:
        return None
    name, address = holder
    return str(name or (f"a connection from {address}" if address else "another process"))


def bulk_insert(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]
) -> None:
    """Insert many rows with COPY, the server's own bulk path (many times
    faster than one INSERT per row)."""
    driver = conn.connection.driver_connection
    assert driver is not None
    with (
        driver.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def add_column(conn: Connection, column: Column[Any]) -> None:
    definition = CreateColumn(column).compile(dialect=conn.dialect)
    conn.exec_driver_sql(f"ALTER TABLE {column.table.name} ADD COLUMN {definition}")


def large_cache(conn: Connection) -> nullcontext[None]:
    """The server's own cache serves a load: nothing to set per connection."""
    return nullcontext()


def without_waiting_for_disk(conn: Connection) -> nullcontext[None]:
    """A restore into PostgreSQL waits for the disk as every write does:
    its commits are few and large."""
    return nullcontext()


# Memory the server may use to sort while it builds an index after a load.
INDEX_BUILD_MEMORY = "256MB"


@contextmanager
def indexes_built_after(conn: Connection, tables: Sequence[Table]) -> Iterator[None]:
    """Loading many rows into empty tables is faster without their indexes:
    they are dropped for the block and built once at its end, also when it
    fails. Unique ones stay: they guard the data."""
    drop_for_load(conn, tables, drop_search_index)
    try:
        yield
    finally:
        if conn.in_transaction():
            conn.rollback()
        with conn.begin():
            conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
            create_missing_indexes(conn, tables)
        vacuum(conn, tables)


def vacuum(conn: Connection, tables: Sequence[Table]) -> None:
    """VACUUM (ANALYZE) of `tables` after a large load: the planner's
    statistics, and the visibility map without which a count must visit
    every row it counts. Measured at a million cases right after a load:
    the default view's first page 200 ms before, 36 ms after. VACUUM
    cannot run in a transaction: it runs on a connection of its own, in
    autocommit, closed after it."""
    if conn.in_transaction():
        conn.rollback()
    names = ", ".join(table.name for table in tables)
    pooled = conn.engine.raw_connection()
    driver = pooled.driver_connection
    pooled.detach()  # never back in the pool in autocommit
    try:
        assert driver is not None
        driver.autocommit = True
        driver.execute(f"VACUUM (ANALYZE) {names}")
    finally:
        pooled.close()


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
    """The rows of `result` as plain tuples."""
    try:
        for row in result:
            yield tuple(row)
    finally:
        result.close()


def distinct_values(conn: Connection, column: ColumnElement[Any]) -> list[Any]:
    """The column's distinct values in order, hopping along its index from
    one value to the next (PostgreSQL has no skip scan: SELECT DISTINCT
    reads every row, 160 ms at a million cases for five addresses; this
    makes one index probe per value)."""
    name = column.name
    table = column.table.name
    found = conn.exec_driver_sql(
        f"WITH RECURSIVE hop(v) AS ("
        f"(SELECT {name} FROM {table} ORDER BY {name} LIMIT 1) UNION ALL "
        f"SELECT (SELECT {name} FROM {table} WHERE {name} > hop.v ORDER BY {name} LIMIT 1) "
        f"FROM hop WHERE hop.v IS NOT NULL) SELECT v FROM hop WHERE v IS NOT NULL"
    )
    return [row[0] for row in found]


def without_index(column: ColumnElement[Any]) -> ColumnElement[Any]:
    """`column` as it is: PostgreSQL's planner weighs a search's matches
    against the sort index itself (SQLite needs telling, see `sqlite`)."""
    return column


def among(column: ColumnElement[Any], values: Sequence[int | str]) -> ColumnElement[bool]:
    """`column = ANY(array)`: thousands of values as one parameter."""
    listed = bindparam(None, list(values), type_=ARRAY(column.type))
    return column == any_(listed)


# -- keyword search: a trigram index (pg_trgm) on the folded description ----

SEARCH_INDEX = "ix_cases_search"
INDEXED_WORD_LENGTH = 3  # pg_trgm finds a LIKE pattern of three characters or more


def search_index_ready(conn: Connection) -> bool:
    found = conn.exec_driver_sql(
        "SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND indexname = %s",
        (SEARCH_INDEX,),
    ).first()
    return found is not None


def build_search_index(
    conn: Connection, progress: Callable[[int, int], None] | None = None
) -> None:
    """The trigram index of the folded short descriptions, in the caller's
    transaction. `pg_trgm` ships with PostgreSQL and is a trusted extension
    (PostgreSQL 13+): the database's owner may add it."""
    with conn.begin_nested():
        try:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DBAPIError as error:
            raise StoreError(
                "The PostgreSQL server does not let caselog add the pg_trgm extension "
                "its keyword search needs. Ask its administrator to run "
                "CREATE EXTENSION pg_trgm; in this database, then open caselog again."
            ) from error
    conn.exec_driver_sql(
        f"CREATE INDEX IF NOT EXISTS {SEARCH_INDEX} ON cases "
        "USING gin (description_key gin_trgm_ops)"
    )
    if progress:
        total = int(conn.exec_driver_sql("SELECT count(*) FROM cases").scalar_one())
        progress(total, max(total, 1))


def drop_search_index(conn: Connection) -> None:
    conn.exec_driver_sql(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")


def indexed_words(words: Sequence[str]) -> list[str]:
    return [w for w in words if len(w) >= INDEXED_WORD_LENGTH]


def cases_with_words(words: Sequence[str]) -> ColumnElement[bool]:
    """The folded description holds every one of `words`: `LIKE`s the
    trigram index answers (`%`, `_` and the escape character plain)."""
    key = CASES.c.description_key
    return and_(*(key.contains(word, autoescape=True) for word in words))


def count_with_words(conn: Connection, words: Sequence[str], at_most: int | None = None) -> int:
    holding = select(CASES.c.id).where(cases_with_words(words))
    if at_most is not None:
        holding = holding.limit(at_most)
    found = conn.execute(select(func.count()).select_from(holding.subquery())).scalar_one()
    return int(found)


def estimated_cases(conn: Connection) -> int | None:
    """About how many cases there are, from the planner's statistics; None
    before the first ANALYZE (reltuples is -1 then)."""
    found = conn.exec_driver_sql(
        "SELECT reltuples FROM pg_class WHERE oid = to_regclass('cases')"
    ).scalar()
    return int(found) if found is not None and found >= 0 else None


# -- what the server's errors mean ------------------------------------------

_BUSY = {"55P03", "40P01", "40001"}  # lock timeout, deadlock, serialization
_GONE = {"57P01", "57P02", "57P03"}  # shut down, crashed, starting up


def describe_error(error: BaseException, where: str | Path) -> str:
    """A sentence for an error the server or the driver raised, by its
    SQLSTATE where there is one; a connection that failed before any
    statement has none, so then by libpq's words."""
    original = error.orig if isinstance(error, DBAPIError) else error
    state = str(getattr(original, "sqlstate", None) or "")
    text = str(original).strip()
    first = text.splitlines()[0] if text else type(original).__name__
    if state in _BUSY:
        return (
            "The case log is busy: another caselog is writing to it. "
            "Nothing was changed; try again in a moment."
        )
    if state.startswith("53"):  # insufficient resources: disk full, out of memory
        return (
            f"The PostgreSQL server of {where} is out of disk or memory, so nothing "
            "was saved. Tell its administrator."
        )
    if state == "42501":
        return (
            f"The PostgreSQL server of {where} does not let this user do that "
            f"(permission denied), so nothing was changed: {first}."
        )
    if state == "25006":
        return f"The case log {where} is read-only on this server, so nothing could be saved."
    if state in ("42P01", "42703"):
        return (
            f"{where} is damaged: part of the case log's tables is missing ({first}). "
            "Restore it from a backup or choose another database with --db."
        )
    if state.startswith("08") or state in _GONE or (not state and _is_connection_error(original)):
        return _connection_sentence(text, where)
    return f"The case log {where} could not be used: {first}."


def _connection_sentence(text: str, where: str | Path) -> str:
    lower = text.lower()
    if "password authentication failed" in lower or "no password supplied" in lower:
        return (
            f"The PostgreSQL server refused the password for {where}. "
            "Check the user and password in --db or CASELOG_DB (or in ~/.pgpass)."
        )
    if "role" in lower and "does not exist" in lower:
        return f"The PostgreSQL server has no such user as the one in {where}. Check --db."
    if "database" in lower and "does not exist" in lower:
        return (
            f"The PostgreSQL server has no such database as the one in {where}. "
            "Create it first (createdb NAME) or check --db."
        )
    if "ssl" in lower:
        return f"Cannot connect to {where}: the server and the URL disagree about SSL ({text})."
    return (
        f"Cannot reach the PostgreSQL server of {where}: it is down or the network is "
        "gone. Nothing was changed."
    )


def _is_connection_error(error: BaseException | None) -> bool:
    """A driver error with no SQLSTATE that is about the connection (it
    failed, or was lost) rather than the data."""
    try:
        import psycopg
    except ImportError:  # pragma: no cover
        return True
    return isinstance(error, (psycopg.OperationalError, psycopg.InterfaceError)) or not isinstance(
        error, psycopg.Error
    )


def _is_driver_error(error: BaseException) -> bool:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - the engine needs it to exist at all
        return False
    return isinstance(error, psycopg.Error)


@contextmanager
def store_errors(where: str | Path) -> Iterator[None]:
    """Turns driver errors into a StoreError with a readable sentence."""
    try:
        yield
    except DBAPIError as error:
        raise StoreError(describe_error(error, where)) from error
    except Exception as error:
        if _is_driver_error(error):
            raise StoreError(describe_error(error, where)) from error
        raise
