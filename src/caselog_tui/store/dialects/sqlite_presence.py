"""Who else has a SQLite case log open, and on which case: one small row per
running caselog, rewritten every few seconds (its heartbeat).

The rows live in a file of their own beside the case log
(`caselog.db-presence`), not in it: a heartbeat is a commit, and every
commit to the case log wakes every colleague's live refresh (PRAGMA
data_version cannot tell a heartbeat from a reply). Kept apart, a heartbeat
wakes only the presence watch, and backups, exports and the case log's
write-ahead log never carry it.

Presence is a courtesy, not data: a board that cannot be opened or written
(a read-only folder, a locked or damaged file) answers "nobody else" and
never stops the seller's work."""

from __future__ import annotations

import os
import sqlite3
from contextlib import suppress
from pathlib import Path
from threading import Lock

from caselog_tui.core.presence import Here

_SCHEMA = """
CREATE TABLE IF NOT EXISTS presence (
    session TEXT PRIMARY KEY,
    person TEXT NOT NULL,
    case_id INTEGER,
    doing TEXT,
    beat_at REAL NOT NULL
)
"""


def presence_path(store_path: Path) -> Path:
    return store_path.with_name(store_path.name + "-presence")


class SqlitePresenceBoard:
    """The presence file of one case log, for one session. Any thread may
    call it; a lock keeps one statement at a time on its one connection."""

    def __init__(self, store_path: Path, create: bool = True) -> None:
        self._lock = Lock()
        self._seen_version = -1
        self._store_path = store_path
        self._create = create
        # Opened at the first use, not here: the TUI makes the board while
        # it starts and uses it from a worker thread, off the first paint.
        self._conn: sqlite3.Connection | None = None
        self._tried = False

    def _connection(self) -> sqlite3.Connection | None:
        """The board's connection, opened once; None when there is none.
        Called with the lock held."""
        if not self._tried:
            self._tried = True
            path = presence_path(self._store_path)
            if self._create or path.exists():  # beside a read-only log, nothing is made
                # No board (sqlite3.Error, OSError): nobody is shown, nothing is stopped.
                with suppress(sqlite3.Error, OSError):
                    self._conn = _open(path, self._store_path)
        return self._conn

    def write(
        self, session: str, person: str, case_id: int | None, doing: str | None, at: float
    ) -> None:
        """This session's row, as of `at` (seconds since the epoch)."""
        self._run(
            "INSERT INTO presence (session, person, case_id, doing, beat_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (session) DO UPDATE SET "
            "person = excluded.person, case_id = excluded.case_id, "
            "doing = excluded.doing, beat_at = excluded.beat_at",
            (session, person, case_id, doing, at),
        )

    def others(self, session: str, since: float) -> list[Here]:
        """The other sessions heard from at or after `since`; the rows of
        sessions gone quiet before it are removed on the way."""
        with self._lock:
            conn = self._connection()
            if conn is None:
                return []
            try:
                conn.execute("DELETE FROM presence WHERE beat_at < ?", (since,))
                rows = conn.execute(
                    "SELECT person, case_id, doing FROM presence WHERE session != ? "
                    "ORDER BY person, session",
                    (session,),
                ).fetchall()
            except sqlite3.Error:
                return []
        return [
            Here(person=person, case_id=case_id, doing=doing) for person, case_id, doing in rows
        ]

    def changed(self) -> bool:
        """Whether another session wrote since the last time this asked (a
        few microseconds: PRAGMA data_version reads no table)."""
        with self._lock:
            conn = self._connection()
            if conn is None:
                return False
            try:
                version = int(conn.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.Error:
                return False
            changed = version != self._seen_version
            self._seen_version = version
            return changed

    def remove(self, session: str) -> None:
        self._run("DELETE FROM presence WHERE session = ?", (session,))

    def close(self) -> None:
        with self._lock:
            self._tried = True  # closed: never opened again
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _run(self, sql: str, parameters: tuple[object, ...]) -> None:
        with self._lock:
            conn = self._connection()
            if conn is None:
                return
            # A busy or read-only board: the next heartbeat tries again.
            with suppress(sqlite3.Error):
                conn.execute(sql, parameters)


def _open(path: Path, store_path: Path) -> sqlite3.Connection:
    """Opens the board, making it readable and writable by whoever may
    write the case log itself (a team's shared group included)."""
    if not path.exists():
        descriptor = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        try:  # the case log's own mode, whatever the umask takes away
            os.fchmod(descriptor, store_path.stat().st_mode & 0o666)
        finally:
            os.close(descriptor)
    # Autocommit (isolation_level=None): every statement is its own commit.
    conn = sqlite3.connect(path, timeout=1.0, check_same_thread=False, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = OFF")  # a lost heartbeat costs nothing
        conn.execute(_SCHEMA)
    except sqlite3.Error:
        conn.close()
        raise
    return conn
