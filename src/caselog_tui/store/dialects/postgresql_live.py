"""Live refresh and presence on a PostgreSQL case log.

Change detection: a statement trigger on the cases table sends the
schema's name on the `caselog_changes` channel at every commit that
changed a case (`postgresql.share_between_processes`). One connection of
the watch's own LISTENs; `poll()` makes one round trip on it (a few
hundred microseconds on a LAN), which hands over whatever notifications
arrived. Notifications sent while the watch was disconnected are lost,
so the first poll after a reconnection answers "changed": the screens
read again what they show.

Presence: one small row per running caselog in an UNLOGGED table of the
case log's schema (not written to the server's log: a heartbeat is not
data, and a crash of the server forgetting it costs nothing). As on
SQLite, presence never stops the seller's work: a board that cannot be
used answers "nobody else"."""

from __future__ import annotations

from contextlib import suppress
from threading import Lock
from typing import Any

from sqlalchemy import Engine

from caselog_tui.core.presence import Here

CHANNEL = "caselog_changes"


class _OwnConnection:
    """A driver connection of the engine's, taken out of its pool (so the
    pool's stay free for reads and writes), in autocommit: what the watch
    and the presence board each talk to the server on. `driver` is None
    until `open()` and after `close()`."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.driver: Any = None
        self._pooled: Any = None

    @property
    def usable(self) -> bool:
        return self.driver is not None and not self.driver.closed

    def open(self) -> Any:
        """A new connection (the old one let go of); raises while the
        server cannot be reached."""
        self.close()
        pooled = self._engine.raw_connection()
        driver = pooled.driver_connection
        assert driver is not None
        pooled.detach()  # ours until closed; engine.dispose() leaves it be
        self.driver, self._pooled = driver, pooled
        driver.autocommit = True
        return driver

    def close(self) -> None:
        if self._pooled is not None:
            with suppress(Exception):  # a connection the server dropped
                self._pooled.close()
        self.driver = self._pooled = None


class NotifyWatch:
    """Whether anyone committed a change to the case log since the last
    poll. Any thread may poll; a lock keeps a poll and `close()` apart."""

    def __init__(self, engine: Engine) -> None:
        self._lock = Lock()
        self._heard = False
        self._closed = False
        self._conn = _OwnConnection(engine)
        self._schema = ""
        self._connect()

    def _connect(self) -> None:
        driver = self._conn.open()
        self._schema = str(driver.execute("SELECT current_schema()").fetchone()[0])
        driver.add_notify_handler(self._on_notify)
        driver.execute(f"LISTEN {CHANNEL}")

    def _on_notify(self, notify: Any) -> None:
        if notify.payload == self._schema:
            self._heard = True

    def poll(self) -> bool:
        """True once after a commit that changed cases (anyone's, this
        process's too), and after a reconnection; else False. Raises the
        driver's error while the server cannot be reached."""
        with self._lock:
            if self._closed:
                return False
            if not self._conn.usable:
                self._connect()  # raises while the server is away
                self._heard = False
                return True  # what was sent meanwhile is lost: read again
            try:
                self._conn.driver.execute("SELECT 1")  # hands over what arrived
            except Exception:
                self._conn.close()
                raise
            heard, self._heard = self._heard, False
            return heard

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._conn.close()


def change_watch(engine: Engine) -> NotifyWatch:
    return NotifyWatch(engine)


TABLE = "caselog_presence"
_SCHEMA = (
    f"CREATE UNLOGGED TABLE IF NOT EXISTS {TABLE} ("
    "session TEXT PRIMARY KEY, person TEXT NOT NULL, case_id BIGINT, doing TEXT, "
    "beat_at DOUBLE PRECISION NOT NULL)"
)


class PostgresPresenceBoard:
    """The presence rows of one case log, for one session; same answers
    as `sqlite_presence.SqlitePresenceBoard`."""

    def __init__(self, engine: Engine, create: bool = True) -> None:
        self._create = create
        self._lock = Lock()
        self._conn = _OwnConnection(engine)
        self._closed = False
        self._seen: object = None

    def _connection(self) -> Any:
        """The board's connection, (re)opened when needed; None when the
        server cannot be reached. Called with the lock held."""
        if self._closed:
            return None
        if self._conn.usable:
            return self._conn.driver
        try:
            driver = self._conn.open()
            if self._create:
                driver.execute(_SCHEMA)
        except Exception:
            self._conn.close()
        return self._conn.driver

    def _run(self, sql: str, parameters: tuple[object, ...]) -> list[tuple[Any, ...]] | None:
        with self._lock:
            conn = self._connection()
            if conn is None:
                return None
            try:
                cursor = conn.execute(sql, parameters)
                return list(cursor.fetchall()) if cursor.description else []
            except Exception:
                self._conn.close()  # the next call reconnects
                return None

    def write(
        self, session: str, person: str, case_id: int | None, doing: str | None, at: float
    ) -> None:
        self._run(
            f"INSERT INTO {TABLE} (session, person, case_id, doing, beat_at) "
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (session) DO UPDATE SET "
            "person = excluded.person, case_id = excluded.case_id, "
            "doing = excluded.doing, beat_at = excluded.beat_at",
            (session, person, case_id, doing, at),
        )

    def others(self, session: str, since: float) -> list[Here]:
        self._run(f"DELETE FROM {TABLE} WHERE beat_at < %s", (since,))
        rows = self._run(
            f"SELECT person, case_id, doing FROM {TABLE} WHERE session != %s "
            "ORDER BY person, session",
            (session,),
        )
        return [Here(person=p, case_id=c, doing=d) for p, c, d in rows or []]

    def changed(self) -> bool:
        """Whether any row changed since the last time this asked: one
        small aggregate over a table of a few rows."""
        rows = self._run(
            f"SELECT count(*), coalesce(sum(beat_at), 0), "
            f"coalesce(string_agg(session || ':' || coalesce(case_id::text, '') || ':' "
            f"|| coalesce(doing, ''), ',' ORDER BY session), '') FROM {TABLE}",
            (),
        )
        if not rows:
            # Unreachable: once, "changed", so `others()` (nobody, now)
            # clears who was shown instead of leaving them there.
            changed, self._seen = self._seen is not None, None
            return changed
        changed = rows[0] != self._seen
        self._seen = rows[0]
        return changed

    def remove(self, session: str) -> None:
        self._run(f"DELETE FROM {TABLE} WHERE session = %s", (session,))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._conn.close()


def presence_board(engine: Engine, create: bool = True) -> PostgresPresenceBoard:
    return PostgresPresenceBoard(engine, create)
