"""Opening a case log (a file, or a database on a PostgreSQL server): create
a file private to the user, check the schema version, and hand out read and
write transactions."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, Table, inspect, select
from sqlmodel import Session, SQLModel

from caselog_tui.core.errors import StoreError
from caselog_tui.core.locations import SERVER_SCHEMES, Location, is_server_url, url_scheme
from caselog_tui.core.text import clean_line
from caselog_tui.store import dialects
from caselog_tui.store.dialects.access import READ_WRITE
from caselog_tui.store.models import CASES, MESSAGES, META, SCHEMA_VERSION

LOADED_TABLES = (CASES, MESSAGES)
# Single-column indexes of schema 1, replaced by the sort indexes of schema 2.
_SCHEMA_1_INDEXES = [
    f"ix_cases_{column}"
    for column in (
        "created_at",
        "status",
        "primary_email",
        "description_key",
        "last_activity_at",
        "answered_at",
        "reopened_count",
    )
]

WriteTransaction = Session
"""What `Store.writing()` hands out: the unit of work the `store.cases`
writes take."""

FIRST_CASE_ID = 10_000_000_000 + 4_217_303  # 11 digits, like the marketplace's


class Store:
    """One open case log. Thread-safe: each unit of work takes its own
    connection from the engine's pool."""

    def __init__(
        self,
        path: Path | None,
        engine: Engine,
        created: bool = False,
        read_only: bool = False,
        where: str | None = None,
        location: Location | None = None,
    ) -> None:
        # The file, or None for a case log on a server.
        self.path = path
        # What `open_store` takes to open it again (a server's URL whole).
        self.location: Location = location if location is not None else (path or "")
        # The case log as sentences name it: the file, or the server's URL
        # without its password.
        self.where = where if where is not None else str(path)
        self.engine = engine
        # Whether opening it made a new file (a mistyped --db does too).
        self.created = created
        # The file (or its folder) is not writable for this user: reads work,
        # every write is refused up front with `read_only_reason`.
        self.read_only = read_only
        self.dialect = dialects.of(engine)
        self._writer = self.dialect.writer(engine)

    @property
    def read_only_reason(self) -> str:
        return (
            f"The case log {self.where} is read-only for you (the file or its folder is not "
            "writable), so nothing can be changed; it can still be read and exported."
        )

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise StoreError(self.read_only_reason)

    def errors(self) -> AbstractContextManager[None]:
        """The store's driver errors, as a StoreError with a sentence."""
        return self.dialect.store_errors(self.where)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        with self.errors(), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """One transaction: committed if the block ends normally, rolled back
        (nothing half-written) if it raises."""
        self._refuse_if_read_only()
        with (
            self.errors(),
            Session(self._writer, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    @contextmanager
    def bulk_writing(self) -> Iterator[Connection]:
        self._refuse_if_read_only()
        with self.errors(), self._writer.begin() as conn:
            yield conn

    @contextmanager
    def loading(self) -> Iterator[Connection]:
        """A connection for a load that dwarfs what the store holds (demo
        data, a big import); each `with conn.begin():` inside is one
        transaction. The indexes are dropped first and built once at the end,
        many times faster than updating them row by row, and the query
        planner's statistics are refreshed. An interrupted load keeps its
        finished transactions; the indexes are rebuilt on the way out, or on
        the next open if the process was killed."""
        self._refuse_if_read_only()
        with (
            self.errors(),
            self._writer.connect() as conn,
            bulk_load(conn, LOADED_TABLES),
        ):
            yield conn

    def presence_board(self) -> dialects.PresenceBoard:
        """The board of who else has this case log open; it never raises.
        Beside a read-only case log nothing new is made."""
        return self.dialect.presence_board(self.engine, create=not self.read_only)

    def watch_changes(self) -> dialects.ChangeWatch:
        """A watch on commits by anyone else (another caselog, the CLI):
        its `poll()` is cheap enough to call every second. The caller
        closes it."""
        with self.errors():
            return self.dialect.change_watch(self.engine)

    def close(self) -> None:
        """Closes every idle connection; each first tidies the query
        planner's statistics (cheap, see `sqlite.tidy_statistics`)."""
        self.engine.dispose()


Notice = Callable[[str], None]
"""Told a sentence before something slow that opening a store must do."""


@contextmanager
def bulk_load(conn: Connection, tables: Sequence[Table]) -> Iterator[None]:
    """The dialect's `indexes_built_after`, holding the dialect's load lock
    while it runs: another caselog that opens the store meanwhile finds the
    indexes missing, and must neither build them under the load nor call
    the load interrupted. The lock is the operating system's, so it ends
    with the process, however it ends (a PID written in a table outlived a
    killed load, and a new process with the same PID looked like it)."""
    dialect = dialects.of(conn)
    with dialect.load_lock(conn.engine), dialect.indexes_built_after(conn, tables):
        yield


def open_store(where: Location, create: bool = True, notice: Notice | None = None) -> Store:
    """Open the case log at `where` (a file's path, or a postgresql:// URL),
    creating it if needed and `create` is true (commands that only change
    existing cases pass False, so a mistyped --db is reported instead of
    silently becoming an empty case log)."""
    if isinstance(where, str):
        if is_server_url(where):
            return _open_server(where, create, notice)
        if url_scheme(where):
            raise StoreError(
                f"caselog keeps a case log in a file or on a PostgreSQL server "
                f"(postgresql://user@host/dbname); {url_scheme(where)}:// is neither. "
                "Check --db or CASELOG_DB."
            )
        where = Path(where)
    path = where.expanduser()
    try:
        exists = path.exists()
    except PermissionError as error:  # a folder on the way that we may not enter
        raise StoreError(
            f"Cannot open the case log {path}: permission denied for a folder on the way "
            "to it. Check --db or CASELOG_DB."
        ) from error
    if not create and not exists:
        raise StoreError(
            f"There is no case log at {path}. Check --db or CASELOG_DB "
            "(run caselog once to create a new case log)."
        )
    engine, access = dialects.file_engine(path)
    created = _create_private_file(path) if access == READ_WRITE else False
    store = Store(path, engine, created, read_only=access != READ_WRITE)
    with store.errors():
        _check_or_create_schema(store, notice)
    return store


def _open_server(url: str, create: bool, notice: Notice | None) -> Store:
    """The case log in the PostgreSQL database at `url`. The database must
    exist (the server's administrator makes it); its tables are made at
    the first open, unless `create` is false."""
    where = dialects.shown_url(url)
    try:
        engine = dialects.server_engine(url)
    except StoreError:
        raise
    except Exception as error:  # an unparsable URL: SQLAlchemy's ArgumentError, ValueError
        raise StoreError(
            f"{where} is not a PostgreSQL URL caselog can use ({error}). Write it as "
            f"{SERVER_SCHEMES[0]}://user@host/dbname."
        ) from error
    store = Store(None, engine, where=where, location=url)
    try:
        with store.errors():
            _check_or_create_schema(store, notice, create)
    except BaseException:
        engine.dispose()
        raise
    return store


def _create_private_file(path: Path) -> bool:
    """Creates `path` unless it exists; whether it did."""
    created = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not path.exists():
            fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
            created = True
    except PermissionError as error:
        raise StoreError(
            f"Cannot create the case log {path}: the folder is not writable. "
            "Choose another place with --db or CASELOG_DB."
        ) from error
    except OSError as error:
        raise StoreError(f"Cannot create the case log {path}: {error.strerror}.") from error
    if path.is_dir():
        raise StoreError(f"{path} is a folder; --db needs a file name.")
    return created


def _check_or_create_schema(
    store: Store, notice: Notice | None = None, create: bool = True
) -> None:
    with store.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    if "meta" not in tables:
        if tables:
            raise StoreError(
                f"{store.where} is a database of another program, not a case log. "
                f"Choose another {'file' if store.path else 'database'} with --db."
            )
        if store.read_only:
            raise StoreError(
                f"{store.where} is empty and read-only for you, so it cannot become a case log."
            )
        if not create:
            raise StoreError(
                f"There is no case log in {store.where} yet. Check --db or CASELOG_DB "
                "(run caselog once to create a new case log)."
            )
        _create_schema(store)
        store.dialect.share_between_processes(store.engine)
        store.created = True  # an empty file given with --db is a new case log too
        return
    with store.reading() as conn:
        version = _schema_version(conn)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{store.where} was written by a newer caselog (schema {version}); this one "
            f"understands schema {SCHEMA_VERSION}. Upgrade caselog-tui to open it."
        )
    if store.read_only:
        _check_read_only(store, version, notice)
        return
    store.dialect.share_between_processes(store.engine)
    if version < SCHEMA_VERSION:
        _upgrade(store, version, notice)
        return
    ours = SQLModel.metadata.sorted_tables
    _refuse_missing_columns(store, ours)
    # Read first: opening a complete file (the usual case) takes no write lock.
    with store.reading() as conn:
        indexes_missing = bool(store.dialect.missing_indexes(conn, ours))
        search_missing = not store.dialect.search_index_ready(conn)
    if indexes_missing or search_missing:
        loader = store.dialect.loading_process(store.engine)
        if loader is not None:
            if notice:
                notice(
                    f"Another caselog ({loader}) is loading cases into this case log "
                    "and builds its indexes when it is done; until then views may be slow."
                )
            return
        if notice and indexes_missing:
            notice(
                "An earlier import or demo load stopped before it finished: building its "
                "indexes (a few seconds for a large case log)."
            )
        elif notice:
            notice(
                "Building the search index of this case log, once: keyword searches are "
                "instant after it (under a minute for a million cases)."
            )
        # Under the load lock: a caselog opened meanwhile goes on without the
        # indexes (and says so) instead of waiting on the write lock.
        with store.dialect.load_lock(store.engine), store.bulk_writing() as conn:
            store.dialect.create_missing_indexes(conn, ours, _told_every_fifth(notice))


# Below this many cases the search index is built in a few seconds, said once.
_PROGRESS_FROM = 100_000


def _told_every_fifth(notice: Notice | None) -> Callable[[int, int], None] | None:
    """A progress callback that tells `notice` how far the index build is at
    each fifth of a large case log."""
    if notice is None:
        return None
    told = [0]

    def progress(done: int, total: int) -> None:
        fifth = done * 5 // total if total >= _PROGRESS_FROM else 0
        if fifth > told[0]:
            told[0] = fifth
            notice(
                f"Building the search index: {done * 100 // total}% ({done:,} of {total:,} cases)."
            )

    return progress


def _check_read_only(store: Store, version: int, notice: Notice | None) -> None:
    """What opening a case log that cannot be written may still do: read it
    as it is, if it is of this schema."""
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"{store.where} was made by an older caselog and is read-only for you, so it "
            "cannot be brought up to date. Open it once where it can be written."
        )
    ours = SQLModel.metadata.sorted_tables
    _refuse_missing_columns(store, ours)
    with store.reading() as conn:
        missing = store.dialect.missing_indexes(conn, ours)
        missing_search = not store.dialect.search_index_ready(conn)
    if (missing or missing_search) and notice:
        notice(
            "This case log lacks some of its indexes and is read-only for you, so they "
            "cannot be built: views may be slow."
        )


