"""Noticing another connection's commit to a SQLite case log, cheaply.

`PRAGMA data_version` on one connection changes whenever any *other*
connection (another caselog, `caselog respond`, an import, or this
process's own pool) has committed since the last time it was asked. It
costs a few microseconds and reads no table, so polling it once a second
is free. A file's mtime is no substitute: a commit in WAL mode writes the
-wal file and leaves the case log's own mtime alone."""

from __future__ import annotations

import sqlite3
from typing import cast

from sqlalchemy import Engine


class DataVersionWatch:
    """One long-lived connection, taken out of the engine's pool so the
    pool's own connections stay free for reads and writes, that answers
    whether anyone committed since it last looked. Used by one thread at
    a time (the TUI's poll worker); the connection allows any thread."""

    def __init__(self, engine: Engine) -> None:
        pooled = engine.raw_connection()
        self._conn = cast("sqlite3.Connection", pooled.driver_connection)
        pooled.detach()  # ours until closed; engine.dispose() leaves it be
        self._pooled = pooled
        self._seen = self._version()

    def _version(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def poll(self) -> bool:
        """True once after another connection committed, then False until
        the next commit."""
        version = self._version()
        changed = version != self._seen
        self._seen = version
        return changed

    def close(self) -> None:
        self._pooled.close()


def change_watch(engine: Engine) -> DataVersionWatch:
    return DataVersionWatch(engine)
