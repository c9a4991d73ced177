"""Live refresh: whether the case log changed since the screen last read it.

The TUI polls a `ChangeWatcher` about once a second from a thread worker
and reloads what it shows when the answer is yes. The store does the
detecting (on SQLite, `PRAGMA data_version`); this layer turns the store's
errors into sentences and keeps the watch's one connection closed when
done."""

from __future__ import annotations

from caselog_tui.store.database import Store


class ChangeWatcher:
    """Asks the store whether anyone committed since the last poll."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._watch = store.watch_changes()

    def poll(self) -> bool:
        """True once after a commit (by anyone, this process too), then
        False until the next. Raises StoreError with a sentence when the
        store cannot be read."""
        with self._store.dialect.store_errors(self._store.path):
            return self._watch.poll()

    def close(self) -> None:
        self._watch.close()