def backup_path(path: Path, version: int) -> Path:
    """Where the copy of a schema-`version` file is kept before its upgrade."""
    return path.with_name(f"{path.name}.schema-{version}-backup")


def _upgrade(store: Store, version: int, notice: Notice | None) -> None:
    """Brings a file of an older schema up to this one, indexes included, in
    one transaction, after keeping a copy of it beside it. Several caselogs
    may open the old file at once: the first to take the write lock
    upgrades it; the others find the new version once they have the lock,
    and go on without touching it."""
    if store.path is not None:  # a server's upgrade is one transaction, its DDL too
        backup = backup_path(store.path, version)
        if not backup.exists():
            store.dialect.back_up(store.engine, backup)
    if notice:
        notice(
            "This case log was made by an older caselog: building its indexes "
            "(a few seconds for a large case log)."
        )
    with store.bulk_writing() as conn:
        if _schema_version(conn) >= SCHEMA_VERSION:
            return  # another caselog upgraded it while this one waited
        if version < 2:
            store.dialect.add_column(conn, CASES.c.recent_at)
            for name in _SCHEMA_1_INDEXES:
                conn.exec_driver_sql(f"DROP INDEX IF EXISTS {name}")
        if version < 3:
            store.dialect.add_column(conn, CASES.c.version)
        if version < 4:
            store.dialect.add_column(conn, CASES.c.changed_seq)
        store.dialect.create_missing_indexes(conn, SQLModel.metadata.sorted_tables)
        conn.execute(
            META.update().where(META.c.key == "schema_version").values(value=str(SCHEMA_VERSION))
        )


