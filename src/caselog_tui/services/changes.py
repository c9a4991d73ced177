"""Live refresh: whether the case log changed since the screen last read it,
and whether the change may be this process's own.

The TUI polls a `ChangeWatcher` about once a second from a thread worker
and reloads what it shows when something changed. The store does the
detecting (on SQLite, `PRAGMA data_version`), which cannot tell whose
commit it saw; `OwnWrites` counts the writes of this process so a change
that may be our own reloads quietly instead of being announced as a
colleague's (the screens showed our own write already)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from threading import Lock

from caselog_tui.store import cases
from caselog_tui.store.database import Store


class OwnWrites:
    """How many write transactions this process started and finished.
    Thread-safe: the TUI writes from thread workers."""

    def __init__(self) -> None:
        self._lock = Lock()
        self.started = 0
        self.finished = 0

    @contextmanager
    def counting(self) -> Iterator[None]:
        with self._lock:
            self.started += 1
        try:
            yield
        finally:
            with self._lock:
                self.finished += 1


@dataclass(frozen=True)
class News:
    """What a poll found: the case log changed. `maybe_ours`: a write of
    this process may be among the commits (a colleague's may be too).
    `case_ids`: the cases that changed, or None when that is not known (a
    load, or very many), and then anything may have."""

    maybe_ours: bool
    case_ids: frozenset[int] | None = None


class ChangeWatcher:
    """Asks the store whether anyone committed since the last poll."""

    def __init__(self, store: Store, own: OwnWrites | None = None) -> None:
        self._store = store
        self._own = own if own is not None else OwnWrites()
        self._watch = store.watch_changes()
        self._started = self._own.started
        self._in_progress = self._own.started != self._own.finished
        # The number of the last write that changed cases, as last read.
        with store.reading() as conn:
            self._seen = cases.last_change(conn)

    def poll(self) -> bool:
        """True once after a commit (by anyone, this process too), then
        False until the next. Raises StoreError with a sentence when the
        store cannot be read."""
        with self._store.errors():
            return self._watch.poll()

    def news(self) -> News | None:
        """`poll()`, telling whether our own writes may be in it. The
        counters are read before the poll: a write that committed since the
        last poll either started since then or was under way at it."""
        finished, started = self._own.finished, self._own.started
        changed = self.poll()
        maybe_ours = started != self._started or self._in_progress
        self._started, self._in_progress = started, started != finished
        if not changed:
            return None
        # One query for what changed since the last write seen (an index
        # range), not the whole page again.
        with self._store.reading() as conn:
            self._seen, case_ids = cases.changes_since(conn, self._seen)
        return News(maybe_ours, case_ids)

    def close(self) -> None:
        self._watch.close()
