"""Noticing another connection's commit to a SQLite case log, cheaply.

`PRAGMA data_version` on one connection changes whenever any *other*
connection (another caselog, `caselog respond`, an import, or this
process's own pool) has committed since the last time it was asked. It
costs a few microseconds and reads no table, so polling it once a second
is free. A file's mtime is no substitute: a commit in WAL mode writes the
-wal file and leaves the case log's own mtime alone."""

from __future__ import annotations

import sqlite3
from threading import Lock
from typing import cast

from sqlalchemy import Engine


class DataVersionWatch:
    """One long-lived connection, taken out of the engine's pool so the
    pool's own connections stay free for reads and writes, that answers
    whether anyone committed since it last looked. Any thread may poll;
    a lock keeps a poll and `close()` from ever running at once (closing
    a sqlite3 connection under a running statement crashes the process)."""

    def __init__(self, engine: Engine) -> None:
        pooled = engine.raw_connection()
        self._conn: sqlite3.Connection | None = cast("sqlite3.Connection", pooled.driver_connection)
        pooled.detach()  # ours until closed; engine.dispose() leaves it be
        self._pooled = pooled
        self._lock = Lock()
        self._seen = self._version(self._conn)

    @staticmethod
    def _version(conn: sqlite3.Connection) -> int:
        return int(conn.execute("PRAGMA data_version").fetchone()[0])

    def poll(self) -> bool:
        """True once after another connection committed, then False until
        the next commit (and always False once closed)."""
        with self._lock:
            if self._conn is None:
                return False
            version = self._version(self._conn)
            changed = version != self._seen
            self._seen = version
            return changed

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn = None
                self._pooled.close()


def change_watch(engine: Engine) -> DataVersionWatch:
    return DataVersionWatch(engine)