def _schema_version(conn: Connection) -> int:
    found = conn.execute(select(META.c.value).where(META.c.key == "schema_version")).scalar()
    path = conn.engine.url.database
    if found is None:
        raise StoreError(
            f"{path} is damaged: it does not say which version of the case log it is. "
            "Restore it from a backup or choose another file with --db."
        )
    if not (found.isascii() and found.isdigit()):
        raise StoreError(
            f"{path} is damaged: its version “{clean_line(found)[:40]}” is not a number. "
            "Restore it from a backup or choose another file with --db."
        )
    return int(found)


def _refuse_missing_columns(store: Store, tables: Sequence[Table]) -> None:
    """A file of this schema that lacks a column was changed by hand or is
    damaged: say so now, not as "no such column" at the first page."""
    with store.reading() as conn:
        inspector = inspect(conn)
        for table in tables:
            present = {column["name"] for column in inspector.get_columns(table.name)}
            missing = [column.name for column in table.columns if column.name not in present]
            if missing:
                raise StoreError(
                    f"{store.where} is damaged: its {table.name} table lacks "
                    f"{', '.join(missing)}. Restore it from a backup or choose another "
                    "file with --db."
                )


def _create_schema(store: Store) -> None:
    """Creates the tables of a new store. Another process may be creating
    them at the same moment: whichever writes second finds them done."""
    with store.bulk_writing() as conn:
        SQLModel.metadata.create_all(conn)
        # create_all makes the tables' indexes; this adds the search index.
        store.dialect.create_missing_indexes(conn, SQLModel.metadata.sorted_tables)
        if conn.execute(select(META.c.key)).first() is None:
            conn.execute(
                META.insert(),
                [
                    {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                    {"key": "next_case_id", "value": str(FIRST_CASE_ID)},
                ],
            )
